// Harrell's concordance index for right-censored data, as survival::concordance computes
// it for a Cox model (timewt = "n").
//
// Contract: a pair (i, j) is comparable when the shorter time is an event (a censoring at
// the same time as an event counts as longer). It is concordant when the subject failing
// first has the higher risk score, discordant when it has the lower, tied_x when the
// scores are equal; pairs of events at the same time are tied_y (tied_xy when the scores
// are equal too) and do not enter C. C = (concordant + tied_x/2) / (concordant + discordant
// + tied_x). Pairs are formed within strata only. The standard error is survival's
// infinitesimal-jackknife estimate: sqrt(Σ_i dfbeta_i² / 4) with dfbeta_i the influence of
// subject i on Somers' d (Harrell, Califf et al. 1982; Therneau & Atkinson, "Concordance").
// Cost: O(n log n) (radix sort plus Fenwick trees).
// Errors (kInvalidArgument, naming the field): empty input, length mismatch, NaN values,
// status not 0/1. Thread safety: pure function.
#pragma once

#include <vector>

#include "core/result.h"

namespace stream::stats {

struct Concordance {
  double concordant = 0, discordant = 0, tied_x = 0, tied_y = 0, tied_xy = 0;
  double c = 0.5;
  double se = 0;  // infinitesimal jackknife, as survival::concordance's sqrt(var)
};

// `risk`: higher = expected to fail sooner (e.g. a Cox linear predictor). `stratum` may be
// empty (one stratum).
[[nodiscard]] Result<Concordance> HarrellConcordance(const std::vector<double>& time,
                                                     const std::vector<int>& status,
                                                     const std::vector<double>& risk,
                                                     const std::vector<int>& stratum);

}  // namespace stream::stats
