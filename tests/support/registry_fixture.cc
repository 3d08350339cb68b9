#include "support/registry_fixture.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace stream::testing {

RegistryFixture::RegistryFixture() : RegistryFixture("sqlite") {}

RegistryFixture::RegistryFixture(const std::string& backend)
    : clock_(*Timestamp::Parse("2026-11-21T10:00:00.000Z")) {
  if (backend == "sqlite") {
    backend_ = MakeSqliteBackend(dir_);
  } else if (backend == "postgres") {
    backend_ = MakePostgresBackend();
  } else {
    throw std::invalid_argument("no storage backend '" + backend + "'");
  }
  store_ = backend_->Create();
  vault_ = *service::IdentityVault::FromKey(service::IdentityVault::NewKey());
  registry_ = std::make_unique<service::RegistryService>(*store_, clock_, &*vault_);
  for (const auto& [code, country] : {std::pair{kSiteA, "IT"}, std::pair{kSiteB, "DE"}}) {
    auto site =
        registry_->AddSite(Central(), Site{0, code, std::string("Centre ") + code, country});
    if (!site.ok()) throw std::runtime_error(site.error().ToString());
  }
}

std::unique_ptr<Store> RegistryFixture::Reopen() const { return backend_->Reopen(); }

service::Actor RegistryFixture::Central() {
  return service::Actor{"central.dm", "data_manager", "", "req-central"};
}

service::Actor RegistryFixture::AtSite(const std::string& site) {
  return service::Actor{"investigator." + site, "investigator", site, "req-" + site};
}

std::vector<Value> RegistryFixture::PatientValues(const std::string& pseudonym,
                                                  const std::string& site) {
  return MakeRecord(PatientKind(), {{"pseudonym", pseudonym},
                                    {"site", site},
                                    {"sex", std::string("female")},
                                    {"birth_year", int64_t{1970}},
                                    {"birth_month", int64_t{3}},
                                    {"registered_on", *Date::Parse("2024-01-10")}})
      .values;
}

Record RegistryFixture::AddAmlPatient(const std::string& pseudonym, const std::string& site) {
  auto patient = registry_->AddPatient(Central(), PatientValues(pseudonym, site));
  EXPECT_TRUE(patient.ok()) << patient.error().ToString();
  auto diagnosis =
      registry_->AddRecord(Central(), *FindKind("diagnosis"), patient->id, AmlDiagnosisValues());
  EXPECT_TRUE(diagnosis.ok()) << diagnosis.error().ToString();
  return *patient;
}

std::vector<Value> RegistryFixture::AmlDiagnosisValues() {
  return MakeRecord(*FindKind("diagnosis"),
                    {{"disease", std::string("aml")},
                     {"diagnosis_date", *Date::Parse("2024-01-05")},
                     {"origin", std::string("de_novo")},
                     {"status_at_registration", std::string("first_relapse")}})
      .values;
}

}  // namespace stream::testing
