// EORTC QLQ-C30 v3.0 scoring as the scoring manual (3rd ed.) defines it, on worked
// examples computed by hand from the manual's formulas; the half-items rule; the 2016
// summary score; answers outside the response scale refused by item.
#include "clinical/pro_instrument.h"

#include <gtest/gtest.h>

namespace stream::clinical {
namespace {

// The QLQ-C30 v3.0 structure (the shipped instruments/eortc_qlq_c30_v3.yaml is checked
// against the same examples in tests/protocol/instrument_loader_test.cc).
ProInstrument QlqC30() {
  ProInstrument q{"eortc_qlq_c30", "3.0", "EORTC QLQ-C30", "adult", {}, {}, {}};
  for (int n = 1; n <= 30; ++n)
    q.items.push_back({n, "q" + std::to_string(n), "", 1, n <= 28 ? 4 : 7});
  using K = ScaleKind;
  q.scales = {{"QL2", "Global health status", K::kGlobal, {29, 30}},
              {"PF2", "Physical functioning", K::kFunctional, {1, 2, 3, 4, 5}},
              {"RF2", "Role functioning", K::kFunctional, {6, 7}},
              {"EF", "Emotional functioning", K::kFunctional, {21, 22, 23, 24}},
              {"CF", "Cognitive functioning", K::kFunctional, {20, 25}},
              {"SF", "Social functioning", K::kFunctional, {26, 27}},
              {"FA", "Fatigue", K::kSymptom, {10, 12, 18}},
              {"NV", "Nausea and vomiting", K::kSymptom, {14, 15}},
              {"PA", "Pain", K::kSymptom, {9, 19}},
              {"DY", "Dyspnoea", K::kSymptom, {8}},
              {"SL", "Insomnia", K::kSymptom, {11}},
              {"AP", "Appetite loss", K::kSymptom, {13}},
              {"CO", "Constipation", K::kSymptom, {16}},
              {"DI", "Diarrhoea", K::kSymptom, {17}},
              {"FI", "Financial difficulties", K::kSymptom, {28}}};
  q.summary = {"PF2", "RF2", "EF", "CF", "SF", "FA", "NV", "PA", "DY", "SL", "AP", "CO", "DI"};
  return q;
}

const ScaleScore& Scale(const InstrumentScores& s, const std::string& code) {
  for (const auto& x : s.scales)
    if (x.code == code) return x;
  throw std::logic_error("no scale " + code);
}

std::map<int, int> All(int answer_1_28, int answer_29_30) {
  std::map<int, int> a;
  for (int n = 1; n <= 30; ++n) a[n] = n <= 28 ? answer_1_28 : answer_29_30;
  return a;
}

TEST(ProInstrumentTest, TheDefinitionIsConsistent) { EXPECT_TRUE(CheckInstrument(QlqC30()).ok()); }

TEST(ProInstrumentTest, ScoresAWorkedExampleAsTheManualDefines) {
  // PF2: items 1–5 answered 1,1,2,1,1: RS = 1.2, S = (1 − 0.2/3)·100 = 93.33.
  // RF2: 2,2: RS = 2, S = (1 − 1/3)·100 = 66.67.   EF: 2,2,3,1: RS = 2, S = 66.67.
  // QL2: 5,6: RS = 5.5, S = 4.5/6·100 = 75.        FA: 3,2,2: RS = 7/3, S = (4/3)/3·100 = 44.44.
  // DY: 1 → 0.   FI: 4 → 100.   NV: 1,2: RS 1.5 → 16.67.
  std::map<int, int> a = {{1, 1},  {2, 1},  {3, 2},  {4, 1},  {5, 1},  {6, 2},  {7, 2},  {8, 1},
                          {9, 1},  {10, 3}, {11, 2}, {12, 2}, {13, 1}, {14, 1}, {15, 2}, {16, 1},
                          {17, 1}, {18, 2}, {19, 1}, {20, 1}, {21, 2}, {22, 2}, {23, 3}, {24, 1},
                          {25, 2}, {26, 1}, {27, 1}, {28, 4}, {29, 5}, {30, 6}};
  auto s = ScoreQuestionnaire(QlqC30(), a);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_NEAR(*Scale(*s, "PF2").score, 93.333333333333, 1e-9);
  EXPECT_NEAR(*Scale(*s, "RF2").score, 66.666666666667, 1e-9);
  EXPECT_NEAR(*Scale(*s, "EF").score, 66.666666666667, 1e-9);
  EXPECT_NEAR(*Scale(*s, "CF").score, 83.333333333333, 1e-9);  // 1,2: RS 1.5
  EXPECT_NEAR(*Scale(*s, "QL2").score, 75.0, 1e-12);
  EXPECT_NEAR(*Scale(*s, "FA").score, 44.444444444444, 1e-9);
  EXPECT_NEAR(*Scale(*s, "NV").score, 16.666666666667, 1e-9);
  EXPECT_NEAR(*Scale(*s, "DY").score, 0.0, 1e-12);
  EXPECT_NEAR(*Scale(*s, "SL").score, 33.333333333333, 1e-9);
  EXPECT_NEAR(*Scale(*s, "FI").score, 100.0, 1e-12);
  EXPECT_EQ(Scale(*s, "PF2").answered, 5);
  ASSERT_TRUE(s->summary.has_value());
}

TEST(ProInstrumentTest, TheSummaryScoreReversesSymptomsAndLeavesOutQl2AndFi) {
  // Best answers everywhere: functioning 100, symptoms 0 → summary 100; worst: 0.
  auto best = ScoreQuestionnaire(QlqC30(), All(1, 7));
  ASSERT_TRUE(best.ok());
  EXPECT_NEAR(*best->summary, 100.0, 1e-12);
  auto worst = ScoreQuestionnaire(QlqC30(), All(4, 1));
  ASSERT_TRUE(worst.ok());
  EXPECT_NEAR(*worst->summary, 0.0, 1e-12);
  // Answer 2 everywhere: functioning 66.67, symptoms 33.33 (reversed 66.67) → 66.67,
  // whatever QL2 and FI say.
  auto middle = ScoreQuestionnaire(QlqC30(), All(2, 1));
  ASSERT_TRUE(middle.ok());
  EXPECT_NEAR(*middle->summary, 200.0 / 3.0, 1e-9);
  EXPECT_NEAR(*Scale(*middle, "QL2").score, 0.0, 1e-12);
}

TEST(ProInstrumentTest, AScaleWithFewerThanHalfItsItemsIsNotScorable) {
  auto a = All(2, 4);
  a.erase(3), a.erase(4), a.erase(5);  // PF2: 2 of 5 answered
  a.erase(21), a.erase(22);            // EF: 2 of 4 answered: exactly half, scored
  a.erase(25);                         // CF: 1 of 2: half, scored from item 20 alone
  a.erase(8);                          // DY: its only item
  auto s = ScoreQuestionnaire(QlqC30(), a);
  ASSERT_TRUE(s.ok());
  EXPECT_FALSE(Scale(*s, "PF2").score.has_value());
  EXPECT_NE(Scale(*s, "PF2").not_scorable.find("2 of 5"), std::string::npos);
  EXPECT_NEAR(*Scale(*s, "EF").score, 66.666666666667, 1e-9);
  EXPECT_NEAR(*Scale(*s, "CF").score, 66.666666666667, 1e-9);
  EXPECT_FALSE(Scale(*s, "DY").score.has_value());
  EXPECT_FALSE(s->summary.has_value()) << "a scale of the summary is not scorable";
  EXPECT_NE(s->summary_not_scorable.find("PF2"), std::string::npos);
  auto none = ScoreQuestionnaire(QlqC30(), {});
  ASSERT_TRUE(none.ok());
  for (const auto& scale : none->scales) EXPECT_FALSE(scale.score.has_value()) << scale.code;
}

TEST(ProInstrumentTest, AnAnswerOutsideTheItemsScaleIsRefusedNamingTheItem) {
  auto a = All(2, 4);
  a[29] = 8;
  auto s = ScoreQuestionnaire(QlqC30(), a);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.error().where, "item 29");
  a[29] = 4;
  a[3] = 0;
  EXPECT_EQ(ScoreQuestionnaire(QlqC30(), a).error().where, "item 3");
  a[3] = 1;
  a[31] = 1;
  EXPECT_EQ(ScoreQuestionnaire(QlqC30(), a).error().where, "item 31");
}

TEST(ProInstrumentTest, ADefinitionThatContradictsItselfIsRefused) {
  auto q = QlqC30();
  q.scales.push_back({"BAD", "Mixed ranges", ScaleKind::kSymptom, {28, 29}});
  EXPECT_EQ(CheckInstrument(q).error().where, "scale BAD");
  q = QlqC30();
  q.scales[0].items.push_back(99);
  EXPECT_EQ(CheckInstrument(q).error().where, "scale QL2");
  q = QlqC30();
  q.summary.push_back("QL2");
  EXPECT_EQ(CheckInstrument(q).error().where, "summary");
}

}  // namespace
}  // namespace stream::clinical
