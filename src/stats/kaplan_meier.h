// Kaplan–Meier survival curves per group, with Greenwood errors, Nelson–Aalen
// cumulative hazard, pointwise confidence bands, quantiles, restricted mean and
// survival at fixed times — numerically as R's survival::survfit / quantile.survfit /
// summary(fit, times, extend = TRUE) / print(fit, rmean = tau).
//
// Contract: KaplanMeier(data, options) validates `data` (survival_data.h) and fits one
// curve per group (all rows when `group` is empty). `data.stratum` must be empty: a
// curve per group×stratum is a curve per combined group code. Errors
// (kInvalidArgument, `where` names the field): bad `time`/`event`/`group` (see
// survival_data.h), `conf_level` not in (0,1) ("conf_level"), a probability outside
// [0,1] ("quantile_probs"), `rmean_tau` negative or NaN ("rmean_tau"), `at_times`
// unsorted, negative or NaN ("at_times"). Cost: O(n log n) time (one sort, skipped
// when each group is already in time order), O(n) memory, no per-row allocation.
// Not-reached quantiles, undefined confidence limits and SEs are NaN (R's NA).
//
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "stats/survival_data.h"

namespace stream::stats {

// Transformation used for the pointwise confidence interval (survfit's conf.type).
enum class ConfType {
  kPlain,   // S ± z·S·se, clipped to [0, 1]
  kLog,     // exp(log S ± z·se), upper capped at 1; NaN where S = 0
  kLogLog,  // exp(−exp(log(−log S) ∓ z·se/log S)); NaN where S = 0 or S = 1
};

struct KaplanMeierOptions {
  double conf_level = 0.95;
  ConfType conf_type = ConfType::kLog;
  std::vector<double> quantile_probs = {0.25, 0.5, 0.75};
  std::optional<double> rmean_tau;  // restricted mean survival time up to tau
  std::vector<double> at_times;     // increasing; survival summarised at these times
};

// A survival quantile as R reports it: `prob` is the event probability (0.5 = median);
// `quantile` is where S first drops to 1 − prob, `lower`/`upper` where the lower/upper
// confidence band does. NaN = not reached.
struct SurvivalQuantile {
  double prob = 0;
  double quantile = 0;
  double lower = 0;
  double upper = 0;
};

struct RestrictedMean {
  double tau = 0;
  double rmean = 0;  // ∫_0^tau S(t) dt
  double se = 0;     // survfit's (Greenwood-type) standard error
};

// summary(fit, times, extend = TRUE) at each requested time.
struct SurvivalAtTimes {
  std::vector<double> times;
  std::vector<int64_t> n_risk;
  std::vector<int64_t> n_event_cum_since_prev;  // events in (previous time, this time]
  std::vector<double> surv, std_err, se_surv, cumhaz, std_chaz, lower, upper;
};

struct KaplanMeierCurve {
  std::string label;
  int64_t n = 0;
  std::vector<double> time;  // every distinct time, censor-only times included
  std::vector<int64_t> n_risk, n_event, n_censor;
  std::vector<double> surv;
  std::vector<double> std_err;   // Greenwood SE of −log S: sqrt(Σ d/(n(n−d)))
  std::vector<double> se_surv;   // S·std_err
  std::vector<double> cumhaz;    // Nelson–Aalen Σ d/n
  std::vector<double> std_chaz;  // sqrt(Σ d/n²)
  std::vector<double> lower, upper;
  SurvivalQuantile median;
  std::vector<SurvivalQuantile> quantiles;  // one per options.quantile_probs
  std::optional<RestrictedMean> rmean;
  std::optional<SurvivalAtTimes> at_times;
};

struct KaplanMeierFit {
  double conf_level = 0.95;
  ConfType conf_type = ConfType::kLog;
  std::vector<KaplanMeierCurve> curves;  // one per group, in group-code order
};

[[nodiscard]] Result<KaplanMeierFit> KaplanMeier(const SurvivalData& data,
                                                 const KaplanMeierOptions& options = {});

// Pointwise confidence limits for survival `surv` with SE of −log S `std_err`, as
// survival's survfit_confint (logse = TRUE). `lower`/`upper` are resized to match.
void SurvivalConfidenceBand(const std::vector<double>& surv, const std::vector<double>& std_err,
                            ConfType conf_type, double conf_level, std::vector<double>& lower,
                            std::vector<double>& upper);

// Quantiles of a step curve by R's quantile.survfit rule (findq): the first time where
// S <= 1 − p, or the midpoint of a flat stretch lying within sqrt(machine eps) of 1 − p.
// `time`/`surv`/`lower`/`upper` are a curve as returned above.
std::vector<SurvivalQuantile> SurvivalQuantiles(const std::vector<double>& time,
                                                const std::vector<double>& surv,
                                                const std::vector<double>& lower,
                                                const std::vector<double>& upper,
                                                const std::vector<double>& probs);

}  // namespace stream::stats
