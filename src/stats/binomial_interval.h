// Confidence intervals and tests for one binomial proportion: exact Clopper–Pearson
// with the exact binomial test (R's binom.test) and the Wilson score interval with its
// chi-square test, with or without continuity correction (R's prop.test).
//
// Contract: `x` successes out of `n` trials, 0 <= x <= n, n >= 1; `conf_level` in
// (0, 1); `p0` in [0, 1] for the exact test and in (0, 1) for the score test.
// Violations return kInvalidArgument with `where` = "x", "n", "conf_level" or "p0".
// One-sided intervals follow R: kGreater gives [lower, 1], kLess gives [0, upper].
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>

#include "core/result.h"

namespace stream::stats {

enum class Alternative { kTwoSided, kLess, kGreater };

struct ProportionInterval {
  double estimate = 0;  // x / n
  double lower = 0;
  double upper = 0;
};

// Clopper & Pearson (1934) exact interval from beta quantiles:
// lower = B⁻¹(α', x, n−x+1), upper = B⁻¹(1−α', x+1, n−x), α' = α/2 two-sided.
[[nodiscard]] Result<ProportionInterval> ClopperPearsonInterval(
    int64_t x, int64_t n, double conf_level = 0.95,
    Alternative alternative = Alternative::kTwoSided);

// Exact binomial test p-value of H0: p = p0. Two-sided by R's rule: the sum of the
// probabilities of all outcomes no more likely than x (with relative slack 1e-7).
[[nodiscard]] Result<double> BinomialTestPValue(int64_t x, int64_t n, double p0,
                                                Alternative alternative = Alternative::kTwoSided);

struct WilsonResult {
  ProportionInterval interval;
  double chisq = 0;  // Pearson chi-square statistic vs p0 (1 df)
  double p = 1;      // its p-value; one-sided: normal tail of the signed root, as prop.test
};

// Wilson (1927) score interval and the score test vs p0, optionally with Yates'
// continuity correction (Newcombe 1998, method 4), exactly as R's
// prop.test(x, n, p0, correct).
[[nodiscard]] Result<WilsonResult> WilsonScore(int64_t x, int64_t n, double p0 = 0.5,
                                               double conf_level = 0.95,
                                               bool continuity_correction = false,
                                               Alternative alternative = Alternative::kTwoSided);

}  // namespace stream::stats
