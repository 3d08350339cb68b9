#include "stats/kaplan_meier.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <utility>

namespace stream::stats {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Two-sided normal critical value for a confidence level, as R's qnorm(1 − (1−level)/2).
double NormalCritical(double conf_level) {
  const boost::math::normal standard;
  return boost::math::quantile(standard, 1.0 - (1.0 - conf_level) / 2.0);
}

// R's findq (survival/R/quantile.survfit.R): x = (0, times), y = (0, 1 − curve) with
// NaN for undefined limits. approx(y ± tol, index, p, "constant", f = 1) becomes "the
// index of the smallest knot y ± tol that is >= p"; a p within tol of a flat stretch
// thus gets the midpoint of that stretch (the usual median rule).
std::vector<double> FindQuantiles(const std::vector<double>& x, const std::vector<double>& y,
                                  const std::vector<double>& probs) {
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::vector<double> quant(probs.size(), kNaN);
  if (probs.empty()) return quant;
  double max_y = -std::numeric_limits<double>::infinity();
  for (double v : y) {
    if (!std::isnan(v)) max_y = std::max(max_y, v);
  }
  if (max_y < *std::min_element(probs.begin(), probs.end())) return quant;

  const double xmax = x.back();
  // Drop duplicated y values (the censor-only times), keeping the first of each, as
  // duplicated() does; NaN counts as one value.
  std::vector<double> ux;
  std::vector<double> uy;
  ux.reserve(x.size());
  uy.reserve(y.size());
  std::unordered_set<double> seen;
  bool seen_nan = false;
  for (size_t i = 0; i < y.size(); ++i) {
    if (std::isnan(y[i])) {
      if (seen_nan) continue;
      seen_nan = true;
    } else if (!seen.insert(y[i]).second) {
      continue;
    }
    ux.push_back(x[i]);
    uy.push_back(y[i]);
  }
  // approx() drops NaN knots and sorts the rest by value.
  std::vector<std::pair<double, size_t>> knots;
  knots.reserve(uy.size());
  for (size_t i = 0; i < uy.size(); ++i) {
    if (!std::isnan(uy[i])) knots.emplace_back(uy[i], i);
  }
  std::sort(knots.begin(), knots.end());
  const auto constant_index = [&](double p, double shift) -> std::optional<size_t> {
    // Knot values are y + shift, computed as R computes them.
    const double lo = knots.front().first + shift;
    const double hi = knots.back().first + shift;
    if (!(p >= lo && p <= hi)) return std::nullopt;
    for (const auto& [value, index] : knots) {
      if (value + shift >= p) return index;
    }
    return std::nullopt;
  };
  const bool last_defined = !std::isnan(uy.back());
  for (size_t k = 0; k < probs.size(); ++k) {
    const double p = probs[k];
    const auto i1 = constant_index(p, tol);
    const auto i2 = constant_index(p, -tol);
    if (i1 && i2) quant[k] = (ux[*i1] + ux[*i2]) / 2.0;
    if (p == 0) quant[k] = ux[0];
    if (last_defined && std::fabs(p - uy.back()) < tol) {
      quant[k] = i1 ? (ux[*i1] + xmax) / 2.0 : kNaN;
    }
  }
  return quant;
}

// The restricted mean ∫_0^tau S(t) dt and its SE, as survival's survmean (print.survfit
// with rmean = tau): Σ_j (∫_{t_j}^tau S)² · d_j/(n_j(n_j − d_j)), a term taken as 0
// when n_j = d_j.
RestrictedMean RestrictedMeanOf(const KaplanMeierCurve& c, double tau) {
  std::vector<double> temp_time;
  std::vector<double> temp_surv;
  std::vector<double> hh;
  for (size_t i = 0; i < c.time.size() && c.time[i] <= tau; ++i) {
    temp_time.push_back(c.time[i]);
    temp_surv.push_back(c.surv[i]);
    const double n = static_cast<double>(c.n_risk[i]);
    const double d = static_cast<double>(c.n_event[i]);
    hh.push_back(n - d == 0 ? 0.0 : d / (n * (n - d)));
  }
  if (temp_time.empty()) {
    temp_surv.push_back(1.0);
  } else {
    temp_surv.push_back(temp_surv.back());
  }
  temp_time.push_back(tau);
  hh.push_back(0.0);
  const size_t m = temp_time.size();
  std::vector<double> rect(m);
  double prev_time = 0.0;
  double mean = 0.0;
  for (size_t k = 0; k < m; ++k) {
    rect[k] = (temp_time[k] - prev_time) * (k == 0 ? 1.0 : temp_surv[k - 1]);
    prev_time = temp_time[k];
    mean += rect[k];
  }
  double var = 0.0;
  double tail = 0.0;
  for (size_t k = m - 1; k >= 1; --k) {
    tail += rect[k];
    var += tail * tail * hh[k - 1];
  }
  return RestrictedMean{tau, mean, std::sqrt(var)};
}

SurvivalAtTimes AtTimesOf(const KaplanMeierCurve& c, const std::vector<double>& times,
                          ConfType conf_type, double conf_level) {
  SurvivalAtTimes out;
  out.times = times;
  const size_t m = c.time.size();
  size_t next = 0;  // first curve index with time > previous requested time
  for (double t : times) {
    // Index of the first curve time >= t, and of the last curve time <= t.
    const size_t first_ge =
        static_cast<size_t>(std::lower_bound(c.time.begin(), c.time.end(), t) - c.time.begin());
    const size_t upto =
        static_cast<size_t>(std::upper_bound(c.time.begin(), c.time.end(), t) - c.time.begin());
    int64_t events = 0;
    for (; next < upto; ++next) events += c.n_event[next];
    out.n_risk.push_back(first_ge < m ? c.n_risk[first_ge] : 0);
    out.n_event_cum_since_prev.push_back(events);
    if (upto == 0) {
      out.surv.push_back(1.0);
      out.std_err.push_back(0.0);
      out.se_surv.push_back(0.0);
      out.cumhaz.push_back(0.0);
      out.std_chaz.push_back(0.0);
    } else {
      const size_t i = upto - 1;
      out.surv.push_back(c.surv[i]);
      out.std_err.push_back(c.std_err[i]);
      out.se_surv.push_back(c.se_surv[i]);
      out.cumhaz.push_back(c.cumhaz[i]);
      out.std_chaz.push_back(c.std_chaz[i]);
    }
  }
  SurvivalConfidenceBand(out.surv, out.std_err, conf_type, conf_level, out.lower, out.upper);
  return out;
}

Status ValidateOptions(const KaplanMeierOptions& options) {
  if (!(options.conf_level > 0 && options.conf_level < 1)) {
    return Fail(ErrorCode::kInvalidArgument, "conf_level must be in (0, 1)", "conf_level");
  }
  for (double p : options.quantile_probs) {
    if (!(p >= 0 && p <= 1)) {
      return Fail(ErrorCode::kInvalidArgument, "quantile probabilities must be in [0, 1]",
                  "quantile_probs");
    }
  }
  if (options.rmean_tau && !(*options.rmean_tau >= 0)) {
    return Fail(ErrorCode::kInvalidArgument, "rmean_tau must be >= 0", "rmean_tau");
  }
  for (size_t i = 0; i < options.at_times.size(); ++i) {
    const double t = options.at_times[i];
    if (!(t >= 0) || (i > 0 && !(t > options.at_times[i - 1]))) {
      return Fail(ErrorCode::kInvalidArgument, "at_times must be increasing and >= 0", "at_times");
    }
  }
  return Ok();
}

}  // namespace

void SurvivalConfidenceBand(const std::vector<double>& surv, const std::vector<double>& std_err,
                            ConfType conf_type, double conf_level, std::vector<double>& lower,
                            std::vector<double>& upper) {
  const double z = NormalCritical(conf_level);
  const size_t m = surv.size();
  lower.resize(m);
  upper.resize(m);
  for (size_t i = 0; i < m; ++i) {
    const double s = surv[i];
    const double se = std_err[i];
    switch (conf_type) {
      case ConfType::kPlain: {
        // Klein & Moeschberger (4.3.1); NaN (R's NA) propagates through the clipping.
        const double half = se * s * z;
        const double lo = s - half;
        const double hi = s + half;
        lower[i] = std::isnan(lo) ? kNaN : std::max(lo, 0.0);
        upper[i] = std::isnan(hi) ? kNaN : std::min(hi, 1.0);
        break;
      }
      case ConfType::kLog: {
        if (s == 0) {
          lower[i] = upper[i] = kNaN;
          break;
        }
        const double half = z * se;
        lower[i] = std::exp(std::log(s) - half);
        upper[i] = std::min(std::exp(std::log(s) + half), 1.0);
        break;
      }
      case ConfType::kLogLog: {
        if (s == 0 || s == 1) {
          lower[i] = upper[i] = kNaN;
          break;
        }
        const double half = z * se / std::log(s);
        lower[i] = std::exp(-std::exp(std::log(-std::log(s)) - half));
        upper[i] = std::exp(-std::exp(std::log(-std::log(s)) + half));
        break;
      }
    }
  }
}

std::vector<SurvivalQuantile> SurvivalQuantiles(const std::vector<double>& time,
                                                const std::vector<double>& surv,
                                                const std::vector<double>& lower,
                                                const std::vector<double>& upper,
                                                const std::vector<double>& probs) {
  // quantile.survfit's doquant: the curve and its limits as CDFs starting at (0, 0).
  std::vector<double> x(time.size() + 1);
  std::vector<double> y(time.size() + 1);
  x[0] = 0.0;
  y[0] = 0.0;
  std::copy(time.begin(), time.end(), x.begin() + 1);
  std::vector<SurvivalQuantile> out(probs.size());
  const auto fill = [&](const std::vector<double>& curve) {
    for (size_t i = 0; i < curve.size(); ++i) y[i + 1] = 1.0 - curve[i];
    return FindQuantiles(x, y, probs);
  };
  const std::vector<double> q = fill(surv);
  const std::vector<double> lo = fill(lower);
  const std::vector<double> hi = fill(upper);
  for (size_t k = 0; k < probs.size(); ++k) out[k] = SurvivalQuantile{probs[k], q[k], lo[k], hi[k]};
  return out;
}

Result<KaplanMeierFit> KaplanMeier(const SurvivalData& data, const KaplanMeierOptions& options) {
  STREAM_ASSIGN_OR_RETURN(const SurvivalLayout layout, ValidateSurvivalData(data));
  STREAM_RETURN_IF_ERROR(ValidateOptions(options));
  if (!data.stratum.empty()) {
    return Fail(ErrorCode::kInvalidArgument,
                "Kaplan-Meier fits one curve per group; combine stratum into the group code",
                "stratum");
  }
  std::vector<SurvivalRecord> records;
  std::vector<size_t> start;
  SortIntoBlocks(
      data, layout.num_groups, [&](size_t i) { return data.group.empty() ? 0 : data.group[i]; },
      records, start);

  KaplanMeierFit fit;
  fit.conf_level = options.conf_level;
  fit.conf_type = options.conf_type;
  fit.curves.resize(static_cast<size_t>(layout.num_groups));
  for (int g = 0; g < layout.num_groups; ++g) {
    KaplanMeierCurve& c = fit.curves[static_cast<size_t>(g)];
    c.label = layout.group_labels[static_cast<size_t>(g)];
    const size_t begin = start[static_cast<size_t>(g)];
    const size_t end = start[static_cast<size_t>(g) + 1];
    c.n = static_cast<int64_t>(end - begin);

    size_t distinct = 0;
    for (size_t i = begin; i < end; ++i) {
      if (i == begin || records[i].time != records[i - 1].time) ++distinct;
    }
    for (auto* v : {&c.time, &c.surv, &c.std_err, &c.se_surv, &c.cumhaz, &c.std_chaz}) {
      v->reserve(distinct);
    }
    for (auto* v : {&c.n_risk, &c.n_event, &c.n_censor}) v->reserve(distinct);

    // Kaplan–Meier product limit with the Greenwood variance of −log S and the
    // Nelson–Aalen hazard (Kaplan & Meier 1958; Greenwood 1926; Aalen 1978). When
    // n = d the Greenwood term is +Inf, as in survfit (S = 0, its SE undefined).
    double surv = 1.0;
    double greenwood = 0.0;
    double cumhaz = 0.0;
    double var_chaz = 0.0;
    int64_t at_risk = c.n;
    for (size_t i = begin; i < end;) {
      const double t = records[i].time;
      int64_t events = 0;
      int64_t total = 0;
      for (; i < end && records[i].time == t; ++i) {
        events += records[i].event;
        ++total;
      }
      const double n = static_cast<double>(at_risk);
      const double d = static_cast<double>(events);
      if (events > 0) {
        surv *= (n - d) / n;
        greenwood += d / (n * (n - d));
        cumhaz += d / n;
        var_chaz += d / (n * n);
      }
      c.time.push_back(t);
      c.n_risk.push_back(at_risk);
      c.n_event.push_back(events);
      c.n_censor.push_back(total - events);
      c.surv.push_back(surv);
      const double se = std::sqrt(greenwood);
      c.std_err.push_back(se);
      c.se_surv.push_back(surv * se);
      c.cumhaz.push_back(cumhaz);
      c.std_chaz.push_back(std::sqrt(var_chaz));
      at_risk -= total;
    }
    SurvivalConfidenceBand(c.surv, c.std_err, options.conf_type, options.conf_level, c.lower,
                           c.upper);
    c.median = SurvivalQuantiles(c.time, c.surv, c.lower, c.upper, {0.5}).front();
    c.quantiles = SurvivalQuantiles(c.time, c.surv, c.lower, c.upper, options.quantile_probs);
    if (options.rmean_tau) c.rmean = RestrictedMeanOf(c, *options.rmean_tau);
    if (!options.at_times.empty()) {
      c.at_times = AtTimesOf(c, options.at_times, options.conf_type, options.conf_level);
    }
  }
  return fit;
}

}  // namespace stream::stats
