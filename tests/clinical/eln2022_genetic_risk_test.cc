#include "clinical/eln2022_genetic_risk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/patient_builder.h"

namespace stream::clinical {
namespace {

using ::stream::testing::PatientBuilder;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// All genes the classification reads, tested negative: a fully worked-up patient.
PatientBuilder WorkedUp() {
  PatientBuilder b;
  b.Diagnosis().Negative({"NPM1", "FLT3", "CEBPA", "TP53", "ASXL1", "BCOR", "EZH2", "RUNX1",
                          "SF3B1", "SRSF2", "STAG2", "U2AF1", "ZRSR2"});
  return b;
}

GeneticRiskResult Classify(const PatientBuilder& b) {
  return ClassifyEln2022GeneticRisk(b.Build());
}

TEST(Eln2022GeneticRiskTest, NormalKaryotypeAllNegativeIsIntermediate) {
  auto r = Classify(WorkedUp().Karyotype({"normal"}));
  EXPECT_EQ(r.category, GeneticRisk::kIntermediate);
  EXPECT_THAT(r.reasons, Contains("no favourable or adverse lesion found"));
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(Eln2022GeneticRiskTest, CoreBindingFactorIsFavourable) {
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"t_8_21"})).category, GeneticRisk::kFavourable);
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"inv_16"})).category, GeneticRisk::kFavourable);
  // By fusion alone, even without a karyotype.
  auto r = Classify(PatientBuilder().Fusion("CBFB::MYH11"));
  EXPECT_EQ(r.category, GeneticRisk::kFavourable);
  EXPECT_THAT(r.reasons, Contains("CBFB::MYH11 fusion"));
}

TEST(Eln2022GeneticRiskTest, KitAndFlt3DoNotModifyCbf) {
  PatientBuilder b;
  b.Karyotype({"t_8_21"}).Variant("KIT", "missense").Variant("FLT3", "itd", 30);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kFavourable);
}

TEST(Eln2022GeneticRiskTest, MrGenesAreNotAdverseBesideCbf) {
  PatientBuilder b;
  b.Karyotype({"inv_16"}).Variant("ASXL1", "nonsense_frameshift", 40);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kFavourable);
}

TEST(Eln2022GeneticRiskTest, CbfIsClassDefiningOverOtherLesions) {
  // Additional abnormalities (even >= 3) and TP53 do not override CBF AML in this rule set.
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"t_8_21", "complex", "minus_7"})).category,
            GeneticRisk::kFavourable);
  PatientBuilder tp53 = WorkedUp();
  tp53.Karyotype({"inv_16"}).Variant("TP53", "missense", 40);
  EXPECT_EQ(Classify(tp53).category, GeneticRisk::kFavourable);
}

TEST(Eln2022GeneticRiskTest, T911BeatsTp53) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"t_9_11"}).Variant("TP53", "missense", 40);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kIntermediate);
}

TEST(Eln2022GeneticRiskTest, ComplexKaryotypeBesideT911DoesNotCount) {
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"t_9_11", "complex"})).category,
            GeneticRisk::kIntermediate);
  // ... but -7 beside t(9;11) is adverse cytogenetics.
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"t_9_11", "minus_7"})).category, GeneticRisk::kAdverse);
}

TEST(Eln2022GeneticRiskTest, Npm1WithoutItdIsFavourable) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("NPM1", "other", 40);
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kFavourable);
  EXPECT_THAT(r.reasons, Contains("NPM1 mutated without FLT3-ITD"));
}

TEST(Eln2022GeneticRiskTest, Npm1WithItdIsIntermediate) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("NPM1").Variant("FLT3", "itd", 20);
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kIntermediate);
  EXPECT_THAT(r.reasons, Contains("NPM1 mutated with FLT3-ITD"));
}

TEST(Eln2022GeneticRiskTest, Npm1WithFlt3TkdOnlyIsFavourable) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("NPM1").Variant("FLT3", "tkd", 20);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kFavourable);
}

TEST(Eln2022GeneticRiskTest, Npm1WithAdverseCytogeneticsIsAdverse) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"minus_7"}).Variant("NPM1");
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kAdverse);
  EXPECT_THAT(r.reasons, Contains("-7 on karyotype"));
}

TEST(Eln2022GeneticRiskTest, Npm1WithMrGeneStaysFavourable) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("NPM1").Variant("SRSF2", "missense", 35);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kFavourable);
}

TEST(Eln2022GeneticRiskTest, BzipCebpaIsFavouriteEvenWithMrGene) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("CEBPA", "in_frame_bzip", 45).Variant("RUNX1", "missense", 30);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kFavourable);
  PatientBuilder non_bzip = WorkedUp();
  non_bzip.Karyotype({"normal"}).Variant("CEBPA", "nonsense_frameshift", 45);
  EXPECT_EQ(Classify(non_bzip).category, GeneticRisk::kIntermediate);
}

TEST(Eln2022GeneticRiskTest, WildTypeNpm1WithItdIsIntermediate) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("FLT3", "itd", 50);
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kIntermediate);
  EXPECT_THAT(r.reasons, Contains("FLT3-ITD"));
}

TEST(Eln2022GeneticRiskTest, ItdWithAdverseLesionIsAdverse) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("FLT3", "itd", 50).Variant("ASXL1", "nonsense_frameshift", 40);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kAdverse);
}

TEST(Eln2022GeneticRiskTest, T911IsIntermediateAndBeatsAdverseMutations) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"t_9_11", "kmt2a_rearranged"}).Variant("RUNX1", "missense", 30);
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kIntermediate);
  EXPECT_THAT(r.reasons, Contains("t(9;11) on karyotype"));
  PatientBuilder fusion = WorkedUp();
  fusion.Karyotype({"normal"}).Fusion("KMT2A::MLLT3");
  EXPECT_EQ(Classify(fusion).category, GeneticRisk::kIntermediate);
  // Without a karyotype, adverse cytogenetics beside t(9;11) cannot be excluded.
  auto unknown = Classify(PatientBuilder().Fusion("KMT2A::MLLT3"));
  EXPECT_EQ(unknown.category, GeneticRisk::kUnknown);
  EXPECT_THAT(unknown.missing, Contains("no karyotype"));
}

TEST(Eln2022GeneticRiskTest, OtherKmt2aRearrangementIsAdverse) {
  auto r = Classify(PatientBuilder().Fusion("KMT2A::AFF1"));
  EXPECT_EQ(r.category, GeneticRisk::kAdverse);
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"kmt2a_rearranged"})).category, GeneticRisk::kAdverse);
}

TEST(Eln2022GeneticRiskTest, EveryAdverseCytogeneticCodeIsAdverse) {
  for (const char* code : {"t_6_9", "t_9_22", "t_8_16", "inv_3", "mecom_rearranged", "minus_5",
                           "del_5q", "minus_7", "minus_17", "abn_17p", "complex", "monosomal"}) {
    EXPECT_EQ(Classify(WorkedUp().Karyotype({code})).category, GeneticRisk::kAdverse) << code;
  }
  for (const char* fusion : {"DEK::NUP214", "BCR::ABL1", "KAT6A::CREBBP", "GATA2::MECOM"}) {
    EXPECT_EQ(Classify(PatientBuilder().Fusion(fusion)).category, GeneticRisk::kAdverse) << fusion;
  }
}

TEST(Eln2022GeneticRiskTest, HyperdiploidTrisomiesOnlyIsNotComplex) {
  EXPECT_EQ(Classify(WorkedUp().Karyotype({"hyperdiploid_trisomies_only"})).category,
            GeneticRisk::kIntermediate);
}

TEST(Eln2022GeneticRiskTest, EveryMrGeneIsAdverseOutsideFavourableSubtypes) {
  for (std::string_view gene : MyelodysplasiaRelatedGenes()) {
    PatientBuilder b = WorkedUp();
    b.Karyotype({"normal"}).Variant(std::string(gene), "missense", 30);
    auto r = Classify(b);
    EXPECT_EQ(r.category, GeneticRisk::kAdverse) << gene;
    EXPECT_THAT(r.reasons, Contains(std::string(gene) + " mutated"));
  }
}

TEST(Eln2022GeneticRiskTest, Tp53NeedsVafOfTenPercent) {
  PatientBuilder high = WorkedUp();
  high.Karyotype({"normal"}).Variant("TP53", "missense", 12);
  EXPECT_EQ(Classify(high).category, GeneticRisk::kAdverse);
  PatientBuilder low = WorkedUp();
  low.Karyotype({"normal"}).Variant("TP53", "missense", 5);
  EXPECT_EQ(Classify(low).category, GeneticRisk::kIntermediate);
  PatientBuilder no_vaf = WorkedUp();
  no_vaf.Karyotype({"normal"}).Variant("TP53", "missense");
  auto r = Classify(no_vaf);
  EXPECT_EQ(r.category, GeneticRisk::kUnknown);
  EXPECT_THAT(r.missing, Contains("TP53 VAF not recorded"));
}

TEST(Eln2022GeneticRiskTest, Tp53BeatsNpm1) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Variant("NPM1").Variant("TP53", "missense", 30);
  EXPECT_EQ(Classify(b).category, GeneticRisk::kAdverse);
}

TEST(Eln2022GeneticRiskTest, NoKaryotypeNoNpm1NoFlt3IsUnknown) {
  auto r = Classify(PatientBuilder().Diagnosis());
  EXPECT_EQ(r.category, GeneticRisk::kUnknown);
  EXPECT_THAT(r.missing, Contains("no karyotype"));
  EXPECT_THAT(r.missing, Contains("NPM1 not tested"));
  EXPECT_THAT(r.reasons, IsEmpty());
}

TEST(Eln2022GeneticRiskTest, FailedKaryotypeIsSaid) {
  auto r = Classify(WorkedUp().Karyotype({}, true));
  EXPECT_EQ(r.category, GeneticRisk::kUnknown);
  EXPECT_THAT(r.missing, Contains("karyotype failed"));
}

TEST(Eln2022GeneticRiskTest, Npm1WithoutFlt3ResultIsUnknownAndSaysFlt3) {
  PatientBuilder b;
  b.Karyotype({"normal"}).Variant("NPM1").Negative({"TP53"});
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kUnknown);
  EXPECT_THAT(r.missing, Contains("FLT3 not tested"));
}

TEST(Eln2022GeneticRiskTest, AdverseKaryotypeDecidesWithoutAnyGeneTest) {
  auto r = Classify(PatientBuilder().Karyotype({"complex"}));
  EXPECT_EQ(r.category, GeneticRisk::kAdverse);
  EXPECT_THAT(r.missing, IsEmpty());
}

TEST(Eln2022GeneticRiskTest, UntestedMrGenesAreNamed) {
  PatientBuilder b;
  b.Karyotype({"normal"}).Negative({"NPM1", "FLT3", "CEBPA", "TP53"});
  auto r = Classify(b);
  EXPECT_EQ(r.category, GeneticRisk::kUnknown);
  ASSERT_EQ(r.missing.size(), 1u);
  EXPECT_THAT(r.missing[0], HasSubstr("myelodysplasia-related genes not tested: ASXL1"));
}

TEST(Eln2022GeneticRiskTest, SamplesAfterTheCutOffAreIgnored) {
  PatientBuilder b = WorkedUp();
  b.Karyotype({"normal"}).Karyotype({"minus_7"}, false, "2024-06-01");
  EXPECT_EQ(ClassifyEln2022GeneticRisk(b.Build(), stream::testing::D("2024-01-01")).category,
            GeneticRisk::kIntermediate);
  EXPECT_EQ(ClassifyEln2022GeneticRisk(b.Build()).category, GeneticRisk::kAdverse);
}

TEST(Eln2022GeneticRiskTest, Names) {
  EXPECT_EQ(ToString(GeneticRisk::kFavourable), "favourable");
  EXPECT_EQ(ToString(GeneticRisk::kIntermediate), "intermediate");
  EXPECT_EQ(ToString(GeneticRisk::kAdverse), "adverse");
  EXPECT_EQ(ToString(GeneticRisk::kUnknown), "unknown");
}

}  // namespace
}  // namespace stream::clinical
