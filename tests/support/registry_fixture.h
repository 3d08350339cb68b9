// A real registry, with a fixed clock and two sites, for the service and storage
// tests: on SQLite in a temporary folder by default, or on any engine of
// support/store_backend.h.
#pragma once

#include <memory>

#include "core/clock.h"
#include "core/record.h"
#include "core/store.h"
#include "service/identity_vault.h"
#include "service/registry_service.h"
#include "support/store_backend.h"
#include "support/temp_dir.h"

namespace stream::testing {

class RegistryFixture {
 public:
  RegistryFixture();
  // On the named engine ("sqlite", "postgres"); throws when it is unavailable.
  explicit RegistryFixture(const std::string& backend);

  Store& store() { return *store_; }
  service::RegistryService& registry() { return *registry_; }
  FakeClock& clock() { return clock_; }
  const TempDir& dir() const { return dir_; }
  std::unique_ptr<Store> Reopen() const;
  StoreBackend& backend() { return *backend_; }

  // A central administrator and a user bound to site A / B.
  static service::Actor Central();
  static service::Actor AtSite(const std::string& site);

  // Patient values for PatientKind(): born 1970-03, registered 2024-01-10.
  static std::vector<Value> PatientValues(const std::string& pseudonym, const std::string& site);
  // An AML diagnosis on 2024-01-05 (de novo, first relapse), values for "diagnosis".
  static std::vector<Value> AmlDiagnosisValues();
  // Registers a patient with that diagnosis; returns the patient.
  Record AddAmlPatient(const std::string& pseudonym, const std::string& site);

  static constexpr const char* kSiteA = "IT-FO-01";
  static constexpr const char* kSiteB = "DE-DD-01";

 private:
  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<StoreBackend> backend_;  // outlives the store
  std::unique_ptr<Store> store_;
  std::optional<service::IdentityVault> vault_;
  std::unique_ptr<service::RegistryService> registry_;
};

}  // namespace stream::testing
