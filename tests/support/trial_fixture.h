// A small two-arm test protocol (with a capped pilot arm) and helpers to register
// consenting patients in bulk, for the enrolment and endpoint tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/protocol.h"
#include "service/enrolment_service.h"
#include "support/registry_fixture.h"

namespace stream::testing {

inline constexpr char kProtocolYaml[] = R"yaml(
id: test-trial
title: A two-arm trial with a pilot cohort
version: "2.0"
criteria:
  inclusion:
    - id: leukaemia
      wording: Acute leukaemia
      rule: disease in ["aml", "all"]
  exclusion:
    - id: pregnancy
      wording: Pregnancy
      rule: not attested("not_pregnant")
arms:
  - id: pilot
    name: Pilot cohort for ALL
    cap: 3
  - id: std
    name: Standard
  - id: exp
    name: Experimental
assignment:
  - id: all_pilot
    rule: disease == "all"
    arm: pilot
  - id: randomised
    rule: disease == "aml"
    randomise: [std, exp]
randomisation:
  method: permuted_blocks
  ratio: {std: 1, exp: 1}
  block_sizes: [2, 4, 6]
)yaml";

inline protocol::Factor AgeGroup() {
  protocol::Factor f;
  f.name = "age_group";
  f.levels.push_back({"<60", *rules::Compile("age < 60")});
  f.levels.push_back({">=60", *rules::Compile("age >= 60")});
  return f;
}

inline protocol::Protocol TestProtocol(protocol::RandomisationMethod method) {
  auto p = protocol::LoadProtocol(kProtocolYaml, "test-trial.yaml");
  EXPECT_TRUE(p.ok()) << p.error().ToString();
  protocol::Randomisation r;
  r.method = method;
  r.ratio = {{"std", 1}, {"exp", 1}};
  r.block_sizes = {2, 4, 6};
  if (method == protocol::RandomisationMethod::kPermutedBlocks) {
    r.strata = {AgeGroup()};
  } else {
    protocol::Factor site;
    site.name = "site";
    site.by_site = true;
    r.factors = {site, AgeGroup()};
  }
  p->randomisation = r;
  return *p;
}

inline const std::string kSecret(32, 'k');

// Activates `protocol_id` (under `version`) at both fixture sites from 2000-01-01, as a
// trial office does after the approvals (issue #23: enrolment needs an active site).
inline void ActivateSites(RegistryFixture& f, const std::string& protocol_id = "test-trial",
                          const std::string& version = "2.0") {
  auto tx = f.store().Begin(TransactionMode::kWrite);
  ASSERT_TRUE(tx.ok());
  for (const char* site : {RegistryFixture::kSiteA, RegistryFixture::kSiteB}) {
    SiteActivation a;
    a.protocol_id = protocol_id;
    a.site = site;
    a.status = "active";
    a.effective_on = *Date::Parse("2000-01-01");
    a.protocol_version = version;
    a.approval_reference = "EC-test";
    a.changed_by = "fixture";
    ASSERT_TRUE((*tx)->InsertSiteActivation(a).ok());
  }
  ASSERT_TRUE((*tx)->Commit().ok());
}

// Registers `n` patients (alternately under and over 60) with an AML or ALL diagnosis
// and trial consent, in one transaction; returns their ids.
inline std::vector<int64_t> Register(RegistryFixture& f, int n, const std::string& prefix,
                                     const std::string& disease = "aml") {
  std::vector<service::PatientBundle> bundles;
  const KindSpec& dx = *FindKind("diagnosis");
  const KindSpec& consent = *FindKind("consent");
  for (int i = 0; i < n; ++i) {
    auto values = RegistryFixture::PatientValues(
        prefix + std::to_string(i), i % 3 ? RegistryFixture::kSiteA : RegistryFixture::kSiteB);
    values[PatientKind().IndexOf("birth_year")] = int64_t{i % 2 ? 1950 : 1980};
    service::PatientBundle b{values, {}, std::nullopt};
    b.records.emplace_back(
        &dx, MakeRecord(dx, {{"disease", disease},
                             {"diagnosis_date", *Date::Parse("2024-01-05")},
                             {"origin", std::string("de_novo")},
                             {"status_at_registration", std::string("first_relapse")}})
                 .values);
    b.records.emplace_back(&consent,
                           MakeRecord(consent, {{"form_version", std::string("2.1")},
                                                {"consent_date", *Date::Parse("2024-01-10")},
                                                {"scope", CodeSet{"registry", "trial"}}})
                               .values);
    bundles.push_back(std::move(b));
  }
  auto written = f.registry().RegisterPatients(RegistryFixture::Central(), bundles);
  EXPECT_TRUE(written.ok()) << written.error().ToString();
  ActivateSites(f);  // the trial tests enrol these patients into the test trial
  std::vector<int64_t> ids;
  auto tx = f.store().Begin(TransactionMode::kRead);
  for (int i = 0; i < n; ++i)
    ids.push_back((*(*tx)->FindPatientByPseudonym(prefix + std::to_string(i)))->id);
  return ids;
}

inline service::EnrolmentRequest Request(int64_t patient, const std::string& key) {
  return service::EnrolmentRequest{"test-trial", patient, key, {{"not_pregnant", true}}};
}

}  // namespace stream::testing
