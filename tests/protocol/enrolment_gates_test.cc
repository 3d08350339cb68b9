// The operational sections of protocol files and the gates before enrolment (issue #23,
// #13.5). The shipped protocols' gates are also exercised by protocols/*.scenarios.
#include "protocol/enrolment_gates.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/patient_builder.h"

namespace stream::protocol {
namespace {

using ::stream::testing::D;
using ::testing::HasSubstr;

constexpr const char* kBase = R"(id: salvage
title: A salvage trial
version: "2.0"
criteria:
  inclusion:
    - id: aml
      wording: AML
      rule: disease == "aml"
    - id: fit
      wording: Fit for intensive chemotherapy
      rule: attested("fit")
arms:
  - id: a
    name: A
assignment:
  - id: all
    rule: "true"
    arm: a
)";

Result<Protocol> Load(const std::string& extra) {
  return LoadProtocol(std::string(kBase) + extra, "salvage.yaml");
}

TEST(OperationsTest, ReadsCoEnrolmentAmendmentAndAttestationValidity) {
  auto p = Load(
      "co_enrolment:\n  excludes: [other, third]\n  washout_days: 14\n"
      "amendment:\n  summary: New consent form\n  reconsent: true\n"
      "attestation_valid_days: 28\n");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  ASSERT_EQ(p->operations.co_enrolment.size(), 2u);
  EXPECT_EQ(p->operations.co_enrolment[1].protocol_id, "third");
  EXPECT_EQ(p->operations.co_enrolment[1].washout_days, 14);
  ASSERT_TRUE(p->operations.amendment.has_value());
  EXPECT_TRUE(p->operations.amendment->reconsent);
  EXPECT_EQ(p->operations.attestation_valid_days, 28);
}

TEST(OperationsTest, BadSectionsAreErrorsWithFileLineAndColumn) {
  auto unknown = Load("co_enrolment:\n  exclude: [other]\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.error().message, HasSubstr("unknown key 'exclude' in co_enrolment"));
  EXPECT_EQ(unknown.error().where, "salvage.yaml:20:3");
  auto itself = Load("co_enrolment:\n  excludes: [salvage]\n");
  ASSERT_FALSE(itself.ok());
  EXPECT_THAT(itself.error().message, HasSubstr("cannot exclude itself"));
  EXPECT_EQ(itself.error().where, "salvage.yaml:20:14");
  auto days = Load("attestation_valid_days: 0\n");
  ASSERT_FALSE(days.ok());
  EXPECT_THAT(days.error().message, HasSubstr("'attestation_valid_days' must be a whole number"));
  auto summary = Load("amendment:\n  reconsent: true\n");
  ASSERT_FALSE(summary.ok());
  EXPECT_THAT(summary.error().message, HasSubstr("amendment needs 'summary'"));
}

SiteActivation Row(int64_t id, const char* status, const char* on, const char* version = "") {
  SiteActivation a;
  a.id = id;
  a.protocol_id = "salvage";
  a.site = "NL-01";
  a.status = status;
  a.effective_on = D(on);
  a.protocol_version = version;
  a.approval_reference = *version ? std::string("EC-") + version : "";
  a.reason = *version ? "" : "pharmacy audit";
  return a;
}

TEST(StandingTest, TheLatestEffectiveRowDecidesAndTheVersionIsTheLatestActivation) {
  const std::vector<SiteActivation> rows = {Row(1, "active", "2024-01-01", "1.0"),
                                            Row(2, "active", "2024-06-01", "2.0"),
                                            Row(3, "suspended", "2024-03-01")};
  EXPECT_EQ(StandingOn(rows, "salvage", "NL-01", D("2023-12-31")).state, SiteState::kNotActivated);
  auto jan = StandingOn(rows, "salvage", "NL-01", D("2024-02-01"));
  EXPECT_EQ(jan.state, SiteState::kActive);
  EXPECT_EQ(jan.version, "1.0");
  EXPECT_EQ(jan.approval_reference, "EC-1.0");
  auto march = StandingOn(rows, "salvage", "NL-01", D("2024-03-15"));
  EXPECT_EQ(march.state, SiteState::kSuspended);
  EXPECT_EQ(march.reason, "pharmacy audit");
  auto june = StandingOn(rows, "salvage", "NL-01", D("2024-06-01"));
  EXPECT_EQ(june.state, SiteState::kActive);
  EXPECT_EQ(june.version, "2.0");
  EXPECT_EQ(StandingOn(rows, "salvage", "DE-01", D("2024-06-01")).state, SiteState::kNotActivated);
}

TEST(GatesTest, WashoutAfterLeavingAnExcludedProtocolAndNamingOnlyWhenAllowed) {
  auto p = Load("co_enrolment:\n  excludes: [other]\n  washout_days: 14\n");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  PatientHistory patient = ::stream::testing::PatientBuilder().Born(1960, 6).Build();
  patient.site = "NL-01";
  Enrolment other;
  other.id = 7;
  other.protocol_id = "other";
  other.enrolled_at = Timestamp::FromMillis(D("2024-01-01").days() * 86'400'000);
  other.off_study_date = D("2024-02-01");
  const SiteStanding active{SiteState::kActive, D("2024-01-01"), "2.0", "EC-1", ""};
  auto within = CheckGates(*p, {patient, D("2024-02-10"), {other}, active});
  ASSERT_EQ(within.size(), 1u);
  EXPECT_EQ(within[0].gate, Gate::kCoEnrolment);
  EXPECT_THAT(within[0].reason, HasSubstr("enrolment 7"));
  EXPECT_THAT(within[0].reason, HasSubstr("until 2024-02-15"));
  EXPECT_TRUE(CheckGates(*p, {patient, D("2024-02-15"), {other}, active}).empty());
  auto hidden = CheckGates(*p, {patient, D("2024-02-10"), {other}, active, false});
  ASSERT_EQ(hidden.size(), 1u);
  EXPECT_EQ(hidden[0].reason,
            "the patient is enrolled in another protocol, off study on 2024-02-01; salvage "
            "needs 14 days after leaving it, until 2024-02-15");
}

TEST(GatesTest, DeathFromAFollowUpAlsoRefuses) {
  auto p = Load("");
  ASSERT_TRUE(p.ok());
  PatientHistory patient = ::stream::testing::PatientBuilder().Born(1960, 6).Build();
  patient.follow_ups.push_back({D("2024-01-20"), "dead"});
  const SiteStanding active{SiteState::kActive, D("2024-01-01"), "2.0", "EC-1", ""};
  auto refusals = CheckGates(*p, {patient, D("2024-02-01"), {}, active});
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].reason, "the follow-up of 2024-01-20 records the patient as dead");
  EXPECT_TRUE(CheckGates(*p, {patient, D("2024-01-19"), {}, active}).empty());
}

TEST(AttestationValidityTest, StoredAttestationsExpireWhenTheProtocolSaysSo) {
  auto p = Load("attestation_valid_days: 28\n");
  ASSERT_TRUE(p.ok());
  Attestation fit;
  fit.protocol_id = "salvage";
  fit.name = "fit";
  fit.value = true;
  fit.attested_on = D("2024-01-01");
  Attestation elsewhere = fit;
  elsewhere.protocol_id = "other";
  elsewhere.name = "pregnant";
  EXPECT_EQ(ValidAttestations(*p, {fit, elsewhere}, D("2024-01-28"), {}),
            (rules::Attestations{{"fit", true}}));
  EXPECT_TRUE(ValidAttestations(*p, {fit}, D("2024-01-29"), {}).empty()) << "expired on day 28";
  EXPECT_EQ(ValidAttestations(*p, {fit}, D("2024-01-10"), {{"fit", false}}),
            (rules::Attestations{{"fit", false}}))
      << "the request's own attestation wins";
  EXPECT_EQ(CriterionAttesting(*p, "fit"), "fit");
  EXPECT_EQ(CriterionAttesting(*p, "unused"), "");
}

}  // namespace
}  // namespace stream::protocol
