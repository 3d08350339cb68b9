// Monte-Carlo simulation of a two-arm survival trial analysed by the log-rank test at
// event-driven analyses (fixed or group-sequential) — as rpact's getSimulationSurvival
// (Wassmer & Pahlke) for a group-sequential design with exponential survival, no dropout,
// thetaH0 = 1 and no sample-size recalculation.
//
// One iteration (N subjects, arms 1 = treatment and 2 = control):
//  - entry: subject i = 1..N enters at i·A/N (rpact's recruitment times for a constant
//    accrual intensity N/A, the last at A), or, with EntryTimes::kRandomUniform, at the
//    i-th order statistic of N uniforms on [0, A]; subjects are allocated in entry order
//    in blocks, allocation1 to arm 1 alternating with allocation2 to arm 2 (rpact's
//    `allocation1`, `allocation2`);
//  - survival: T ~ Exponential(λ), λ2 = ln 2 / median_control, λ1 = HR·λ2, each arm's
//    sample drawn in increasing order (Rényi's representation of exponential order
//    statistics) and given to the arm's subjects in a uniformly random order — the law
//    of independent draws without a sort;
//  - analysis k happens at the calendar time of the D_k-th event (D_k = planned_events[k],
//    cumulative); everyone entered by then is analysed, censored at that time;
//  - the log-rank statistic Z = (O1 − E1)/√V (Mantel 1966; hypergeometric variance, tied
//    times grouped as survival::survdiff groups them, so Z² is stats/log_rank.h's chisq);
//    `direction` orients it as rpact does: kLower (rpact directionUpper = FALSE: H1 is
//    HR < 1) uses −Z, kUpper uses Z;
//  - one-sided designs reject H0 at stage k when the oriented Z >= u_k and stop for
//    futility at an interim when it is <= f_k (−6 by default, rpact's "no futility");
//    two-sided designs (which rpact does not simulate) reject when |Z| >= u_k. u_k come
//    from GroupSequentialBoundaries; the trial stops at the first rejection or futility
//    stop.
// The estimates are averages over iterations, each with its Monte-Carlo standard error.
//
// Contract: errors are kInvalidArgument naming the field — "alpha", "sided",
// "information_rates" (as GroupSequentialBoundaries; one per planned analysis),
// "futility_bounds" (one-sided only, one per interim, below u_k), "hazard_ratio"
// (> 0; 1 simulates H0), "median_control", "accrual_time" (> 0), "subjects" (at least
// allocation1 + allocation2, at most 10⁷), "planned_events" (1 to 20 strictly increasing
// positive integers, the last at most `subjects`), "allocation1"/"allocation2" (>= 1),
// "iterations" (1 to 10⁸). Cost: O(iterations · stages · N) expected time, O(N) memory;
// 10,000 iterations of a 284-subject fixed design take about 0.07 s.
//
// Thread safety: a function of its arguments that advances `random`; concurrent calls
// need their own RandomSource.
#pragma once

#include <cstdint>
#include <vector>

#include "core/random_source.h"
#include "core/result.h"
#include "stats/group_sequential.h"

namespace stream::stats {

enum class SimulationDirection {
  kLower,  // H1: hazard ratio < 1 (rpact directionUpper = FALSE)
  kUpper,  // H1: hazard ratio > 1 (rpact directionUpper = TRUE)
};

enum class EntryTimes {
  kEquallySpaced,  // subject i at i·A/N, as rpact
  kRandomUniform,  // order statistics of N independent Uniform(0, A)
};

struct TrialSimulationSettings {
  // Design: boundaries from GroupSequentialBoundaries(information_rates, alpha, sided).
  double alpha = 0.025;
  int sided = 1;
  BoundaryType boundary = BoundaryType::kOBrienFleming;
  std::vector<double> information_rates;  // empty: planned_events / planned_events.back()
  std::vector<double> futility_bounds;    // one per interim on the oriented z scale; empty: −6
  SimulationDirection direction = SimulationDirection::kLower;
  // Trial.
  double hazard_ratio = 0.7;                    // λ1/λ2, treatment (1) over control (2)
  double median_control = 6.0;                  // exponential control median
  double accrual_time = 24.0;                   // accrual over [0, accrual_time]
  int64_t subjects = 284;                       // rpact maxNumberOfSubjects
  std::vector<int64_t> planned_events = {247};  // cumulative events at each analysis
  int allocation1 = 1;
  int allocation2 = 1;
  EntryTimes entry = EntryTimes::kEquallySpaced;
  int64_t iterations = 1000;  // rpact maxNumberOfIterations
};

// A Monte-Carlo estimate and its standard error: √(p(1 − p)/n) for a proportion of the n
// iterations, s/√n for a mean over n iterations (s the sample standard deviation).
struct McEstimate {
  double value = 0;
  double se = 0;
};

// rpact's field names in comments. Per-stage means are over the iterations that reached
// the stage; probabilities are over all iterations.
struct TrialSimulationResult {
  Boundaries boundaries;
  std::vector<double> information_rates;
  double lambda1 = 0, lambda2 = 0, median1 = 0;
  double accrual_intensity = 0;                // subjects / accrual_time
  double allocation_ratio = 0;                 // allocation1 / allocation2 (allocationRatioPlanned)
  int64_t iterations = 0;                      // maxNumberOfIterations
  std::vector<int64_t> iterations_per_stage;   // iterations: how many reached stage k
  std::vector<McEstimate> reject_per_stage;    // rejectPerStage
  McEstimate overall_reject;                   // overallReject
  std::vector<McEstimate> futility_per_stage;  // futilityPerStage (interims only)
  McEstimate futility_stop;                    // futilityStop
  McEstimate early_stop;                       // earlyStop: stops before the last stage
  std::vector<McEstimate> analysis_time;       // analysisTime: calendar time of analysis k
  std::vector<McEstimate> subjects_per_stage;  // numberOfSubjects: entered by analysis k
  std::vector<McEstimate> events_per_stage;    // cumulativeEventsPerStage (overall)
  // conditionalPowerAchieved: rpact's conditional power for stage k >= 2 at the planned
  // events, with the effect estimated from stage k − 1 (exp(Z(1+r)/√(r·D))). NaN at k = 1.
  std::vector<McEstimate> conditional_power;
  // Means over iterations of the value at the stopping analysis. (rpact's plug-in
  // Σ_k numberOfSubjects_k · P(stop at k) ignores that early stoppers accrued more
  // subjects than the average trial at that stage; it is ~0.3 lower for an OF design.)
  McEstimate expected_events;    // expectedNumberOfEvents
  McEstimate expected_subjects;  // expectedNumberOfSubjects
  McEstimate study_duration;     // studyDuration
};

[[nodiscard]] Result<TrialSimulationResult> SimulateSurvivalTrial(
    const TrialSimulationSettings& settings, RandomSource& random);

// The two-sample log-rank statistic the simulation uses, on plain data: Z = (O1 − E1)/√V
// for arm 1 (`arm1[i]` true) against the rest, tied times grouped; 0 when V = 0.
// Precondition: equal lengths, times finite and >= 0.
double TwoSampleLogRankZ(const std::vector<double>& time, const std::vector<bool>& event,
                         const std::vector<bool>& arm1);

}  // namespace stream::stats
