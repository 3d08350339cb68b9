// Events, subjects and power for a two-arm comparison of survival by the log-rank
// test, fixed (single-stage) designs — numerically as rpact's getSampleSizeSurvival /
// getPowerSurvival with kMax = 1, exponential survival, uniform accrual, no dropout.
//
// Required events (z_a = Φ⁻¹(1 − α/sided), z_b = Φ⁻¹(power), r = n1/n2, HR = λ1/λ2):
//   Schoenfeld (1983):     D = (z_a + z_b)² (1 + r)² / (r · log(HR)²)
//   Freedman (1982):       D = (z_a + z_b)² (1 + r·HR)² / (r · (1 − HR)²)
//   Hsieh–Freedman (1992): D = (z_a + z_b)² (1 + HR)²/(1 − HR)² · (1 + r)²/(4r)
// Subjects N = D / ω, with ω the probability of an event by the analysis at
// accrual_time + follow_up_time for a subject entering uniformly in [0, accrual_time]:
//   P(λ) = 1 − (e^{−λF} − e^{−λ(A+F)})/(λA),  ω = (r·P(λ1) + P(λ2))/(1 + r).
// Power given D events: Φ(δ√D − z_a) (+ Φ(−δ√D − z_a) two-sided), with δ the formula's
// standardised effect (Schoenfeld: |log HR|·√r/(1+r)).
// As in rpact, the test's direction follows the hazard ratio (HR < 1: treatment better)
// and twoSidedPower = FALSE when sizing two-sided designs.
//
// Contract: errors are kInvalidArgument naming the field: "alpha" (in (0, 1) and
// α/sided < 0.5), "sided" (1 or 2), "power" (in (0, 1)), "hazard_ratio" (> 0, ≠ 1),
// "allocation_ratio" (> 0), "median_control", "accrual_time" (> 0), "follow_up_time"
// (>= 0), "events" (> 0 and below the number of subjects), "subjects" (> 0).
// Group-sequential designs are not covered.
//
// Thread safety: pure functions.
#pragma once

#include "core/result.h"

namespace stream::stats {

enum class EventFormula { kSchoenfeld, kFreedman, kHsiehFreedman };

struct SurvivalDesign {
  double alpha = 0.025;
  int sided = 1;
  double hazard_ratio = 0.7;      // λ1/λ2, treatment (1) over control (2)
  double allocation_ratio = 1.0;  // n1/n2
  EventFormula formula = EventFormula::kSchoenfeld;
  double median_control = 6.0;  // exponential control median (time units of the design)
  double accrual_time = 24.0;   // uniform accrual over [0, accrual_time]
};

struct SampleSizeResult {
  double events = 0;    // required events (not rounded)
  double subjects = 0;  // required subjects (not rounded)
  double subjects1 = 0, subjects2 = 0;
  double accrual_intensity = 0;  // subjects per time unit
  double omega = 0;              // probability of an event by the analysis
  double analysis_time = 0;      // accrual_time + follow_up_time
  double lambda1 = 0, lambda2 = 0, median1 = 0;
  double critical_z = 0;         // Φ⁻¹(1 − α/sided)
  double critical_hr_lower = 0;  // HR boundary below 1: exp(−z(1+r)/√(r·D))
  double critical_hr_upper = 0;  // two-sided only (NaN otherwise): exp(+z(1+r)/√(r·D))
};

// Required events alone (no accrual model needed).
[[nodiscard]] Result<double> RequiredEvents(const SurvivalDesign& design, double power);

[[nodiscard]] Result<SampleSizeResult> SampleSizeSurvival(const SurvivalDesign& design,
                                                          double power, double follow_up_time);

struct PowerResult {
  double power = 0;
  double analysis_time = 0;   // when `events` are expected (root of E[events](t))
  double follow_up_time = 0;  // analysis_time − accrual_time (negative: before accrual ends)
  double accrual_intensity = 0;
  double critical_hr_lower = 0;
  double critical_hr_upper = 0;  // NaN for one-sided designs
};

// Power of the design when the analysis happens at `events` events among `subjects`.
[[nodiscard]] Result<PowerResult> PowerSurvival(const SurvivalDesign& design, double events,
                                                double subjects);

// The standardised effect δ of the design's formula: required events D = ((z_a + z_b)/δ)².
// Precondition: a design that passed validation (hazard_ratio > 0, allocation_ratio > 0).
double StandardisedEffect(const SurvivalDesign& design);

// The calendar time at which `events` events are expected among `subjects` subjects
// under the design's accrual and survival model. Preconditions: 0 < events < subjects,
// validated design.
double AnalysisTimeForEvents(const SurvivalDesign& design, double events, double subjects);

}  // namespace stream::stats
