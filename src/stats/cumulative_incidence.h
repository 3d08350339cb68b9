// Cumulative incidence functions for competing risks, reproducing R's cmprsk::cuminc.
//
// Method: the Aalen–Johansen (1978) estimator of each cause's cumulative incidence,
// F_k(t) = Σ_{s ≤ t} S(s−)·d_k(s)/n(s), with S the all-cause Kaplan–Meier, per group, and
// the variance estimate of cmprsk's Fortran routine `cinc` (Gray's delta-method variance,
// with the ties correction 1 − (d−1)/(n−1)). Groups are compared per cause with Gray's
// (1988) test, ρ = 0 by default, optionally stratified (gray_k_sample.h).
// Inputs: times ≥ 0; `cause` holds integer codes, `censor_code` marks censoring, every
// other code is a cause (reported in increasing order); `group` and `stratum` are ids
// (empty = a single group / stratum). Groups are reported in increasing id order and only
// when they have observations, like cuminc's factor levels.
// Errors (kInvalidArgument, naming the field): empty input, length mismatch, a NaN,
// infinite or negative time, no event of any cause.
// Thread safety: pure functions; safe to call concurrently.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"

namespace stream::stats {

struct CumincCurve {
  int group = 0;  // the caller's group id
  int cause = 0;
  std::string name;  // "<group label> <cause>", as cuminc names its list elements
  // cmprsk's raw step function: starts at (0, 0), then the left and the right value at
  // each event time of this cause, and ends at the group's largest follow-up time.
  std::vector<double> raw_time, raw_est, raw_var;
  // Right-continuous form: one entry per distinct raw time (the last one at that time).
  std::vector<double> time, est, var;
};

struct GrayTestResult {
  int cause = 0;
  double stat = 0;  // −1 (p = 1) when the variance matrix is singular, as cmprsk
  double p = 1;
  int df = 0;
};

struct CumincResult {
  std::vector<CumincCurve> curves;    // cause-major, then group, as cmprsk orders them
  std::vector<GrayTestResult> tests;  // one per cause when there are ≥ 2 groups
};

struct CumincOptions {
  int censor_code = 0;
  double rho = 0;  // Gray's test weight (1 − F(t−))^ρ
  // Labels used in curve names, indexed by group id; empty = the id as a number.
  std::vector<std::string> group_labels;
};

[[nodiscard]] Result<CumincResult> CumulativeIncidence(const std::vector<double>& time,
                                                       const std::vector<int>& cause,
                                                       const std::vector<int>& group,
                                                       const std::vector<int>& stratum,
                                                       const CumincOptions& options = {});

// cmprsk::timepoints: estimate and variance of every curve at `times` (sorted, unique).
// Rows = curves, columns = times; NaN where the time is beyond the curve's last time.
struct CumincTimepoints {
  std::vector<double> times;
  std::vector<std::vector<double>> est, var;
};
CumincTimepoints Timepoints(const CumincResult& result, std::vector<double> times);

}  // namespace stream::stats
