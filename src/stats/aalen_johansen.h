// Aalen–Johansen estimate of state occupancy for competing risks, reproducing R's
// survival::survfit with a factor status (survival 3.5): every subject starts in the
// event-free state "(s0)" and moves at most once, to one of the causes.
//
// Method: Aalen & Johansen (1978): p(t) = p(t−)·(I + dA(t)), dA(t) the Nelson–Aalen
// increments out of (s0) (d_k/n for cause k). Standard errors are survival's infinitesimal
// jackknife: sqrt(Σ_i U_i(t)²) with U_i the influence of subject i on p(t). Every subject
// still at risk shares one influence vector and the influence of a subject who left evolves
// linearly, so the sums of squares are propagated as a K × K matrix: O(T·K²) per stratum,
// not O(n·T). Confidence limits are survfit's conf.type = "log": p·exp(∓z·se/p), the upper
// capped at 1, NaN (R's NA) where p = 0.
// Inputs: times ≥ 0 finite; `cause` codes (`censor_code` = censored); `group` ids (empty =
// one group) reported in increasing order. Errors (kInvalidArgument, naming the field):
// empty input, length mismatch, bad times, a cause not listed in options.causes.
// Thread safety: pure function.
#pragma once

#include <vector>

#include "core/result.h"

namespace stream::stats {

struct AalenJohansenOptions {
  int censor_code = 0;
  std::vector<int> causes;  // state order after (s0); empty = distinct codes ascending
  double conf_level = 0.95;
};

// One group. Matrices are time × state, state 0 = (s0), state k = causes[k−1].
struct AalenJohansenCurve {
  int group = 0;
  std::vector<double> time;  // every distinct time in the group
  std::vector<std::vector<double>> n_risk, n_event;
  std::vector<double> n_censor;
  std::vector<std::vector<double>> pstate, std_err, lower, upper;
};

struct AalenJohansenResult {
  std::vector<int> causes;
  std::vector<AalenJohansenCurve> curves;
};

[[nodiscard]] Result<AalenJohansenResult> AalenJohansen(const std::vector<double>& time,
                                                        const std::vector<int>& cause,
                                                        const std::vector<int>& group,
                                                        const AalenJohansenOptions& options = {});

}  // namespace stream::stats
