#include "clinical/eln2022_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "support/patient_builder.h"

namespace stream::clinical {
namespace {

using ::stream::testing::CrAssessment;
using ::testing::Contains;
using ::testing::HasSubstr;

ResponseAssessment WithCounts(double blasts, double anc, double platelets) {
  ResponseAssessment a = CrAssessment();
  a.marrow_blasts = blasts;
  a.anc = anc;
  a.platelets = platelets;
  return a;
}

TEST(Eln2022ResponseTest, CompleteRemission) {
  auto r = ClassifyEln2022Response(WithCounts(2, 1.0, 100), std::nullopt);
  EXPECT_EQ(r.category, ResponseCategory::kCr);
  EXPECT_FALSE(r.mrd_negative);
  EXPECT_THAT(r.reason, HasSubstr("marrow blasts 2 %"));
}

TEST(Eln2022ResponseTest, CrWithPartialRecoveryWhenCrhIsReported) {
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(2, 0.6, 60), std::nullopt).category,
            ResponseCategory::kCrh);
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(2, 0.5, 50), std::nullopt).category,
            ResponseCategory::kCrh);
}

TEST(Eln2022ResponseTest, CriCountsOnlyThoseWhoMissCrh) {
  // ANC full, platelets 40: misses CRh, one count short -> CRi.
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(2, 1.2, 40), std::nullopt).category,
            ResponseCategory::kCri);
  // Without CRh in the protocol, partial recovery with one count full is CRi.
  ResponseOptions no_crh;
  no_crh.report_crh = false;
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(2, 0.6, 120), std::nullopt, no_crh).category,
            ResponseCategory::kCri);
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(2, 0.6, 120), std::nullopt).category,
            ResponseCategory::kCrh);
}

TEST(Eln2022ResponseTest, MorphologicLeukaemiaFreeState) {
  auto a = WithCounts(3, 0.2, 20);
  a.marrow_cellularity = 15;
  EXPECT_EQ(ClassifyEln2022Response(a, std::nullopt).category, ResponseCategory::kMlfs);
  a.marrow_cellularity = 5;
  EXPECT_EQ(ClassifyEln2022Response(a, std::nullopt).category, ResponseCategory::kNonEvaluable);
  a.marrow_cellularity.reset();
  auto r = ClassifyEln2022Response(a, std::nullopt);
  EXPECT_EQ(r.category, ResponseCategory::kUndetermined);
  EXPECT_THAT(r.missing, Contains("marrow cellularity not recorded"));
}

TEST(Eln2022ResponseTest, PartialRemissionNeedsPretreatmentBlasts) {
  auto a = WithCounts(12, 1.5, 150);
  EXPECT_EQ(ClassifyEln2022Response(a, 40.0).category, ResponseCategory::kPr);
  EXPECT_EQ(ClassifyEln2022Response(a, 20.0).category, ResponseCategory::kNoResponse);
  auto r = ClassifyEln2022Response(a, std::nullopt);
  EXPECT_EQ(r.category, ResponseCategory::kUndetermined);
  EXPECT_THAT(r.missing, Contains("pre-treatment marrow blasts not given"));
  // PR needs CR-level counts.
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(12, 0.8, 150), 40.0).category,
            ResponseCategory::kNoResponse);
  EXPECT_EQ(ClassifyEln2022Response(WithCounts(30, 1.5, 150), 80.0).category,
            ResponseCategory::kNoResponse);
}

TEST(Eln2022ResponseTest, BloodBlastsOrEmdMeanNoResponse) {
  auto a = CrAssessment();
  a.blood_blasts = 1;
  EXPECT_EQ(ClassifyEln2022Response(a, std::nullopt).category, ResponseCategory::kNoResponse);
  a = CrAssessment();
  a.extramedullary_disease = true;
  EXPECT_EQ(ClassifyEln2022Response(a, std::nullopt).category, ResponseCategory::kNoResponse);
}

TEST(Eln2022ResponseTest, MissingValuesAreUndeterminedNotGuessed) {
  auto a = CrAssessment();
  a.extramedullary_disease.reset();
  a.anc.reset();
  auto r = ClassifyEln2022Response(a, std::nullopt);
  EXPECT_EQ(r.category, ResponseCategory::kUndetermined);
  EXPECT_THAT(r.missing, Contains("extramedullary disease not recorded"));
  EXPECT_THAT(r.missing, Contains("ANC not recorded"));
  ResponseOptions lenient;
  lenient.unrecorded_emd_is_absent = true;
  a.anc = 2;
  EXPECT_EQ(ClassifyEln2022Response(a, std::nullopt, lenient).category, ResponseCategory::kCr);
}

TEST(Eln2022ResponseTest, NoMarrowIsNonEvaluable) {
  ResponseAssessment a;
  a.anc = 2;
  EXPECT_EQ(ClassifyEln2022Response(a, std::nullopt).category, ResponseCategory::kNonEvaluable);
}

TEST(Eln2022ResponseTest, MrdNegativeQualifier) {
  auto a = CrAssessment();
  a.mrd_status = "negative";
  auto r = ClassifyEln2022Response(a, std::nullopt);
  EXPECT_TRUE(r.mrd_negative);
  EXPECT_THAT(r.reason, HasSubstr("MRD negative"));
  a.mrd_status = "positive_below_lloq";
  EXPECT_FALSE(ClassifyEln2022Response(a, std::nullopt).mrd_negative);
  a.mrd_status.reset();
  a.mrd_value = 0.01;
  EXPECT_FALSE(ClassifyEln2022Response(a, std::nullopt).mrd_negative);
  ResponseOptions o;
  o.mrd_negative_below_percent = 0.1;
  EXPECT_TRUE(ClassifyEln2022Response(a, std::nullopt, o).mrd_negative);
  // Never for MLFS.
  auto m = WithCounts(3, 0.2, 20);
  m.mrd_status = "negative";
  EXPECT_FALSE(ClassifyEln2022Response(m, std::nullopt).mrd_negative);
}

TEST(Eln2022ResponseTest, Eln2017Mapping) {
  EXPECT_EQ(MapEln2017("cr"), ResponseCategory::kCr);
  EXPECT_EQ(MapEln2017("cri"), ResponseCategory::kCri);
  EXPECT_EQ(MapEln2017("mlfs"), ResponseCategory::kMlfs);
  EXPECT_EQ(MapEln2017("pr"), ResponseCategory::kPr);
  EXPECT_EQ(MapEln2017("stable_disease_eln2017"), ResponseCategory::kNoResponse);
  EXPECT_EQ(MapEln2017("progressive_disease_eln2017"), ResponseCategory::kNoResponse);
  EXPECT_EQ(MapEln2017("crh"), std::nullopt);
  EXPECT_EQ(ToEln2017Code(ResponseCategory::kCrh), "cri");
  EXPECT_EQ(ToEln2017Code(ResponseCategory::kCr), "cr");
  EXPECT_EQ(ParseResponseCode("crh"), ResponseCategory::kCrh);
  EXPECT_EQ(ParseResponseCode("bogus"), std::nullopt);
  EXPECT_TRUE(IsCompositeCompleteRemission(ResponseCategory::kCrh));
  EXPECT_FALSE(IsCompositeCompleteRemission(ResponseCategory::kMlfs));
}

}  // namespace
}  // namespace stream::clinical
