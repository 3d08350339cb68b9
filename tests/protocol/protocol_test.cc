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
randomisation:
  method: permuted_blocks
  ratio: {arm3: 1, arm4: 1}
  block_sizes: [2, 4]
  strata:
    - name: status
      levels:
        - level: refractory
          rule: status_at_registration == "primary_refractory"
        - level: relapse
          rule: "true"
    - name: site
      by_site: true
endpoints:
  primary:
    - definition: crc_rate
      wording: Composite complete remission rate (CR + CRi)
      crh_counts: false
      landmark_days: 60
  secondary:
    - definition: os
      follow_up_days: 730
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

TEST(ProtocolTest, LoadsRandomisationAndEndpoints) {
  Protocol p = MustLoad(kPlatform);
  ASSERT_TRUE(p.randomisation.has_value());
  const Randomisation& r = *p.randomisation;
  EXPECT_EQ(r.method, RandomisationMethod::kPermutedBlocks);
  ASSERT_EQ(r.ratio.size(), 2u);
  EXPECT_EQ(r.ratio[0], (std::pair<std::string, int>{"arm3", 1}));
  EXPECT_THAT(r.block_sizes, ElementsAre(2, 4));
  ASSERT_EQ(r.strata.size(), 2u);
  EXPECT_EQ(r.strata[0].levels[1].level, "relapse");
  EXPECT_TRUE(r.strata[1].by_site);
  ASSERT_EQ(p.endpoints.size(), 2u);
  EXPECT_EQ(p.endpoints[0].id, "crc_rate");
  EXPECT_EQ(p.endpoints[0].role, EndpointRole::kPrimary);
  EXPECT_FALSE(p.endpoints[0].crh_counts);
  EXPECT_EQ(p.endpoints[0].landmark_days, 60);
  EXPECT_EQ(p.endpoints[1].definition, EndpointDefinition::kOs);
  EXPECT_EQ(p.endpoints[1].follow_up_days, 730);
  EXPECT_EQ(p.FindArm("arm1")->status, ArmStatus::kOpen);
}

TEST(ProtocolTest, LoadsIdentificationAndMinimisation) {
  std::string text = kPlatform;
  text.replace(text.find("version: \"1.0\"\n"), 14,
               "version: \"1.0\"\nregistry_ids: {nct: NCT01234567, eudract: 2020-001234-56}\n"
               "sponsor: IRST\nphase: \"2/3\"\npopulation: adults\npart_of: stream-master\n");
  text = text.substr(0, text.find("randomisation:")) + R"(randomisation:
  method: minimisation
  ratio: {arm3: 2, arm4: 1}
  probability: 0.75
  blinded: true
  factors:
    - name: age
      weight: 2
      levels:
        - {level: under_60, rule: age < 60}
        - {level: over_60, rule: age >= 60}
    - name: site
      by_site: true
)";
  auto p = LoadProtocol(text, "m.yaml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  EXPECT_EQ(p->nct_id, "NCT01234567");
  EXPECT_EQ(p->eudract_id, "2020-001234-56");
  EXPECT_EQ(p->phase, "2/3");
  EXPECT_EQ(p->part_of, "stream-master");
  EXPECT_EQ(p->randomisation->method, RandomisationMethod::kMinimisation);
  EXPECT_EQ(p->randomisation->factors[0].weight, 2.0);
  EXPECT_EQ(p->randomisation->probability, 0.75);
  EXPECT_TRUE(p->randomisation->blinded);
}

TEST(ProtocolTest, ClassifiesFactors) {
  Protocol p = MustLoad(kPlatform);
  rules::Evaluator evaluator;
  const Factor& status = p.randomisation->strata[0];
  auto refractory = PatientBuilder().Diagnosis("aml", "primary_refractory", "2023-01-05").Build();
  auto f = ClassifyFactor(status, refractory, D("2024-02-01"), {}, evaluator);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ(f->verdict, rules::Verdict::kMet);
  EXPECT_EQ(f->level, "refractory");
  f = ClassifyFactor(status, PatientBuilder().Diagnosis().Build(), D("2024-02-01"), {}, evaluator);
  EXPECT_EQ(f->level, "relapse");
  f = ClassifyFactor(status, PatientBuilder().Build(), D("2024-02-01"), {}, evaluator);
  EXPECT_EQ(f->verdict, rules::Verdict::kUnknown);  // no diagnosis: the status is unknown
  EXPECT_THAT(f->missing, ElementsAre("no diagnosis recorded"));
  PatientHistory at_site = PatientBuilder().Build();
  at_site.site = "IT-FO-01";
  f = ClassifyFactor(p.randomisation->strata[1], at_site, D("2024-02-01"), {}, evaluator);
  EXPECT_EQ(f->level, "IT-FO-01");
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

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(ProtocolTest, RandomisationErrors) {
  std::string p = kPlatform;
  EXPECT_THAT(LoadError(Replace(p, "ratio: {arm3: 1, arm4: 1}", "ratio: {arm3: 1, arm5: 1}")),
              HasSubstr("p.yaml:46:20: 'ratio' names arm 'arm5', which no 'randomise'"));
  EXPECT_THAT(LoadError(Replace(p, "ratio: {arm3: 1, arm4: 1}", "ratio: {arm3: 1}")),
              HasSubstr("no weight for randomised arm 'arm4'"));
  EXPECT_THAT(LoadError(Replace(p, "ratio: {arm3: 1, arm4: 1}", "ratio: {arm3: 2, arm4: 1}")),
              HasSubstr("p.yaml:47:17: block size 2 is not a multiple of the ratio sum 3"));
  EXPECT_THAT(LoadError(p.substr(0, p.find("randomisation:"))),
              HasSubstr("p.yaml:40:16: assignment entry 'fit_no_recent_venetoclax' randomises "
                        "but the protocol has no 'randomisation:' section"));
  std::string two = Replace(p, "    arm: arm5\n", "    randomise: [arm3, arm5]\n");
  EXPECT_THAT(
      LoadError(Replace(two, "ratio: {arm3: 1, arm4: 1}", "ratio: {arm3: 1, arm4: 1, arm5: 1}")),
      HasSubstr("p.yaml:40:16: assignment entry 'fit_no_recent_venetoclax' must randomise "
                "among exactly the arms of 'ratio' (arm3, arm4, arm5)"));
  EXPECT_THAT(LoadError(p.substr(0, p.find("randomisation:"))),
              HasSubstr("randomises but the protocol has no 'randomisation:' section"));
  EXPECT_THAT(LoadError(Replace(p, "method: permuted_blocks", "method: coin")),
              HasSubstr("'method' must be one of permuted_blocks, minimisation"));
  EXPECT_THAT(LoadError(Replace(p, "block_sizes: [2, 4]", "block_sizes: [2, four]")),
              HasSubstr("p.yaml:47:20: a block size must be a whole number"));
  EXPECT_THAT(LoadError(Replace(p, "rule: \"true\"", "rule: \"tru\"")),
              HasSubstr("in rule: unknown fact or function 'tru'"));
  EXPECT_THAT(LoadError(Replace(p, "by_site: true", "by_site: yes please")),
              HasSubstr("'by_site' must be true or false"));
  EXPECT_THAT(LoadError(Replace(p, "  block_sizes: [2, 4]\n",
                                "  block_sizes: [2, 4]\n  probability: 0.9\n")),
              HasSubstr("'probability' is for method minimisation"));
}

TEST(ProtocolTest, ArmAndEndpointErrors) {
  std::string p = kPlatform;
  EXPECT_THAT(
      LoadError(Replace(p, "    cap: 60\n", "    cap: 60\n  - id: arm9\n    name: Orphan\n")),
      HasSubstr("p.yaml:29:9: arm 'arm9' is unreachable: no assignment entry gives it"));
  EXPECT_THAT(LoadError(Replace(p, "rule: has_variant(\"IDH1\")", "rule: \"true\"")),
              HasSubstr("p.yaml:36:9: assignment entry 'fit_no_recent_venetoclax' is never "
                        "reached: entry 'idh1' before it always applies"));
  EXPECT_THAT(LoadError(Replace(p, "    cap: 60\n", "    cap: 60\n    status: paused\n")),
              HasSubstr("'status' of an arm must be one of open, closed, suspended"));
  EXPECT_THAT(LoadError(Replace(p, "    cap: 60\n", "    cap: 60\n    cap: 70\n")),
              HasSubstr("p.yaml:29:5: key 'cap' is given twice in arm"));
  EXPECT_THAT(LoadError(Replace(p, "definition: os", "definition: overall")),
              HasSubstr("'definition' must be one of os, efs, rfs"));
  EXPECT_THAT(LoadError(Replace(p, "landmark_days: 60", "landmark_days: soon")),
              HasSubstr("'landmark_days' must be a whole number"));
  EXPECT_THAT(LoadError(Replace(p, "crh_counts: false", "crh_count: false")),
              HasSubstr("unknown key 'crh_count' in endpoint"));
  EXPECT_THAT(LoadError(Replace(p, "version: \"1.0\"", "version: \"1.0\"\nphase: III")),
              HasSubstr("'phase' must be one of"));
  EXPECT_THAT(
      LoadError(Replace(p, "version: \"1.0\"", "version: \"1.0\"\nregistry_ids: {nct: 123}")),
      HasSubstr("'nct' must be NCT followed by 8 digits"));
}

TEST(ProtocolTest, LoadsThePlannedAccrual) {
  EXPECT_FALSE(MustLoad(kPlatform).accrual.has_value()) << "accrual is optional";
  const std::string p =
      std::string(kPlatform) + "accrual: {target: 120, start: 2025-01-01, end: 2027-12-31}\n";
  Protocol loaded = MustLoad(p.c_str());
  ASSERT_TRUE(loaded.accrual.has_value());
  EXPECT_EQ(loaded.accrual->target, 120);
  EXPECT_EQ(loaded.accrual->start.ToString(), "2025-01-01");
  EXPECT_EQ(loaded.accrual->end.ToString(), "2027-12-31");
}

TEST(ProtocolTest, AccrualErrors) {
  const std::string p = std::string(kPlatform) +
                        "accrual:\n  target: 120\n  start: 2025-01-01\n"
                        "  end: 2027-12-31\n";
  EXPECT_THAT(LoadError(Replace(p, "target: 120", "target: 0")),
              HasSubstr("p.yaml:67:11: 'target' of accrual must be a whole number >= 1"));
  EXPECT_THAT(LoadError(Replace(p, "target: 120", "target: many")),
              HasSubstr("'target' of accrual must be a whole number >= 1"));
  EXPECT_THAT(LoadError(Replace(p, "start: 2025-01-01", "start: 2025-02-30")),
              HasSubstr("p.yaml:68:10: 'start' of accrual must be a date YYYY-MM-DD"));
  EXPECT_THAT(LoadError(Replace(p, "end: 2027-12-31", "end: 2024-12-31")),
              HasSubstr("p.yaml:69:8: 'end' of accrual (2024-12-31) must be after 'start'"));
  EXPECT_THAT(LoadError(Replace(p, "  end: 2027-12-31\n", "")), HasSubstr("accrual needs 'end'"));
  EXPECT_THAT(
      LoadError(Replace(p, "target: 120", "patients: 120")),
      HasSubstr("p.yaml:67:3: unknown key 'patients' in accrual; expected target, start, end"));
  EXPECT_THAT(LoadError(std::string(kPlatform) + "accrual: 120\n"),
              HasSubstr("accrual must be a mapping"));
}

}  // namespace
}  // namespace stream::protocol
