// The services behind the HTTP API, wired once: what `stream serve` runs and what the
// API tests build in-process. Owns every service and the router; the store, clock and
// keys are the caller's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/store.h"
#include "http/api.h"
#include "http/router.h"
#include "service/identity_vault.h"

namespace stream::app {

struct ApiStackOptions {
  std::string identity_key;       // the 32-byte identity key (also keys study pseudonyms)
  std::string randomisation_key;  // the 32-byte secret of the randomisation lists
  std::vector<service::CataloguedProtocol> protocols;  // protocols/*.yaml
  service::SessionLimits session_limits;
  std::string public_origin;  // "" = from the Host header
};

class ApiStack {
 public:
  static Result<std::unique_ptr<ApiStack>> Create(Store& store, const Clock& clock,
                                                  ApiStackOptions options);
  const http::Router& router() const { return *router_; }
  service::AccountService& accounts() { return *accounts_; }
  service::RegistryService& registry() { return *registry_; }

 private:
  ApiStack() = default;
  std::optional<service::IdentityVault> vault_;
  std::unique_ptr<service::StudyPseudonyms> pseudonyms_;
  std::unique_ptr<service::RegistryService> registry_;
  std::unique_ptr<service::AccountService> accounts_;
  std::unique_ptr<service::SessionRegistry> sessions_;
  std::unique_ptr<service::ProtocolService> protocols_;
  std::unique_ptr<service::EnrolmentService> enrolments_;
  std::unique_ptr<service::ExportService> exports_;
  std::unique_ptr<service::AuditQuery> audit_;
  std::unique_ptr<service::DashboardService> dashboards_;
  std::unique_ptr<http::ApiServices> services_;
  std::unique_ptr<http::Router> router_;
};

}  // namespace stream::app
