// Group-sequential designs for a two-arm log-rank comparison: efficacy boundaries
// (classical O'Brien–Fleming, Lan–DeMets O'Brien–Fleming-type alpha spending), stage
// crossing probabilities, and the events, subjects, analysis times and power that
// follow — as rpact's getDesignGroupSequential(typeOfDesign = "OF" | "asOF") with
// getSampleSizeSurvival / getPowerSurvival (exponential survival, uniform accrual,
// no futility stopping, no dropout).
//
// Boundaries (z scale, u_k at information fraction t_k; α' = α/sided):
//   O'Brien & Fleming (1979): u_k = C/√t_k with C such that P_H0(reject) = α';
//   Lan & DeMets (1983) spending α'(t) = 2(1 − Φ(Φ⁻¹(1 − α'/2)/√t)), u_k such that
//   the stage spends α'(t_k) − α'(t_{k−1}).
// Two-sided designs reject when |Z_k| >= u_k with the one-sided boundaries for α/2;
// one-sided designs continue while −6 < Z_k < u_k (rpact's default lower limit).
// Stage probabilities use the canonical joint distribution of the sequential z
// statistics and recursive numerical integration with Simpson's rule (Armitage,
// McPherson & Rowe 1969; Jennison & Turnbull 2000, ch. 19); their error is below 1e-8.
//
// Contract: information_rates strictly increasing in (0, 1], ending at 1, at most 20
// stages; the SurvivalDesign rules of sample_size.h. Errors are kInvalidArgument naming
// "information_rates" or the design field.
//
// Thread safety: pure functions.
#pragma once

#include <vector>

#include "core/result.h"
#include "stats/sample_size.h"

namespace stream::stats {

enum class BoundaryType {
  kOBrienFleming,               // rpact "OF"
  kOBrienFlemingAlphaSpending,  // rpact "asOF"
};

struct GroupSequentialDesign {
  std::vector<double> information_rates = {1.0 / 3, 2.0 / 3, 1.0};
  BoundaryType type = BoundaryType::kOBrienFleming;
};

struct Boundaries {
  std::vector<double> critical_values;  // u_k on the z scale
  std::vector<double> stage_levels;     // one-sided nominal levels 1 − Φ(u_k)
  std::vector<double> alpha_spent;      // cumulative type I error (both sides if two-sided)
};

[[nodiscard]] Result<Boundaries> GroupSequentialBoundaries(const GroupSequentialDesign& gs,
                                                           double alpha, int sided);

// Probabilities of stopping at each stage by crossing the upper (u_k) or lower (l_k)
// boundary when Z_k ~ N(drift·√t_k, 1) with independent increments of the score.
struct StageProbabilities {
  std::vector<double> upper;
  std::vector<double> lower;
};
StageProbabilities CrossingProbabilities(const std::vector<double>& information_rates,
                                         const std::vector<double>& upper,
                                         const std::vector<double>& lower, double drift);

struct GroupSequentialSurvival {
  Boundaries boundaries;
  double max_events = 0;
  double max_subjects = 0;
  double accrual_intensity = 0;
  std::vector<double> events_per_stage;
  std::vector<double> analysis_time;
  std::vector<double> subjects_per_stage;
  // Under H1. From GroupSequentialPower: both sides when two-sided; from
  // GroupSequentialSampleSize: the efficacy side only (as rpact reports them).
  std::vector<double> reject_per_stage;
  double overall_reject = 0;
  double early_stop = 0;  // P_H1(stop before the last stage), same convention
  // Expected events / subjects / analysis time count stops on either side. H01 is
  // the midpoint drift (H0 + H1)/2 of rpact's expectedEventsH01 (getDesignCharacteristics'
  // averageSampleNumber01).
  double expected_events_h0 = 0;
  double expected_events_h01 = 0;
  double expected_events_h1 = 0;
  double expected_subjects_h1 = 0;
  // E_H1[time of the stopping analysis] (rpact's studyDuration); like early_stop, a
  // sample-size calculation counts the efficacy side only.
  double study_duration_h1 = 0;
  std::vector<double> critical_hr_lower;  // exp(−u_k(1+r)/√(r·D_k))
  std::vector<double> critical_hr_upper;  // two-sided only: exp(+u_k(1+r)/√(r·D_k))
};

// Events and subjects for `power` (sized on the efficacy side, twoSidedPower = FALSE)
// with the final analysis at accrual_time + follow_up_time.
[[nodiscard]] Result<GroupSequentialSurvival> GroupSequentialSampleSize(
    const SurvivalDesign& design, const GroupSequentialDesign& gs, double power,
    double follow_up_time);

// Power and timing when the final analysis is at `max_events` among `subjects`.
[[nodiscard]] Result<GroupSequentialSurvival> GroupSequentialPower(const SurvivalDesign& design,
                                                                   const GroupSequentialDesign& gs,
                                                                   double max_events,
                                                                   double subjects);

}  // namespace stream::stats
