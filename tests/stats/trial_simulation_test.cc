// Survival-trial simulation against rpact's getSimulationSurvival
// (refdata/expected/rpact.design.json: the `simulation` blocks of the one-sided fixed and
// OF designs, 10,000 iterations each), against the analytic power of
// stats/group_sequential.h, and on cases whose answer is known: H0 rejects at the level,
// a huge effect always rejects, the wrong direction never does, a fixed seed repeats.
//
// Tolerance for Monte-Carlo fields: |ours − rpact| <= 3·√(se_ours² + se_rpact²). Both
// numbers are Monte-Carlo estimates from independent generators (rpact: R's Mersenne
// Twister; ours: xoshiro256** from core/random_source.h, seeded with rpact's seed only for
// show), so their difference has standard error √(se_ours² + se_rpact²); 3 of those leaves
// a 0.3 % chance per field of a false alarm for a correct simulator. se_ours is computed
// from our own iterations (binomial √(p(1−p)/n) for probabilities, s/√n for means);
// se_rpact is binomial from rpact's own proportion, and for means taken equal to ours
// (same n, same distribution). Events at an analysis are exactly the planned ones in our
// simulation (exact event times, no ties); rpact finds the analysis time by bisection to
// 1e-5 and now and then counts one event too many or too few in 10,000 iterations
// (83.9999 for 84), so event counts get an extra absolute allowance of 1e-3.
// Input echoes (λ, medians, accrual intensity) are compared to relative 1e-12.
#include "stats/trial_simulation.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "core/random_source.h"
#include "stats/log_rank.h"
#include "support/refdata.h"

namespace stream::stats {
namespace {

using ::stream::testing::JsonNumber;
using ::stream::testing::JsonNumbers;
using ::stream::testing::Near;

constexpr double kEchoRel = 1e-12;
constexpr double kMcSes = 3.0;
constexpr double kEventSlack = 1e-3;

std::vector<double> Column(const nlohmann::json& matrix) {
  std::vector<double> out;
  for (const auto& row : matrix["rows"]) out.push_back(JsonNumber(row[0]));
  return out;
}

// Within kMcSes standard errors of the difference; prints the agreement in SEs.
::testing::AssertionResult WithinMc(const std::string& field, const McEstimate& ours, double rpact,
                                    double se_rpact, double slack = 0) {
  const double se = std::sqrt(ours.se * ours.se + se_rpact * se_rpact);
  const double diff = ours.value - rpact;
  std::printf("  %-28s stream %12.6f  rpact %12.6f  se(diff) %9.3g  z %+6.2f\n", field.c_str(),
              ours.value, rpact, se, se > 0 ? diff / se : 0.0);
  if (std::abs(diff) <= kMcSes * se + slack) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << field << ": stream " << ours.value << " (se " << ours.se << ") vs rpact " << rpact
         << " (se " << se_rpact << "): more than " << kMcSes << " SE of the difference apart";
}

double BinomialSe(double p, double n) { return std::sqrt(p * (1 - p) / n); }

// The settings of an rpact `simulation_call` (hazardRatio, median2, accrualTime,
// plannedEvents, maxNumberOfSubjects, directionUpper = FALSE) with its design.
TrialSimulationSettings SettingsOf(const nlohmann::json& c) {
  const auto& sim = c["simulation"];
  const auto& design = c["design"];
  TrialSimulationSettings s;
  s.alpha = JsonNumber(design["alpha"]);
  s.sided = design["sided"];
  s.boundary = BoundaryType::kOBrienFleming;  // "fixed" is kMax = 1, where all types agree
  s.information_rates = JsonNumbers(design["informationRates"]);
  s.direction = sim["directionUpper"] ? SimulationDirection::kUpper : SimulationDirection::kLower;
  s.hazard_ratio = JsonNumber(sim["hazardRatio"]);
  s.median_control = JsonNumber(sim["median2"]);
  s.accrual_time = JsonNumber(sim["accrualTime"]);
  s.subjects = sim["maxNumberOfSubjects"];
  s.planned_events.clear();
  for (double d : JsonNumbers(sim["plannedEvents"])) s.planned_events.push_back(std::llround(d));
  s.allocation1 = sim["allocation1"];
  s.allocation2 = sim["allocation2"];
  s.iterations = sim["maxNumberOfIterations"];
  return s;
}

TEST(TrialSimulationRefdataTest, SimulationsMatchRpactWithinMonteCarloError) {
  const nlohmann::json doc = ::stream::testing::LoadExpected("rpact.design.json");
  int checked = 0;
  for (const auto& c : doc["cases"]) {
    if (!c.contains("simulation")) continue;
    const std::string id = c["id"];
    SCOPED_TRACE(id);
    const auto& sim = c["simulation"];
    const TrialSimulationSettings settings = SettingsOf(c);
    const uint64_t seed = sim["seed"];
    std::printf("%s (seed %llu)\n", id.c_str(), static_cast<unsigned long long>(seed));
    SeededRandom random(seed);
    const auto start = std::chrono::steady_clock::now();
    const auto result = SimulateSurvivalTrial(settings, random);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const TrialSimulationResult& r = *result;
    std::printf("  %lld iterations of %lld subjects in %.3f s\n",
                static_cast<long long>(r.iterations), static_cast<long long>(settings.subjects),
                seconds);
    const double n = static_cast<double>(r.iterations);
    const size_t stages = settings.planned_events.size();

    EXPECT_TRUE(Near(r.lambda1, JsonNumber(sim["lambda1"]), kEchoRel));
    EXPECT_TRUE(Near(r.lambda2, JsonNumber(sim["lambda2"]), kEchoRel));
    EXPECT_TRUE(Near(r.median1, JsonNumber(sim["median1"]), kEchoRel));
    EXPECT_TRUE(Near(r.accrual_intensity, JsonNumber(sim["accrualIntensity"]), kEchoRel));
    EXPECT_TRUE(Near(r.allocation_ratio, JsonNumber(sim["allocationRatioPlanned"]), kEchoRel));
    EXPECT_TRUE(Near(r.boundaries.critical_values.back(),
                     JsonNumbers(c["design"]["criticalValues"]).back(), 1e-7));

    const double power = JsonNumber(sim["overallReject"]);
    EXPECT_TRUE(WithinMc("overallReject", r.overall_reject, power,
                         JsonNumber(c["simulation_mc_se_power"])));
    const std::vector<double> reject = Column(sim["rejectPerStage"]);
    const std::vector<double> iterations = Column(sim["iterations"]);
    const std::vector<double> time = Column(sim["analysisTime"]);
    const std::vector<double> subjects = Column(sim["numberOfSubjects"]);
    const std::vector<double> events = Column(sim["overallEventsPerStage"]);
    ASSERT_EQ(reject.size(), stages);
    ASSERT_EQ(r.reject_per_stage.size(), stages);
    for (size_t k = 0; k < stages; ++k) {
      const std::string stage = "[" + std::to_string(k + 1) + "]";
      EXPECT_TRUE(WithinMc("rejectPerStage" + stage, r.reject_per_stage[k], reject[k],
                           BinomialSe(reject[k], n)));
      // The share of iterations reaching stage k is a proportion too.
      const McEstimate reached =
          McEstimate{static_cast<double>(r.iterations_per_stage[k]) / n,
                     BinomialSe(static_cast<double>(r.iterations_per_stage[k]) / n, n)};
      EXPECT_TRUE(WithinMc("iterations/n" + stage, reached, iterations[k] / n,
                           BinomialSe(iterations[k] / n, n)));
      // Means over the iterations reaching stage k: rpact's SE taken equal to ours.
      EXPECT_TRUE(
          WithinMc("analysisTime" + stage, r.analysis_time[k], time[k], r.analysis_time[k].se));
      EXPECT_TRUE(WithinMc("numberOfSubjects" + stage, r.subjects_per_stage[k], subjects[k],
                           r.subjects_per_stage[k].se));
      EXPECT_TRUE(WithinMc("overallEventsPerStage" + stage, r.events_per_stage[k], events[k],
                           r.events_per_stage[k].se, kEventSlack));
      if (k > 0) {
        const double cp = Column(sim["conditionalPowerAchieved"])[k];
        EXPECT_TRUE(WithinMc("conditionalPowerAchieved" + stage, r.conditional_power[k], cp,
                             r.conditional_power[k].se));
      }
    }
    if (stages > 1) {
      const std::vector<double> futility = Column(sim["futilityPerStage"]);
      ASSERT_EQ(r.futility_per_stage.size(), stages - 1);
      for (size_t k = 0; k + 1 < stages; ++k) {
        EXPECT_TRUE(WithinMc("futilityPerStage[" + std::to_string(k + 1) + "]",
                             r.futility_per_stage[k], futility[k], BinomialSe(futility[k], n)));
      }
    }
    const double early = JsonNumber(sim["earlyStop"]);
    EXPECT_TRUE(WithinMc("earlyStop", r.early_stop, early, BinomialSe(early, n)));
    const double futility_stop = JsonNumber(sim["futilityStop"]);
    EXPECT_TRUE(
        WithinMc("futilityStop", r.futility_stop, futility_stop, BinomialSe(futility_stop, n)));
    EXPECT_TRUE(WithinMc("expectedNumberOfEvents", r.expected_events,
                         JsonNumber(sim["expectedNumberOfEvents"]), r.expected_events.se,
                         kEventSlack));
    EXPECT_TRUE(WithinMc("expectedNumberOfSubjects", r.expected_subjects,
                         JsonNumber(sim["expectedNumberOfSubjects"]), r.expected_subjects.se));
    EXPECT_TRUE(WithinMc("studyDuration", r.study_duration, JsonNumber(sim["studyDuration"]),
                         r.study_duration.se));
    ++checked;
  }
  EXPECT_EQ(checked, 4);
}

TrialSimulationSettings Fixed(double hazard_ratio, int64_t iterations) {
  TrialSimulationSettings s;
  s.hazard_ratio = hazard_ratio;
  s.subjects = 284;
  s.planned_events = {247};
  s.iterations = iterations;
  return s;
}

// Simulated power agrees with the analytic power (getPowerSurvival's formulas in
// stats/group_sequential.h) within 3 SE plus 0.01: the analytic value has no Monte-Carlo
// error, but Schoenfeld's normal approximation behind it is itself about half a point
// optimistic at HR 0.7 (fixed design, 247 events: 0.8003 analytic; 200,000 iterations of
// this simulator give 0.7955 ± 0.0009, rpact's getSimulationSurvival 0.7966 ± 0.0009, and
// a naive simulation through stats/log_rank.h with another generator 0.7961 ± 0.0018).
TEST(TrialSimulationTest, PowerMatchesTheAnalyticPower) {
  constexpr double kApproximation = 0.01;
  for (const std::vector<int64_t>& events :
       {std::vector<int64_t>{247}, std::vector<int64_t>{84, 168, 252}}) {
    TrialSimulationSettings s = Fixed(0.7, 20000);
    s.planned_events = events;
    s.subjects = events.size() == 1 ? 284 : 288;
    SCOPED_TRACE(events.size());
    SeededRandom random(7);
    const auto sim = SimulateSurvivalTrial(s, random);
    ASSERT_TRUE(sim.ok());
    GroupSequentialDesign gs;
    gs.information_rates = sim->information_rates;
    const auto analytic = GroupSequentialPower(
        SurvivalDesign{}, gs, static_cast<double>(events.back()), static_cast<double>(s.subjects));
    ASSERT_TRUE(analytic.ok());
    EXPECT_NEAR(sim->overall_reject.value, analytic->overall_reject,
                kMcSes * sim->overall_reject.se + kApproximation);
    for (size_t k = 0; k < events.size(); ++k) {
      EXPECT_NEAR(sim->reject_per_stage[k].value, analytic->reject_per_stage[k],
                  kMcSes * sim->reject_per_stage[k].se + kApproximation);
    }
  }
}

// Under H0 (HR 1) a one-sided design rejects with probability α (its alpha spent),
// a two-sided one with α on both sides together.
TEST(TrialSimulationTest, NoEffectRejectsAtTheSignificanceLevel) {
  const uint64_t seed = 20240601;
  std::printf("seed %llu\n", static_cast<unsigned long long>(seed));
  for (int sided : {1, 2}) {
    for (size_t stages : {1u, 3u}) {
      TrialSimulationSettings s = Fixed(1.0, 20000);
      s.sided = sided;
      s.alpha = sided == 1 ? 0.025 : 0.05;
      if (stages == 3) s.planned_events = {84, 168, 252};
      s.subjects = 288;
      SCOPED_TRACE(std::to_string(sided) + "-sided, " + std::to_string(stages) + " stages");
      SeededRandom random(seed);
      const auto r = SimulateSurvivalTrial(s, random);
      ASSERT_TRUE(r.ok());
      const double level = r->boundaries.alpha_spent.back();
      EXPECT_NEAR(r->overall_reject.value, level, kMcSes * BinomialSe(level, 20000));
    }
  }
}

TEST(TrialSimulationTest, HugeEffectAlwaysRejectsAndTheWrongDirectionNever) {
  TrialSimulationSettings s = Fixed(0.15, 2000);
  s.planned_events = {84, 168, 252};
  s.subjects = 288;
  SeededRandom random(11);
  const auto strong = SimulateSurvivalTrial(s, random);
  ASSERT_TRUE(strong.ok());
  EXPECT_EQ(strong->overall_reject.value, 1.0);
  EXPECT_EQ(strong->iterations_per_stage[1], 0);  // z ≈ 8.7 at the first look, u_1 = 3.47
  EXPECT_EQ(strong->study_duration.value, strong->analysis_time[0].value);
  EXPECT_EQ(strong->expected_events.value, 84);

  s.direction = SimulationDirection::kUpper;  // tests HR > 1 although HR is 0.15
  const auto wrong = SimulateSurvivalTrial(s, random);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong->overall_reject.value, 0.0);
  // Futility at the default bound −6: the oriented z is about −8.7 at the first look.
  EXPECT_GT(wrong->futility_per_stage[0].value, 0.9);
}

// Futility bounds stop as often as the canonical joint distribution says: under H0 with
// f = (0, 0) the stage probabilities are those of CrossingProbabilities.
TEST(TrialSimulationTest, FutilityStopsMatchTheCrossingProbabilities) {
  TrialSimulationSettings s = Fixed(1.0, 40000);
  s.planned_events = {84, 168, 252};
  s.subjects = 288;
  s.futility_bounds = {0.0, 0.0};
  SeededRandom random(3);
  const auto r = SimulateSurvivalTrial(s, random);
  ASSERT_TRUE(r.ok());
  const StageProbabilities p = CrossingProbabilities(
      r->information_rates, r->boundaries.critical_values, {0.0, 0.0, -1e9}, 0.0);
  for (size_t k = 0; k < 2; ++k) {
    EXPECT_NEAR(r->futility_per_stage[k].value, p.lower[k], kMcSes * BinomialSe(p.lower[k], 40000));
  }
  EXPECT_NEAR(r->futility_stop.value, p.lower[0] + p.lower[1],
              kMcSes * BinomialSe(p.lower[0] + p.lower[1], 40000));
}

TEST(TrialSimulationTest, SameSeedSameResultOtherSeedOtherResult) {
  TrialSimulationSettings s = Fixed(0.7, 500);
  s.planned_events = {84, 168, 252};
  s.subjects = 288;
  SeededRandom a(42);
  SeededRandom b(42);
  SeededRandom c(43);
  const auto ra = SimulateSurvivalTrial(s, a);
  const auto rb = SimulateSurvivalTrial(s, b);
  const auto rc = SimulateSurvivalTrial(s, c);
  ASSERT_TRUE(ra.ok() && rb.ok() && rc.ok());
  EXPECT_EQ(ra->overall_reject.value, rb->overall_reject.value);
  EXPECT_EQ(ra->iterations_per_stage, rb->iterations_per_stage);
  for (size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(ra->analysis_time[k].value, rb->analysis_time[k].value);
    EXPECT_EQ(ra->analysis_time[k].se, rb->analysis_time[k].se);
    EXPECT_EQ(ra->subjects_per_stage[k].value, rb->subjects_per_stage[k].value);
  }
  EXPECT_EQ(ra->study_duration.value, rb->study_duration.value);
  EXPECT_NE(ra->study_duration.value, rc->study_duration.value);
}

// Random uniform entry: the same power (entry times change little), and more subjects
// in at an interim on average (E[#entered by t] = N·t/A rather than ⌊N·t/A⌋).
TEST(TrialSimulationTest, RandomEntryKeepsThePower) {
  TrialSimulationSettings s = Fixed(0.7, 20000);
  s.planned_events = {84, 168, 252};
  s.subjects = 288;
  s.entry = EntryTimes::kRandomUniform;
  SeededRandom random(5);
  const auto r = SimulateSurvivalTrial(s, random);
  ASSERT_TRUE(r.ok());
  GroupSequentialDesign gs;
  const auto analytic = GroupSequentialPower(SurvivalDesign{}, gs, 252, 288);
  ASSERT_TRUE(analytic.ok());
  EXPECT_NEAR(r->overall_reject.value, analytic->overall_reject,
              kMcSes * r->overall_reject.se + 0.01);  // as PowerMatchesTheAnalyticPower
  EXPECT_NEAR(r->analysis_time[0].value, analytic->analysis_time[0], 0.1);
}

// The simulation's log-rank statistic is survdiff's: Z² = chisq, sign of O1 − E1 (R's
// numbers from refdata, with ties in aml).
TEST(TrialSimulationTest, LogRankZIsSurvdiff) {
  struct Case {
    const char* dataset;
    const char* expected;
    const char* group;
    const char* arm1;
  } cases[] = {{"aml", "aml.logrank.json", "x", "Maintained"},
               {"veteran", "veteran.logrank.json", "trt", "1"}};
  for (const Case& c : cases) {
    SCOPED_TRACE(c.dataset);
    const auto data = ::stream::testing::LoadDataset(c.dataset);
    const std::vector<double> time = data.Numbers("time");
    const std::vector<double> status = data.Numbers("status");
    const std::vector<std::string> group = data.Texts(c.group);
    std::vector<bool> event;
    std::vector<bool> arm1;
    for (size_t i = 0; i < time.size(); ++i) {
      event.push_back(status[i] == 1);
      arm1.push_back(group[i] == c.arm1);
    }
    const double z = TwoSampleLogRankZ(time, event, arm1);
    const auto doc = ::stream::testing::LoadExpected(c.expected);
    const auto& want = doc["cases"][0];
    ASSERT_EQ(JsonNumber(want["rho"]), 0.0);
    EXPECT_TRUE(Near(z * z, JsonNumber(want["chisq"]), 1e-11));
    const double o_minus_e = JsonNumber(want["observed"][0]) - JsonNumber(want["expected"][0]);
    EXPECT_EQ(z < 0, o_minus_e < 0);
  }
  // Everyone censored: no information, Z = 0.
  EXPECT_EQ(TwoSampleLogRankZ({1, 2, 3}, {false, false, false}, {true, false, true}), 0.0);
}

TEST(TrialSimulationTest, BadInputNamesTheField) {
  struct Case {
    const char* where;
    void (*change)(TrialSimulationSettings&);
  } cases[] = {
      {"sided", [](TrialSimulationSettings& s) { s.sided = 3; }},
      {"alpha", [](TrialSimulationSettings& s) { s.alpha = 0.7; }},
      {"hazard_ratio", [](TrialSimulationSettings& s) { s.hazard_ratio = 0; }},
      {"median_control", [](TrialSimulationSettings& s) { s.median_control = -1; }},
      {"accrual_time", [](TrialSimulationSettings& s) { s.accrual_time = NAN; }},
      {"allocation1", [](TrialSimulationSettings& s) { s.allocation1 = 0; }},
      {"subjects", [](TrialSimulationSettings& s) { s.subjects = 1; }},
      {"planned_events", [](TrialSimulationSettings& s) { s.planned_events = {}; }},
      {"planned_events",
       [](TrialSimulationSettings& s) {
         s.planned_events = {100, 90};
       }},
      {"planned_events", [](TrialSimulationSettings& s) { s.planned_events = {300}; }},
      {"information_rates",
       [](TrialSimulationSettings& s) {
         s.information_rates = {0.5, 1};
       }},
      {"futility_bounds", [](TrialSimulationSettings& s) { s.futility_bounds = {0}; }},
      {"futility_bounds",
       [](TrialSimulationSettings& s) {
         s.planned_events = {100, 200};
         s.futility_bounds = {5};
       }},
      {"iterations", [](TrialSimulationSettings& s) { s.iterations = 0; }},
  };
  for (const Case& c : cases) {
    TrialSimulationSettings s = Fixed(0.7, 10);
    c.change(s);
    SeededRandom random(1);
    const auto r = SimulateSurvivalTrial(s, random);
    ASSERT_FALSE(r.ok()) << c.where;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().where, c.where);
  }
}

}  // namespace
}  // namespace stream::stats
