#include "protocol/protocol.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/patient_builder.h"

namespace stream::protocol {
namespace {

using ::stream::testing::CrAssessment;
using ::stream::testing::D;
using ::stream::testing::PatientBuilder;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr const char* kPlatform = R"(# R/R AML platform study (seed 001), abridged
id: rr-aml-platform
title: Platform study of salvage strategies in R/R AML
version: "1.0"
criteria:
  inclusion:
    - id: rr_aml
      wording: Refractory or relapsed AML
      rule: disease == "aml" and status_at_registration != "newly_diagnosed"
    - id: adult
      wording: Age 18 years or older
      rule: age >= 18
  exclusion:
    - id: no_consent
      wording: No written informed consent
      rule: not consented("trial")
arms:
  - id: arm1
    name: FLT3 inhibitor (gilteritinib)
  - id: arm2
    name: IDH1 inhibitor (ivosidenib)
  - id: arm3
    name: DAV
  - id: arm4
    name: HAV
  - id: arm5
    name: Venetoclax + azacitidine
    cap: 60
assignment:
  - id: flt3
    rule: has_variant("FLT3")
    arm: arm1
  - id: idh1
    rule: has_variant("IDH1")
    arm: arm2
  - id: fit_no_recent_venetoclax
    rule: |
      attested("fit_for_intensive_chemotherapy")
      and not exposed_to("venetoclax", within: 3 months)
    randomise: [arm3, arm4]
  - id: unfit
    rule: attested("unfit_for_intensive_chemotherapy")
    arm: arm5
)";

Protocol MustLoad(const char* yaml) {
  auto p = LoadProtocol(yaml, "platform.yaml");
  if (!p.ok()) {
    ADD_FAILURE() << p.error().ToString();
    return {};
  }
  return std::move(p).value();
}

TEST(ProtocolTest, LoadsIdentityCriteriaArmsAndAssignment) {
  Protocol p = MustLoad(kPlatform);
  EXPECT_EQ(p.id, "rr-aml-platform");
  EXPECT_EQ(p.version, "1.0");
  ASSERT_EQ(p.criteria.size(), 3u);
  EXPECT_EQ(p.criteria[2].kind, CriterionKind::kExclusion);
  EXPECT_EQ(p.criteria[1].wording, "Age 18 years or older");
  ASSERT_EQ(p.arms.size(), 5u);
  EXPECT_EQ(p.FindArm("arm5")->cap, 60);
  EXPECT_EQ(p.FindArm("arm9"), nullptr);
  ASSERT_EQ(p.assignment.size(), 4u);
  EXPECT_THAT(p.assignment[2].randomise, ElementsAre("arm3", "arm4"));
}

TEST(ProtocolTest, ScreensWithReasons) {
  Protocol p = MustLoad(kPlatform);
  rules::Evaluator evaluator;
  auto patient = PatientBuilder().Born(1960, 1).Diagnosis().Consent({"trial"}).Build();
  auto s = Screen(p, patient, D("2024-02-01"), {}, evaluator);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->eligible, rules::Verdict::kMet);
  auto no_consent = PatientBuilder().Born(1960, 1).Diagnosis().Build();
  s = Screen(p, no_consent, D("2024-02-01"), {}, evaluator);
  EXPECT_EQ(s->eligible, rules::Verdict::kNotMet);
  EXPECT_EQ(s->criteria[2].evaluation.verdict, rules::Verdict::kMet);  // excluded
  EXPECT_EQ(s->criteria[2].qualifies, rules::Verdict::kNotMet);
  auto no_birth = PatientBuilder().Born(0, 1).Diagnosis().Consent({"trial"}).Build();
  s = Screen(p, no_birth, D("2024-02-01"), {}, evaluator);
  EXPECT_EQ(s->eligible, rules::Verdict::kUnknown);
}

TEST(ProtocolTest, AssignsTheFirstMetEntry) {
  Protocol p = MustLoad(kPlatform);
  rules::Evaluator evaluator;
  auto flt3 = PatientBuilder().Variant("FLT3", "itd", 20).Build();
  auto a = Assign(p, flt3, D("2024-02-01"), {}, evaluator);
  ASSERT_TRUE(a.ok());
  ASSERT_NE(a->assignment, nullptr);
  EXPECT_EQ(a->assignment->arm, "arm1");

  auto none = PatientBuilder().Negative({"FLT3", "IDH1"}).Build();
  a = Assign(p, none, D("2024-02-01"), {{"fit_for_intensive_chemotherapy", true}}, evaluator);
  ASSERT_NE(a->assignment, nullptr);
  EXPECT_EQ(a->assignment->id, "fit_no_recent_venetoclax");

  // IDH1 untested: arm 2 might apply, so the assignment waits for it.
  auto untested = PatientBuilder().Negative({"FLT3"}).Build();
  a = Assign(p, untested, D("2024-02-01"), {{"fit_for_intensive_chemotherapy", true}}, evaluator);
  EXPECT_EQ(a->assignment, nullptr);
  ASSERT_EQ(a->undecided.size(), 1u);
  EXPECT_EQ(a->undecided[0]->id, "idh1");
  EXPECT_THAT(a->missing, ElementsAre("IDH1 not tested"));
}

std::string LoadError(const std::string& yaml) {
  auto p = LoadProtocol(yaml, "p.yaml");
  return p.ok() ? std::string() : p.error().ToString();
}

TEST(ProtocolTest, RuleErrorsPointIntoTheFile) {
  std::string plain = kPlatform;
  plain.replace(plain.find("rule: age >= 18"), 15, "rule: agee >= 18");
  EXPECT_THAT(LoadError(plain),
              HasSubstr("p.yaml:12:13: in rule: unknown fact or function 'agee'"));
  std::string block = kPlatform;
  block.replace(block.find("within: 3 months"), 16, "within: 3 moons");
  EXPECT_THAT(
      LoadError(block),
      HasSubstr("p.yaml:39:48: in rule: argument 'within' of exposed_to must be a duration"));
}

TEST(ProtocolTest, StructuralErrors) {
  std::string typo = kPlatform;
  typo.replace(typo.find("wording: Age"), 8, "wordng:");
  EXPECT_THAT(LoadError(typo), HasSubstr("unknown key 'wordng' in inclusion criterion"));
  std::string bad_arm = kPlatform;
  bad_arm.replace(bad_arm.find("arm: arm5"), 9, "arm: arm6");
  EXPECT_THAT(LoadError(bad_arm), HasSubstr("names unknown arm 'arm6'"));
  std::string dup = kPlatform;
  dup.replace(dup.find("id: adult"), 9, "id: rr_aml");
  EXPECT_THAT(LoadError(dup), HasSubstr("criterion id 'rr_aml' is used twice"));
  EXPECT_THAT(LoadError(""), HasSubstr("empty"));
  EXPECT_THAT(LoadError("id: [unclosed"), HasSubstr("p.yaml:"));
  EXPECT_THAT(LoadError("id: x\nrule: exposed_to(\"venetoclax\", within: 3 months)\n"),
              HasSubstr("must be a '|' block or in single quotes"));
  std::string cap = kPlatform;
  cap.replace(cap.find("cap: 60"), 7, "cap: lots");
  EXPECT_THAT(LoadError(cap), HasSubstr("'cap' must be a whole number"));
}

}  // namespace
}  // namespace stream::protocol
