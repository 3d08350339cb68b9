// The k-sample log-rank test and its Fleming–Harrington G(rho) family, optionally
// stratified — numerically as R's survival::survdiff(Surv(time, event) ~ group
// [+ strata(s)], rho = rho).
//
// Contract: LogRank(data, options) validates `data` (survival_data.h); `group` gives
// the groups compared, `stratum` (optional) the strata within which risk sets are
// formed. Weights are S(t−)^rho with S the Kaplan–Meier estimate pooled over groups
// within each stratum (rho = 0: log-rank, Mantel 1966; rho = 1: Peto & Peto 1972
// modification of the Gehan–Wilcoxon test; Harrington & Fleming 1982). Errors
// (kInvalidArgument, `where` names the field): bad `time`/`event`/`group`/`stratum`
// (see survival_data.h), `rho` negative or NaN ("rho"). The statistic uses the groups
// with expected > 0, drops the first of them and solves V·x = (O−E) as survdiff does;
// when that V is singular the Moore–Penrose generalized inverse is used. With fewer
// than two such groups chisq = 0, df = 0 and p = 1. Cost: O(n log n) time (one sort,
// skipped when presorted by time within stratum), O(n + k²·strata) memory.
//
// Thread safety: a pure function of its arguments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "stats/survival_data.h"

namespace stream::stats {

struct LogRankOptions {
  double rho = 0.0;
};

struct LogRankResult {
  double rho = 0.0;
  std::vector<std::string> groups;          // group labels
  std::vector<int64_t> n;                   // rows per group
  std::vector<double> observed, expected;   // per group, summed over strata (weighted)
  std::vector<double> o_minus_e_sq_over_e;  // (O−E)²/E
  std::vector<double> o_minus_e_sq_over_v;  // (O−E)²/V_ii
  std::vector<std::vector<double>> var;     // k×k variance of O−E
  double chisq = 0.0;
  int df = 0;  // (#groups with expected > 0) − 1
  double p = 1.0;
  // Filled when the data have more than one stratum.
  std::vector<std::string> strata;
  std::vector<int64_t> strata_n;
  std::vector<std::vector<double>> observed_by_stratum;  // [group][stratum]
  std::vector<std::vector<double>> expected_by_stratum;  // [group][stratum]
};

[[nodiscard]] Result<LogRankResult> LogRank(const SurvivalData& data,
                                            const LogRankOptions& options = {});

}  // namespace stream::stats
