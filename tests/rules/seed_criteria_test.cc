// Criteria shaped like the seed protocols' (shared/seeds): the R/R AML platform study's
// arm rules, NCT03597321's inclusion/exclusion list, IntReALL relapse risk groups and
// HEM-iSMART alteration classes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>

#include "rules/criteria.h"
#include "rules/criteria_test_util.h"

namespace stream::rules {
namespace {

using ::stream::testing::CrAssessment;
using ::stream::testing::PatientBuilder;
using ::testing::ElementsAre;
using testing::Eval;
using testing::MustCompile;
using testing::V;

constexpr Verdict kMet = Verdict::kMet;
constexpr Verdict kNotMet = Verdict::kNotMet;
constexpr Verdict kUnknown = Verdict::kUnknown;

// Platform study, arm 1: FLT3-mutated cohort (gilteritinib).
constexpr const char* kFlt3Cohort = R"(
  disease == "aml"
  and status_at_registration in ["primary_refractory", "first_relapse", "second_relapse",
                                 "later_relapse", "relapse_after_transplant"]
  and (has_variant("FLT3", type: "itd") or has_variant("FLT3", type: "tkd"))
)";

// Arms 3/4: no target mutation, fit for intensive chemotherapy, no venetoclax in 3 months.
constexpr const char* kDavHav = R"(
  disease == "aml"
  and not has_variant("FLT3") and not has_variant("IDH1")
  and attested("fit_for_intensive_chemotherapy")
  and not exposed_to("venetoclax", within: 3 months)
)";

TEST(SeedCriteriaTest, Flt3ItdCohort) {
  auto itd = PatientBuilder().Diagnosis().Variant("FLT3", "itd", 25).Build();
  EXPECT_EQ(V(kFlt3Cohort, itd), kMet);
  auto neg = PatientBuilder().Diagnosis().Test("FLT3", "negative").Build();
  EXPECT_EQ(V(kFlt3Cohort, neg), kNotMet);
  auto untested = PatientBuilder().Diagnosis().Build();
  auto e = Eval(kFlt3Cohort, untested);
  EXPECT_EQ(e.verdict, kUnknown);
  EXPECT_THAT(e.missing, ElementsAre("FLT3 not tested"));
  auto newly = PatientBuilder().Diagnosis("aml", "newly_diagnosed").Build();
  EXPECT_EQ(V(kFlt3Cohort, newly), kNotMet);  // decided despite FLT3 untested
}

TEST(SeedCriteriaTest, NoVenetoclaxInThreeMonths) {
  Attestations fit = {{"fit_for_intensive_chemotherapy", true}};
  auto p = PatientBuilder()
               .Diagnosis()
               .Negative({"FLT3", "IDH1"})
               .Line({"venetoclax", "azacitidine"}, "2023-08-01", "2023-10-20", "low_intensity")
               .Build();
  EXPECT_EQ(V(kDavHav, p, "2024-01-10", fit), kNotMet);
  auto e = Eval(kDavHav, p, "2024-01-10", fit);
  EXPECT_EQ(e.explanation, "not met: not exposed_to(\"venetoclax\", within: 3 months)");
  EXPECT_EQ(V(kDavHav, p, "2024-01-21", fit), kMet);
  auto unattested = Eval(kDavHav, p, "2024-01-21");
  EXPECT_EQ(unattested.verdict, kUnknown);
  EXPECT_THAT(unattested.missing,
              ElementsAre("not attested by the site: fit_for_intensive_chemotherapy"));
}

// NCT03597321 (prophylactic DLI after allo-HSCT): inclusion and exclusion as one rule.
constexpr const char* kNct03597321 = R"(
  # Inclusion
  disease == "aml" and in_cr                      # haematological CR (MRD+ allowed)
  and age between 18 and 70
  and attested("able_to_comply")
  and consented("trial")
  and had_allogeneic_transplant
  and last_transplant.donor_type != "cord_blood"
  and last_transplant.graft_manipulation == "unmanipulated"
  and last_transplant.stem_cell_source in ["bone_marrow", "peripheral_blood"]
  and "cyclosporin_a" in last_transplant.gvhd_prophylaxis
  # Exclusion
  and not max_acute_gvhd_grade >= 2
  and attested("not_pregnant_or_breast_feeding")
  and not attested("uncontrolled_concomitant_disease")
  and not attested("graft_failure")
  and not attested("previous_solid_organ_transplant")
)";

Attestations AllClear() {
  return {{"able_to_comply", true},
          {"not_pregnant_or_breast_feeding", true},
          {"uncontrolled_concomitant_disease", false},
          {"graft_failure", false},
          {"previous_solid_organ_transplant", false}};
}

PatientBuilder DliCandidate() {
  ResponseAssessment cr = CrAssessment("2023-09-01");
  cr.mrd_status = "positive";
  PatientBuilder b;
  b.Born(1975, 4)
      .Diagnosis("aml", "first_relapse", "2022-11-01")
      .Transplant("matched_unrelated", "2023-07-01")
      .AcuteGvhd(1, "2023-07-20")
      .Response(cr)
      .Consent({"registry", "trial"}, "2023-09-10");
  return b;
}

TEST(SeedCriteriaTest, Nct03597321Eligible) {
  EXPECT_EQ(V(kNct03597321, DliCandidate().Build(), "2023-09-15", AllClear()), kMet);
}

TEST(SeedCriteriaTest, Nct03597321ExclusionsAndMissingData) {
  auto gvhd = DliCandidate().AcuteGvhd(2, "2023-08-01").Build();
  auto e = Eval(kNct03597321, gvhd, "2023-09-15", AllClear());
  EXPECT_EQ(e.verdict, kNotMet);
  EXPECT_EQ(e.explanation, "not met: not max_acute_gvhd_grade >= 2");
  auto cord = DliCandidate().Transplant("cord_blood", "2023-08-01").Build();
  e = Eval(kNct03597321, cord, "2023-09-15", AllClear());
  EXPECT_EQ(e.explanation,
            "not met: last_transplant.donor_type != \"cord_blood\" (last_transplant.donor_type is "
            "\"cord_blood\")");
  auto old = DliCandidate().Born(1950, 1).Build();
  EXPECT_EQ(V(kNct03597321, old, "2023-09-15", AllClear()), kNotMet);
  // Nothing attested: unknown, listing what the site must confirm.
  e = Eval(kNct03597321, DliCandidate().Build(), "2023-09-15");
  EXPECT_EQ(e.verdict, kUnknown);
  EXPECT_THAT(e.missing, ElementsAre("not attested by the site: able_to_comply",
                                     "not attested by the site: not_pregnant_or_breast_feeding",
                                     "not attested by the site: uncontrolled_concomitant_disease",
                                     "not attested by the site: graft_failure",
                                     "not attested by the site: previous_solid_organ_transplant"));
}

TEST(SeedCriteriaTest, IntReallRelapseRiskGroups) {
  // Standard-risk-like: late (>= 30 months from diagnosis) B-cell marrow relapse.
  const char* late_bcp = R"(disease == "all" and lineage == "b_cell"
                            and first_relapse.date - diagnosis_date >= 30 months)";
  const char* very_early = R"(disease == "all"
                              and first_relapse.date - diagnosis_date < 18 months)";
  auto p = PatientBuilder().Born(2012, 5).Diagnosis("all", "first_relapse", "2020-01-10").Build();
  p.diagnoses[0].lineage = "b_cell";
  p.relapses.push_back({stream::testing::D("2023-03-01"), "haematological"});
  EXPECT_EQ(V(late_bcp, p), kMet);
  EXPECT_EQ(V(very_early, p), kNotMet);
  p.relapses[0].relapse_date = stream::testing::D("2021-01-01");
  EXPECT_EQ(V(very_early, p), kMet);
  EXPECT_EQ(V("age < 18", p), kMet);
}

TEST(SeedCriteriaTest, HemISmartAlterationClasses) {
  const char* abl_class = R"(has_fusion("*::ABL1") or has_fusion("*::ABL2")
                             or has_fusion("*::CSF1R") or has_fusion("*::PDGFRB"))";
  const char* jak_stat = R"(has_variant_in(["JAK1", "JAK2", "JAK3", "IL7R", "CRLF2"])
                            or has_fusion("*::JAK2") or has_fusion("*::CRLF2"))";
  const char* mapk = R"(has_variant_in(["NRAS", "KRAS", "PTPN11", "NF1", "BRAF", "CBL"]))";
  auto p = PatientBuilder().Fusion("EBF1::PDGFRB").Variant("KRAS", "missense", 30).Build();
  EXPECT_EQ(V(abl_class, p), kMet);
  EXPECT_EQ(V(mapk, p), kMet);
  EXPECT_EQ(V(jak_stat, p), kUnknown);
}

// Not a timing assertion (machines differ): prints the throughput so regressions show.
TEST(SeedCriteriaTest, ScreeningThroughput) {
  std::vector<CompiledCriterion> criteria = {
      MustCompile(kFlt3Cohort), MustCompile(kDavHav), MustCompile(kNct03597321),
      MustCompile("eln2022_risk == \"adverse\" and prior_lines between 1 and 2"),
      MustCompile("disease == \"aml\" and age between 18 and 70 and ecog <= 2")};
  std::vector<PatientHistory> patients;
  for (int i = 0; i < 1000; ++i) {
    PatientBuilder b = DliCandidate();
    if (i % 3 == 0) b.Variant("FLT3", "itd", 10 + i % 50);
    if (i % 5 == 0) b.Karyotype({"normal"});
    b.Ecog(i % 4).Line({"venetoclax"}, "2023-01-01", "2023-03-01");
    patients.push_back(b.Build());
  }
  Evaluator evaluator;
  Attestations att = AllClear();
  int met = 0;
  auto start = std::chrono::steady_clock::now();
  for (int round = 0; round < 10; ++round) {
    for (const auto& p : patients) {
      for (const auto& c : criteria) {
        auto r = evaluator.Evaluate(c, p, stream::testing::D("2024-01-01"), att);
        ASSERT_TRUE(r.ok());
        met += r->verdict == kMet;
      }
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << "[ info ] 50000 evaluations in " << seconds << " s (" << 50000 / seconds
            << " per second), " << met << " met\n";
  EXPECT_GT(met, 0);
}

}  // namespace
}  // namespace stream::rules
