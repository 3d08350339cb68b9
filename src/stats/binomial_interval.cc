#include "stats/binomial_interval.h"

#include <algorithm>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/special_functions/beta.hpp>
#include <cmath>
#include <string>

namespace stream::stats {
namespace {

Status CheckCounts(int64_t x, int64_t n) {
  if (n < 1) {
    return Fail(ErrorCode::kInvalidArgument, "n must be >= 1, got " + std::to_string(n), "n");
  }
  if (x < 0 || x > n) {
    return Fail(ErrorCode::kInvalidArgument,
                "x must be in [0, n], got " + std::to_string(x) + " of " + std::to_string(n), "x");
  }
  return Ok();
}

Status CheckLevel(double conf_level) {
  if (!(conf_level > 0 && conf_level < 1)) {
    return Fail(ErrorCode::kInvalidArgument, "conf_level must be in (0, 1)", "conf_level");
  }
  return Ok();
}

// P(X <= k) for X ~ Binomial(n, p); 0 for k < 0 and 1 for k >= n, as R's pbinom.
double BinomialCdf(int64_t k, int64_t n, double p) {
  if (k < 0) return 0.0;
  if (k >= n) return 1.0;
  return boost::math::cdf(boost::math::binomial(static_cast<double>(n), p), static_cast<double>(k));
}

// P(X > k), computed without cancellation.
double BinomialUpperTail(int64_t k, int64_t n, double p) {
  if (k < 0) return 1.0;
  if (k >= n) return 0.0;
  return boost::math::cdf(boost::math::complement(boost::math::binomial(static_cast<double>(n), p),
                                                  static_cast<double>(k)));
}

double BinomialPmf(int64_t k, int64_t n, double p) {
  return boost::math::pdf(boost::math::binomial(static_cast<double>(n), p), static_cast<double>(k));
}

}  // namespace

Result<ProportionInterval> ClopperPearsonInterval(int64_t x, int64_t n, double conf_level,
                                                  Alternative alternative) {
  STREAM_RETURN_IF_ERROR(CheckCounts(x, n));
  STREAM_RETURN_IF_ERROR(CheckLevel(conf_level));
  const double alpha = 1.0 - conf_level;
  const double xd = static_cast<double>(x);
  const double nd = static_cast<double>(n);
  const auto lower_limit = [&](double a) {
    return x == 0 ? 0.0 : boost::math::ibeta_inv(xd, nd - xd + 1.0, a);
  };
  const auto upper_limit = [&](double a) {
    return x == n ? 1.0 : boost::math::ibeta_inv(xd + 1.0, nd - xd, 1.0 - a);
  };
  ProportionInterval out;
  out.estimate = xd / nd;
  switch (alternative) {
    case Alternative::kTwoSided:
      out.lower = lower_limit(alpha / 2.0);
      out.upper = upper_limit(alpha / 2.0);
      break;
    case Alternative::kLess:
      out.lower = 0.0;
      out.upper = upper_limit(alpha);
      break;
    case Alternative::kGreater:
      out.lower = lower_limit(alpha);
      out.upper = 1.0;
      break;
  }
  return out;
}

Result<double> BinomialTestPValue(int64_t x, int64_t n, double p0, Alternative alternative) {
  STREAM_RETURN_IF_ERROR(CheckCounts(x, n));
  if (!(p0 >= 0 && p0 <= 1)) {
    return Fail(ErrorCode::kInvalidArgument, "p0 must be in [0, 1]", "p0");
  }
  switch (alternative) {
    case Alternative::kLess:
      return BinomialCdf(x, n, p0);
    case Alternative::kGreater:
      return BinomialUpperTail(x - 1, n, p0);
    case Alternative::kTwoSided:
      break;
  }
  if (p0 == 0) return x == 0 ? 1.0 : 0.0;
  if (p0 == 1) return x == n ? 1.0 : 0.0;
  // R's binom.test: outcomes on the far side of the mode that are no more likely than x
  // (relative slack 1e-7 so equally likely outcomes are not lost to rounding).
  const double rel_err = 1.0 + 1e-7;
  const double d = BinomialPmf(x, n, p0);
  const double m = static_cast<double>(n) * p0;
  const double xd = static_cast<double>(x);
  double p = 1.0;
  if (xd == m) {
    p = 1.0;
  } else if (xd < m) {
    int64_t y = 0;
    for (auto i = static_cast<int64_t>(std::ceil(m)); i <= n; ++i) {
      if (BinomialPmf(i, n, p0) <= d * rel_err) ++y;
    }
    p = BinomialCdf(x, n, p0) + BinomialUpperTail(n - y, n, p0);
  } else {
    int64_t y = 0;
    for (int64_t i = 0; i <= static_cast<int64_t>(std::floor(m)); ++i) {
      if (BinomialPmf(i, n, p0) <= d * rel_err) ++y;
    }
    p = BinomialCdf(y - 1, n, p0) + BinomialUpperTail(x - 1, n, p0);
  }
  return std::min(1.0, p);
}

Result<WilsonResult> WilsonScore(int64_t x, int64_t n, double p0, double conf_level,
                                 bool continuity_correction, Alternative alternative) {
  STREAM_RETURN_IF_ERROR(CheckCounts(x, n));
  STREAM_RETURN_IF_ERROR(CheckLevel(conf_level));
  if (!(p0 > 0 && p0 < 1)) {
    return Fail(ErrorCode::kInvalidArgument, "p0 must be in (0, 1)", "p0");
  }
  const double xd = static_cast<double>(x);
  const double nd = static_cast<double>(n);
  const double estimate = xd / nd;
  // prop.test: the Yates correction never exceeds |x − n·p0|.
  const double yates = continuity_correction ? std::min(0.5, std::fabs(xd - nd * p0)) : 0.0;
  const boost::math::normal standard;
  const double z = boost::math::quantile(
      standard, alternative == Alternative::kTwoSided ? (1.0 + conf_level) / 2.0 : conf_level);
  const double z22n = z * z / (2.0 * nd);
  double pc = estimate + yates / nd;
  const double pu = pc >= 1 ? 1.0
                            : (pc + z22n + z * std::sqrt(pc * (1 - pc) / nd + z22n / (2.0 * nd))) /
                                  (1 + 2 * z22n);
  pc = estimate - yates / nd;
  const double pl = pc <= 0 ? 0.0
                            : (pc + z22n - z * std::sqrt(pc * (1 - pc) / nd + z22n / (2.0 * nd))) /
                                  (1 + 2 * z22n);
  WilsonResult out;
  out.interval.estimate = estimate;
  switch (alternative) {
    case Alternative::kTwoSided:
      out.interval.lower = std::max(pl, 0.0);
      out.interval.upper = std::min(pu, 1.0);
      break;
    case Alternative::kLess:
      out.interval.lower = 0.0;
      out.interval.upper = std::min(pu, 1.0);
      break;
    case Alternative::kGreater:
      out.interval.lower = std::max(pl, 0.0);
      out.interval.upper = 1.0;
      break;
  }
  // Pearson chi-square over the two cells (successes, failures).
  const double e1 = nd * p0;
  const double e2 = nd * (1 - p0);
  const double c1 = std::fabs(xd - e1) - yates;
  const double c2 = std::fabs((nd - xd) - e2) - yates;
  out.chisq = c1 * c1 / e1 + c2 * c2 / e2;
  const boost::math::chi_squared chi1(1.0);
  const double p_two =
      out.chisq > 0 ? boost::math::cdf(boost::math::complement(chi1, out.chisq)) : 1.0;
  if (alternative == Alternative::kTwoSided) {
    out.p = p_two;
  } else {
    // prop.test one-sided: pnorm of the signed root of the statistic.
    const double zstat = (estimate > p0 ? 1.0 : -1.0) * std::sqrt(out.chisq);
    out.p = alternative == Alternative::kLess
                ? boost::math::cdf(standard, zstat)
                : boost::math::cdf(boost::math::complement(standard, zstat));
  }
  return out;
}

}  // namespace stream::stats
