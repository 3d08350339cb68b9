#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "rules/criteria.h"
#include "rules/criteria_test_util.h"

namespace stream::rules {
namespace {

using ::stream::testing::CrAssessment;
using ::stream::testing::D;
using ::stream::testing::PatientBuilder;
using ::testing::ElementsAre;
using testing::Eval;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MustCompile;
using testing::V;

constexpr Verdict kMet = Verdict::kMet;
constexpr Verdict kNotMet = Verdict::kNotMet;
constexpr Verdict kUnknown = Verdict::kUnknown;

// --- three-valued logic --------------------------------------------------------------

// T, F and U as criteria: U is an attestation nobody made.
struct Truth {
  const char* text;
  Verdict v;
};
constexpr Truth kTruths[] = {{"true", kMet}, {"false", kNotMet}, {"attested(\"u\")", kUnknown}};

Verdict KleeneAnd(Verdict a, Verdict b) {
  if (a == kNotMet || b == kNotMet) return kNotMet;
  if (a == kUnknown || b == kUnknown) return kUnknown;
  return kMet;
}
Verdict KleeneOr(Verdict a, Verdict b) {
  if (a == kMet || b == kMet) return kMet;
  if (a == kUnknown || b == kUnknown) return kUnknown;
  return kNotMet;
}

TEST(CriteriaLogicTest, KleeneTruthTables) {
  auto p = PatientBuilder().Build();
  for (const auto& a : kTruths) {
    EXPECT_EQ(V(std::string("not ") + a.text, p),
              a.v == kUnknown ? kUnknown : (a.v == kMet ? kNotMet : kMet))
        << a.text;
    for (const auto& b : kTruths) {
      std::string and_src = std::string(a.text) + " and " + b.text;
      std::string or_src = std::string(a.text) + " or " + b.text;
      EXPECT_EQ(V(and_src, p), KleeneAnd(a.v, b.v)) << and_src;
      EXPECT_EQ(V(or_src, p), KleeneOr(a.v, b.v)) << or_src;
    }
  }
}

TEST(CriteriaLogicTest, UnknownCarriesOnlyTheFactsThatWouldDecide) {
  auto p = PatientBuilder().Diagnosis().Build();
  auto e = Eval("ecog <= 2 and has_variant(\"IDH1\")", p);
  EXPECT_EQ(e.verdict, kUnknown);
  EXPECT_THAT(e.missing, ElementsAre("no ECOG performance status recorded", "IDH1 not tested"));
  EXPECT_EQ(e.explanation, "unknown: no ECOG performance status recorded; IDH1 not tested");
  // A decided operand drops the other side's missing facts.
  e = Eval("ecog <= 2 and disease == \"all\"", p);
  EXPECT_EQ(e.verdict, kNotMet);
  EXPECT_THAT(e.missing, IsEmpty());
  e = Eval("(ecog <= 2 or disease == \"aml\") and has_variant(\"IDH1\")", p);
  EXPECT_THAT(e.missing, ElementsAre("IDH1 not tested"));
  // Repeats are reported once.
  e = Eval("ecog <= 2 and ecog >= 0", p);
  EXPECT_THAT(e.missing, ElementsAre("no ECOG performance status recorded"));
}

TEST(CriteriaLogicTest, ComparisonsWithUnknownAreUnknown) {
  auto p = PatientBuilder().Build();
  EXPECT_EQ(V("ecog == 1", p), kUnknown);
  EXPECT_EQ(V("ecog != 1", p), kUnknown);
  EXPECT_EQ(V("ecog in [0, 1]", p), kUnknown);
  EXPECT_EQ(V("ecog not in [0, 1]", p), kUnknown);
  EXPECT_EQ(V("ecog between 0 and 2", p), kUnknown);
  EXPECT_EQ(V("ecog + 1 > 0", p), kUnknown);
  EXPECT_EQ(V("-ecog < 0", p), kUnknown);
}

TEST(CriteriaLogicTest, ExplanationNamesTheFailingConditionAndValue) {
  auto p = PatientBuilder().Born(1940, 1).Diagnosis().Ecog(1).Build();
  auto e = Eval("disease == \"aml\" and age between 18 and 70 and ecog <= 2", p);
  EXPECT_EQ(e.verdict, kNotMet);
  EXPECT_EQ(e.explanation, "not met: age between 18 and 70 (age is 84)");
  e = Eval("disease == \"all\" or ecog <= 2", p);
  EXPECT_EQ(e.explanation, "met: ecog <= 2 (ecog is 1)");
  e = Eval("disease == \"aml\" and ecog <= 2", p);
  EXPECT_EQ(e.explanation, "met: all 2 conditions hold");
  e = Eval("disease == \"aml\" and (age >= 90  # very old\n  or ecog > 3)", p);
  EXPECT_EQ(e.explanation, "not met: (age >= 90 or ecog > 3)");
  e = Eval("attested(\"a # b\") and true", p, "2024-02-01", {{"a # b", false}});
  EXPECT_EQ(e.explanation, "not met: attested(\"a # b\")");
  e = Eval("attested(\"a \\\" # b\") and true", p, "2024-02-01", {{"a \" # b", false}});
  EXPECT_EQ(e.explanation, "not met: attested(\"a \\\" # b\")");
}

// --- arithmetic, dates, durations -----------------------------------------------------

TEST(CriteriaValuesTest, NumbersDatesAndDurations) {
  auto p = PatientBuilder().Diagnosis("aml", "first_relapse", "2023-01-05").Build();
  EXPECT_EQ(V("1 + 2 == 3 and 5 - 7 == -2", p), kMet);
  EXPECT_EQ(V("2.5 > 2", p), kMet);
  EXPECT_EQ(V("diagnosis_date == 2023-01-05", p), kMet);
  EXPECT_EQ(V("diagnosis_date + 1 month == 2023-02-05", p), kMet);
  EXPECT_EQ(V("2024-01-31 + 1 month == 2024-02-29", p), kMet);  // clamped to month end
  EXPECT_EQ(V("2024-03-01 - 1 day == 2024-02-29", p), kMet);
  EXPECT_EQ(V("2024-01-01 - 1 year == 2023-01-01", p), kMet);
  EXPECT_EQ(V("evaluation_date - diagnosis_date == 392 days", p), kMet);
  EXPECT_EQ(V("evaluation_date - diagnosis_date > 12 months", p), kMet);
  EXPECT_EQ(V("evaluation_date - diagnosis_date < 13 months", p), kMet);
  EXPECT_EQ(V("2 weeks == 14 days and 1 year == 12 months", p), kMet);
  EXPECT_EQ(V("1 month + 2 days > 1 month", p), kMet);
  EXPECT_EQ(V("true == true and false != true and \"a\" != \"b\"", p), kMet);
}

// --- facts ------------------------------------------------------------------------------

TEST(CriteriaFactsTest, AgeFromBirthYearAndMonth) {
  auto p = PatientBuilder().Born(2006, 3).Build();
  EXPECT_EQ(V("age == 17", p, "2024-02-29"), kMet);
  EXPECT_EQ(V("age == 18", p, "2024-03-01"), kMet);
  auto none = PatientBuilder().Born(0, 1).Build();
  EXPECT_THAT(Eval("age >= 18", none).missing, ElementsAre("no year of birth recorded"));
}

TEST(CriteriaFactsTest, DiagnosisFacts) {
  auto p = PatientBuilder().Diagnosis("aml", "primary_refractory").Build();
  EXPECT_EQ(V("disease == \"aml\"", p), kMet);
  EXPECT_EQ(V("status_at_registration == \"primary_refractory\"", p), kMet);
  EXPECT_EQ(V("disease_origin == \"de_novo\"", p), kMet);
  EXPECT_EQ(V("sex == \"female\"", p), kMet);
  EXPECT_EQ(V("registered_on == 2024-01-10", p), kMet);
  EXPECT_THAT(Eval("lineage == \"b_cell\"", p).missing, ElementsAre("lineage not recorded"));
  EXPECT_THAT(Eval("who_2022_subtype == \"x\"", p).missing,
              ElementsAre("WHO 2022 subtype not recorded"));
  EXPECT_THAT(Eval("disease == \"aml\"", PatientBuilder().Build()).missing,
              ElementsAre("no diagnosis recorded"));
  // A diagnosis after the evaluation date is not yet known.
  EXPECT_EQ(V("disease == \"aml\"", p, "2022-12-31"), kUnknown);
}

TEST(CriteriaFactsTest, HasVariantFilters) {
  auto p = PatientBuilder()
               .Variant("FLT3", "itd", 12)
               .Variant("NPM1", "other")
               .Test("IDH1", "negative")
               .Test("IDH2", "failed")
               .Test("KIT", "positive")
               .Build();
  EXPECT_EQ(V("has_variant(\"FLT3\")", p), kMet);
  EXPECT_EQ(V("has_variant(\"FLT3\", type: \"itd\")", p), kMet);
  EXPECT_EQ(V("has_variant(\"FLT3\", type: \"tkd\")", p), kNotMet);
  EXPECT_EQ(V("has_variant(\"FLT3\", type: \"itd\", min_vaf: 5)", p), kMet);
  EXPECT_EQ(V("has_variant(\"FLT3\", min_vaf: 20)", p), kNotMet);
  EXPECT_EQ(V("has_variant(\"IDH1\")", p), kNotMet);
  EXPECT_THAT(Eval("has_variant(\"IDH2\")", p).missing, ElementsAre("IDH2 test failed"));
  EXPECT_THAT(Eval("has_variant(\"IDH1\", type: \"missense\")", PatientBuilder().Build()).missing,
              ElementsAre("IDH1 not tested"));
  EXPECT_EQ(V("has_variant(\"KIT\")", p), kMet);
  EXPECT_THAT(Eval("has_variant(\"KIT\", type: \"missense\")", p).missing,
              ElementsAre("KIT positive but the variant is not recorded"));
  EXPECT_THAT(Eval("has_variant(\"NPM1\", min_vaf: 10)", p).missing,
              ElementsAre("NPM1 VAF not recorded"));
  auto hgvs = PatientBuilder().mutable_history();
  hgvs.variants.push_back({"IDH1", "p.Arg132His", "missense", 30, "ngs", D("2023-01-05")});
  EXPECT_EQ(V("has_variant(\"IDH1\", hgvs: \"p.Arg132His\")", hgvs), kMet);
  EXPECT_EQ(V("has_variant(\"IDH1\", hgvs: \"p.Arg132Cys\")", hgvs), kNotMet);
}

TEST(CriteriaFactsTest, GeneTestedResultAndLists) {
  auto p = PatientBuilder().Variant("KRAS", "missense", 20).Test("NRAS", "negative").Build();
  EXPECT_EQ(V("gene_tested(\"NRAS\") and gene_tested(\"KRAS\")", p), kMet);
  EXPECT_EQ(V("gene_tested(\"IDH1\")", p), kNotMet);
  EXPECT_EQ(V("gene_result(\"NRAS\") == \"negative\"", p), kMet);
  EXPECT_EQ(V("gene_result(\"IDH1\") == \"not_tested\"", p), kMet);
  EXPECT_EQ(V("has_variant_in([\"NRAS\", \"KRAS\"])", p), kMet);
  EXPECT_EQ(V("has_variant_in([\"NRAS\"])", p), kNotMet);
  auto e = Eval("has_variant_in([\"NRAS\", \"PTPN11\", \"BRAF\"])", p);
  EXPECT_EQ(e.verdict, kUnknown);
  EXPECT_THAT(e.missing, ElementsAre("PTPN11 not tested", "BRAF not tested"));
}

TEST(CriteriaFactsTest, FusionsAndKaryotype) {
  auto p =
      PatientBuilder().Fusion("KMT2A::AFF1").Karyotype({"kmt2a_rearranged", "minus_7"}).Build();
  EXPECT_EQ(V("has_fusion(\"KMT2A::*\")", p), kMet);
  EXPECT_EQ(V("has_fusion(\"*::AFF1\")", p), kMet);
  EXPECT_EQ(V("has_fusion(\"KMT2A::MLLT3\")", p), kNotMet);  // karyotype shows no t(9;11)
  EXPECT_EQ(V("has_fusion(\"BCR::ABL1\")", p), kNotMet);
  EXPECT_THAT(Eval("has_fusion(\"*::ABL2\")", p).missing,
              ElementsAre("no test for *::ABL2 fusion recorded"));
  auto neg = PatientBuilder().Test("ABL2", "negative").Build();
  EXPECT_EQ(V("has_fusion(\"*::ABL2\")", neg), kNotMet);
  EXPECT_EQ(V("karyotype_has(\"minus_7\")", p), kMet);
  EXPECT_EQ(V("karyotype_has(\"complex\")", p), kNotMet);
  EXPECT_THAT(Eval("karyotype_has(\"minus_7\")", PatientBuilder().Build()).missing,
              ElementsAre("no karyotype"));
  EXPECT_THAT(
      Eval("karyotype_has(\"minus_7\")", PatientBuilder().Karyotype({}, true).Build()).missing,
      ElementsAre("karyotype failed"));
}

TEST(CriteriaFactsTest, Eln2022Risk) {
  auto p = PatientBuilder().Karyotype({"complex"}).Build();
  EXPECT_EQ(V("eln2022_risk == \"adverse\"", p), kMet);
  auto e = Eval("eln2022_risk != \"adverse\"", PatientBuilder().Build());
  EXPECT_EQ(e.verdict, kUnknown);
  EXPECT_THAT(e.missing, ::testing::Contains("no karyotype"));
  EXPECT_THAT(e.missing, ::testing::Contains("NPM1 not tested"));
}

TEST(CriteriaFactsTest, TreatmentExposure) {
  auto p = PatientBuilder()
               .Line({"cytarabine", "daunorubicin"}, "2023-01-10", "2023-02-10")
               .Line({"venetoclax", "azacitidine"}, "2023-06-01", "2023-11-15", "low_intensity")
               .Build();
  EXPECT_EQ(V("prior_lines == 2", p), kMet);
  EXPECT_EQ(V("prior_lines == 1", p, "2023-03-01"), kMet);
  EXPECT_EQ(V("prior_lines between 1 and 2", p), kMet);
  EXPECT_EQ(V("exposed_to(\"venetoclax\")", p), kMet);
  EXPECT_EQ(V("exposed_to(\"venetoclax\", within: 3 months)", p, "2024-02-01"), kMet);
  EXPECT_EQ(V("exposed_to(\"venetoclax\", within: 3 months)", p, "2024-02-16"), kNotMet);
  EXPECT_EQ(V("exposed_to(\"venetoclax\", within: 90 days)", p, "2024-02-13"), kMet);
  EXPECT_EQ(V("exposed_to(\"venetoclax\")", p, "2023-05-31"), kNotMet);
  EXPECT_EQ(V("exposed_to(\"gilteritinib\")", p), kNotMet);
  EXPECT_EQ(V("days_since_agent(\"venetoclax\") == 78", p, "2024-02-01"), kMet);
  EXPECT_THAT(Eval("days_since_agent(\"gilteritinib\") > 90", p).missing,
              ElementsAre("no exposure to gilteritinib recorded"));
  // Ongoing lines run up to the evaluation date.
  auto ongoing = PatientBuilder().Line({"venetoclax"}, "2023-01-01", std::nullopt).Build();
  EXPECT_EQ(V("days_since_agent(\"venetoclax\") == 0", ongoing), kMet);
  EXPECT_EQ(V("exposed_to(\"venetoclax\", within: 1 day)", ongoing), kMet);
}

TEST(CriteriaFactsTest, TransplantAndGvhd) {
  auto p = PatientBuilder().Transplant("matched_unrelated", "2023-06-01").AcuteGvhd(1).Build();
  EXPECT_EQ(V("had_transplant and had_allogeneic_transplant and transplant_count == 1", p), kMet);
  EXPECT_EQ(V("last_transplant.donor_type != \"cord_blood\"", p), kMet);
  EXPECT_EQ(V("last_transplant.graft_manipulation == \"unmanipulated\"", p), kMet);
  EXPECT_EQ(V("last_transplant.stem_cell_source in [\"bone_marrow\", \"peripheral_blood\"]", p),
            kMet);
  EXPECT_EQ(V("last_transplant.conditioning == \"reduced_intensity\"", p), kMet);
  EXPECT_EQ(V("last_transplant.date == 2023-06-01", p), kMet);
  EXPECT_EQ(V("\"cyclosporin_a\" in last_transplant.gvhd_prophylaxis", p), kMet);
  EXPECT_EQ(V("\"tacrolimus\" in last_transplant.gvhd_prophylaxis", p), kNotMet);
  EXPECT_EQ(V("max_acute_gvhd_grade < 2", p), kMet);
  EXPECT_EQ(V("had_chronic_gvhd or had_dli", p), kNotMet);
  auto none = PatientBuilder().Build();
  EXPECT_EQ(V("had_transplant", none), kNotMet);
  EXPECT_EQ(V("max_acute_gvhd_grade == 0", none), kMet);
  EXPECT_THAT(Eval("last_transplant.donor_type != \"cord_blood\"", none).missing,
              ElementsAre("no transplant recorded"));
  auto bare = PatientBuilder().Transplant("haploidentical", "2023-06-01", std::nullopt, {}).Build();
  EXPECT_THAT(Eval("last_transplant.graft_manipulation == \"unmanipulated\"", bare).missing,
              ElementsAre("graft manipulation not recorded"));
  EXPECT_THAT(Eval("\"cyclosporin_a\" in last_transplant.gvhd_prophylaxis", bare).missing,
              ElementsAre("GVHD prophylaxis not recorded"));
}

TEST(CriteriaFactsTest, PerformanceStatus) {
  auto p = PatientBuilder().Ecog(3, "2023-01-01").Ecog(1, "2024-01-05").Build();
  EXPECT_EQ(V("ecog <= 2", p), kMet);
  EXPECT_EQ(V("ecog == 3", p, "2023-06-01"), kMet);
  auto h = PatientBuilder().Build();
  h.performance.push_back({D("2024-01-01"), "karnofsky", 70});
  h.performance.push_back({D("2024-01-01"), "lansky", 60});
  EXPECT_EQ(V("karnofsky >= 70 and lansky == 60", h), kMet);
  EXPECT_THAT(Eval("ecog <= 2", h).missing, ElementsAre("no ECOG performance status recorded"));
}

TEST(CriteriaFactsTest, ResponseAndRemission) {
  auto p = PatientBuilder()
               .Line({"cytarabine"}, "2023-10-01", "2023-11-01")
               .Response(CrAssessment("2024-01-02"))
               .Build();
  EXPECT_EQ(V("latest_response == \"cr\" and in_cr", p), kMet);
  EXPECT_EQ(V("latest_response_date == 2024-01-02", p), kMet);
  auto relapsed =
      PatientBuilder().Response(CrAssessment("2024-01-02")).Relapse("2024-01-20").Build();
  EXPECT_EQ(V("in_cr", relapsed), kNotMet);
  EXPECT_EQ(V("relapse_count == 1 and first_relapse.type == \"haematological\"", relapsed), kMet);
  EXPECT_EQ(V("first_relapse.date == 2024-01-20 and last_relapse.date == 2024-01-20", relapsed),
            kMet);
  EXPECT_EQ(V("last_relapse.type == \"haematological\"", relapsed), kMet);
  // Counts that cannot decide fall back to the category the site entered.
  ResponseAssessment entered;
  entered.assessment_date = D("2024-01-02");
  entered.eln2022_category = "cri";
  EXPECT_EQ(V("latest_response == \"cri\" and in_cr", PatientBuilder().Response(entered).Build()),
            kMet);
  ResponseAssessment partial = CrAssessment("2024-01-02");
  partial.extramedullary_disease.reset();
  auto e = Eval("in_cr", PatientBuilder().Response(partial).Build());
  EXPECT_EQ(e.verdict, kUnknown);
  EXPECT_THAT(e.missing, ElementsAre("latest response assessment (2024-01-02): extramedullary "
                                     "disease not recorded"));
  EXPECT_THAT(Eval("in_cr", PatientBuilder().Build()).missing,
              ElementsAre("no response assessment recorded"));
  ResponseAssessment mrd = CrAssessment();
  mrd.mrd_status = "negative";
  EXPECT_EQ(V("mrd_negative", PatientBuilder().Response(mrd).Build()), kMet);
  EXPECT_THAT(Eval("mrd_negative", p).missing,
              ElementsAre("no MRD result at the latest assessment"));
}

TEST(CriteriaFactsTest, PartialRemissionUsesBlastsBeforeTheLine) {
  ResponseAssessment before;
  before.assessment_date = D("2023-09-20");
  before.marrow_blasts = 60;
  ResponseAssessment after = CrAssessment("2023-11-20");
  after.marrow_blasts = 20;
  auto p = PatientBuilder()
               .Response(before)
               .Line({"cytarabine"}, "2023-10-01", "2023-10-10")
               .Response(after)
               .Build();
  EXPECT_EQ(V("latest_response == \"pr\"", p), kMet);
}

TEST(CriteriaFactsTest, ConsentAttestationsAdverseEventsAlive) {
  auto p = PatientBuilder()
               .Consent({"registry", "trial"}, "2024-01-10")
               .Consent({"biobank"}, "2024-01-10", "2024-01-20")
               .Build();
  EXPECT_EQ(V("consented(\"trial\")", p), kMet);
  EXPECT_EQ(V("consented(\"trial\")", p, "2024-01-09"), kNotMet);
  EXPECT_EQ(V("consented(\"biobank\")", p, "2024-01-15"), kMet);
  EXPECT_EQ(V("consented(\"biobank\")", p), kNotMet);
  Attestations att = {{"not_pregnant", true}, {"able_to_comply", false}};
  EXPECT_EQ(V("attested(\"not_pregnant\")", p, "2024-02-01", att), kMet);
  EXPECT_EQ(V("attested(\"able_to_comply\")", p, "2024-02-01", att), kNotMet);
  EXPECT_THAT(Eval("attested(\"unfit_for_intensive_chemotherapy\")", p).missing,
              ElementsAre("not attested by the site: unfit_for_intensive_chemotherapy"));
  auto ae = PatientBuilder().mutable_history();
  AdverseEvent fn;
  fn.ctcae_term = "Febrile neutropenia";
  fn.grade = 3;
  fn.onset_date = D("2024-01-01");
  fn.resolution_date = D("2024-01-10");
  ae.adverse_events.push_back(fn);
  EXPECT_EQ(V("had_adverse_event(\"Febrile neutropenia\", min_grade: 3)", ae), kMet);
  EXPECT_EQ(V("had_adverse_event(min_grade: 4)", ae), kNotMet);
  EXPECT_EQ(V("had_adverse_event(within: 30 days)", ae, "2024-02-01"), kMet);
  EXPECT_EQ(V("had_adverse_event(within: 7 days)", ae, "2024-02-01"), kNotMet);
  EXPECT_EQ(V("alive", ae), kMet);
  EXPECT_EQ(V("alive", PatientBuilder().Death("2024-01-15").Build()), kNotMet);
  EXPECT_EQ(V("evaluation_date == 2024-02-01", ae), kMet);
}

// --- limits ---------------------------------------------------------------------------------

TEST(CriteriaLimitsTest, StepAndDepthLimitsAreErrors) {
  std::string chain = "true";
  for (int i = 0; i < 200; ++i) chain += " and true";
  auto c = MustCompile(chain);
  Evaluator small({.max_depth = 64, .max_steps = 50});
  auto r = small.Evaluate(c, PatientBuilder().Build(), D("2024-01-01"));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("exceeded 50 steps"));
  Evaluator shallow({.max_depth = 2, .max_steps = 1000});
  auto d =
      shallow.Evaluate(MustCompile("not not not true"), PatientBuilder().Build(), D("2024-01-01"));
  ASSERT_FALSE(d.ok());
  EXPECT_THAT(d.error().message, HasSubstr("exceeded depth 2"));
  // The same evaluator works again afterwards.
  Evaluator normal;
  EXPECT_TRUE(normal.Evaluate(c, PatientBuilder().Build(), D("2024-01-01")).ok());
  EXPECT_TRUE(normal.Evaluate(c, PatientBuilder().Build(), D("2024-01-01")).ok());
}

TEST(CriteriaConcurrencyTest, OneCompiledCriterionManyThreads) {
  auto c =
      MustCompile("age between 18 and 70 and has_variant(\"FLT3\", type: \"itd\") and ecog <= 2");
  auto met = PatientBuilder().Variant("FLT3", "itd", 20).Ecog(1).Build();
  auto unknown = PatientBuilder().Build();
  std::vector<int> wrong(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Evaluator evaluator;  // one per thread
      for (int i = 0; i < 2000; ++i) {
        auto a = evaluator.Evaluate(c, met, D("2024-02-01"));
        auto b = evaluator.Evaluate(c, unknown, D("2024-02-01"));
        if (!a.ok() || a->verdict != kMet || !b.ok() || b->verdict != kUnknown ||
            b->missing.size() != 2) {
          ++wrong[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_THAT(wrong, ::testing::Each(0));
}

}  // namespace
}  // namespace stream::rules
