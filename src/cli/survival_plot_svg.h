// Step-function plots of survival (Kaplan–Meier) or cumulative incidence curves as
// standalone SVG text, written by hand (no plotting library): one step curve per
// group in a colour-blind-safe palette (Okabe & Ito 2008) with a distinct dash
// pattern, shaded pointwise confidence bands, censoring tick marks, axes with ticks and
// labels, a legend and a number-at-risk table under the x axis.
//
// Contract: each curve's `time`, `value`, `lower`, `upper` (and `n_risk`, `n_censor`
// when given) have equal lengths; times are increasing and >= 0. The curve starts at
// (0, start_value) (1 for survival, 0 for cumulative incidence). NaN confidence limits
// (undefined, e.g. log-log where S = 1) fall back to the curve value. Labels are
// XML-escaped. The output is deterministic for the same input.
// Thread safety: a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace stream::cli {

struct PlotCurve {
  std::string label;
  int64_t n = 0;  // subjects at time 0 (number at risk before the first time)
  double start_value = 1.0;
  std::vector<double> time, value, lower, upper;
  std::vector<int64_t> n_risk;    // at risk just before each time
  std::vector<int64_t> n_censor;  // censorings at each time (tick marks)
};

struct SurvivalPlotOptions {
  std::string title;
  std::string x_label = "Time";
  std::string y_label = "Survival probability";
  bool bands = true;
  bool risk_table = true;
  int width = 900;  // pixels; the height follows from the number of curves
};

std::string SurvivalPlotSvg(const std::vector<PlotCurve>& curves,
                            const SurvivalPlotOptions& options);

// Number at risk at time `t`: those with time >= t (n_risk of the first time >= t,
// 0 beyond the last time; `n` before the first time).
int64_t NumberAtRisk(const PlotCurve& curve, double t);

// "Nice" axis ticks covering [0, max]: 0, step, 2·step, … with step 1, 2, 2.5 or 5 × 10^k,
// about `target` intervals.
std::vector<double> NiceTicks(double max, int target);

}  // namespace stream::cli
