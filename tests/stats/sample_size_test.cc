// Fixed-design sample size and power for the log-rank test against rpact
// (refdata/expected/rpact.design.json: the `fixed` designs and the Schoenfeld /
// Freedman / HsiehFreedman variants), plus input errors.
//
// Tolerance: relative 1e-9 for closed-form quantities (events, subjects, ω, λ, critical
// values, power): they are the same formulas in double precision. The analysis time of
// getPowerSurvival is a root that rpact finds with its own solver tolerance (ours is exact
// bisection; they differ by ~5e-9), so it (and the follow-up time derived from it) is compared at
// relative 1e-7. Power to absolute 1e-6 as the brief requires, and relative 1e-9 too.
// Group-sequential designs (OF, asOF) in the same file are tested in group_sequential_test.cc.
#include "stats/sample_size.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "support/refdata.h"

namespace stream::stats {
namespace {

using ::stream::testing::JsonNumber;
using ::stream::testing::Near;

constexpr double kRel = 1e-9;
constexpr double kRootRel = 1e-7;

// rpact matrices are {dim, rows}; a fixed design has one 1×1 entry.
double Single(const nlohmann::json& matrix) { return JsonNumber(matrix["rows"][0][0]); }

EventFormula FormulaOf(const std::string& name) {
  if (name == "Freedman") return EventFormula::kFreedman;
  if (name == "HsiehFreedman") return EventFormula::kHsiehFreedman;
  return EventFormula::kSchoenfeld;
}

TEST(SampleSizeRefdataTest, FixedDesignsMatchRpact) {
  const nlohmann::json doc = ::stream::testing::LoadExpected("rpact.design.json");
  int checked = 0;
  for (const auto& c : doc["cases"]) {
    const std::string id = c["id"];
    if (id.find(".fixed.") == std::string::npos) continue;
    SCOPED_TRACE(id);
    const auto& ss = c["sample_size"];
    SurvivalDesign design;
    design.hazard_ratio = JsonNumber(ss["hazardRatio"]);
    design.allocation_ratio = JsonNumber(ss["allocationRatioPlanned"]);
    design.formula = FormulaOf(ss["typeOfComputation"]);
    design.median_control = JsonNumber(ss["median2"]);
    design.accrual_time = JsonNumber(ss["accrualTime"]);
    double power = 0;
    if (c.contains("design")) {
      design.alpha = JsonNumber(c["design"]["alpha"]);
      design.sided = c["design"]["sided"];
      power = 1 - JsonNumber(c["design"]["beta"]);
    } else {  // the formula variants: getDesignGroupSequential(kMax=1, alpha=0.025, sided=1,
              // beta=0.2)
      design.alpha = 0.025;
      design.sided = 1;
      power = 0.8;
    }
    const auto r = SampleSizeSurvival(design, power, JsonNumber(ss["followUpTime"]));
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_TRUE(Near(r->events, JsonNumber(ss["maxNumberOfEvents"]), kRel));
    EXPECT_TRUE(Near(r->events, JsonNumber(ss["eventsFixed"]), kRel));
    EXPECT_TRUE(Near(r->subjects, JsonNumber(ss["maxNumberOfSubjects"]), kRel));
    EXPECT_TRUE(Near(r->subjects1, JsonNumber(ss["nFixed1"]), kRel));
    EXPECT_TRUE(Near(r->subjects2, JsonNumber(ss["nFixed2"]), kRel));
    EXPECT_TRUE(Near(r->accrual_intensity, JsonNumber(ss["accrualIntensity"]), kRel));
    EXPECT_TRUE(Near(r->omega, JsonNumber(ss["omega"]), kRel));
    EXPECT_TRUE(Near(r->analysis_time, Single(ss["analysisTime"]), kRel));
    // One stage: the expected events and duration are the fixed ones.
    EXPECT_TRUE(Near(r->events, JsonNumber(ss["expectedEventsH1"]), kRel));
    EXPECT_TRUE(Near(r->analysis_time, JsonNumber(ss["studyDuration"]), kRel));
    EXPECT_TRUE(Near(r->analysis_time, JsonNumber(ss["maxStudyDuration"]), kRel));
    EXPECT_TRUE(Near(r->lambda1, JsonNumber(ss["lambda1"]), kRel));
    EXPECT_TRUE(Near(r->lambda2, JsonNumber(ss["lambda2"]), kRel));
    EXPECT_TRUE(Near(r->median1, JsonNumber(ss["median1"]), kRel));
    if (design.sided == 1) {
      EXPECT_TRUE(Near(r->critical_hr_lower, Single(ss["criticalValuesEffectScale"]), kRel));
      EXPECT_TRUE(std::isnan(r->critical_hr_upper));
    } else {
      EXPECT_TRUE(Near(r->critical_hr_lower, Single(ss["criticalValuesEffectScaleLower"]), kRel));
      EXPECT_TRUE(Near(r->critical_hr_upper, Single(ss["criticalValuesEffectScaleUpper"]), kRel));
    }
    ++checked;

    if (!c.contains("power_calc")) continue;
    const auto& in = c["power_inputs"];
    const double subjects = JsonNumber(in["maxNumberOfSubjects"]);
    const double events = JsonNumber(in["maxNumberOfEvents"]);
    // The rounding rule the reference used for the power inputs.
    EXPECT_EQ(subjects, 2 * std::ceil(r->subjects / 2));
    EXPECT_EQ(events, std::ceil(r->events));
    const auto& pc = c["power_calc"];
    const auto p = PowerSurvival(design, events, subjects);
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    EXPECT_TRUE(Near(p->power, JsonNumber(pc["overallReject"]), 0, 1e-6));
    EXPECT_TRUE(Near(p->power, JsonNumber(pc["overallReject"]), kRel));
    EXPECT_TRUE(Near(p->accrual_intensity, JsonNumber(pc["accrualIntensity"]), kRel));
    EXPECT_TRUE(Near(p->analysis_time, Single(pc["analysisTime"]), kRootRel));
    EXPECT_TRUE(Near(p->follow_up_time, JsonNumber(pc["followUpTime"]), kRootRel));
    if (design.sided == 1) {
      EXPECT_TRUE(Near(p->critical_hr_lower, Single(pc["criticalValuesEffectScale"]), kRel));
    } else {
      EXPECT_TRUE(Near(p->critical_hr_lower, Single(pc["criticalValuesEffectScaleLower"]), kRel));
      EXPECT_TRUE(Near(p->critical_hr_upper, Single(pc["criticalValuesEffectScaleUpper"]), kRel));
    }
  }
  EXPECT_EQ(checked, 7);
}

// Schoenfeld by hand: ((z_.975 + z_.8)/log 0.7)² · 4.
TEST(SampleSizeTest, SchoenfeldByHand) {
  const double z = 1.959963984540054 + 0.8416212335729143;
  const auto d = RequiredEvents(SurvivalDesign{}, 0.8);
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(Near(*d, z * z * 4 / (std::log(0.7) * std::log(0.7)), 1e-14));
  // Power at exactly the required events returns the target power.
  const auto p = PowerSurvival(SurvivalDesign{}, *d, 1000);
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(Near(p->power, 0.8, 1e-12));
  // Unequal allocation needs more events: (1 + r)²/r grows away from r = 1.
  SurvivalDesign two_to_one;
  two_to_one.allocation_ratio = 2;
  EXPECT_TRUE(Near(*RequiredEvents(two_to_one, 0.8), *d * 9.0 / 2 / 4, 1e-14));
}

TEST(SampleSizeTest, RejectsBadInput) {
  const auto where = [](const SurvivalDesign& design, double power = 0.8, double follow = 12) {
    const auto r = SampleSizeSurvival(design, power, follow);
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    return r.error().where;
  };
  SurvivalDesign d;
  d.sided = 3;
  EXPECT_EQ(where(d), "sided");
  d = SurvivalDesign{};
  d.alpha = 0;
  EXPECT_EQ(where(d), "alpha");
  d = SurvivalDesign{};
  d.hazard_ratio = 1;
  EXPECT_EQ(where(d), "hazard_ratio");
  d = SurvivalDesign{};
  d.allocation_ratio = -1;
  EXPECT_EQ(where(d), "allocation_ratio");
  d = SurvivalDesign{};
  d.median_control = 0;
  EXPECT_EQ(where(d), "median_control");
  d = SurvivalDesign{};
  d.accrual_time = -1;
  EXPECT_EQ(where(d), "accrual_time");
  EXPECT_EQ(where(SurvivalDesign{}, 1.0), "power");
  EXPECT_EQ(where(SurvivalDesign{}, 0.8, -1), "follow_up_time");
  const auto too_many = PowerSurvival(SurvivalDesign{}, 300, 284);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().where, "events");
  const auto no_subjects = PowerSurvival(SurvivalDesign{}, 10, 0);
  ASSERT_FALSE(no_subjects.ok());
  EXPECT_EQ(no_subjects.error().where, "subjects");
}

}  // namespace
}  // namespace stream::stats
