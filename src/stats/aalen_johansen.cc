#include "stats/aalen_johansen.h"

#include <Eigen/Dense>
#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>

#include "stats/competing_risks_input.h"

namespace stream::stats {

Result<AalenJohansenResult> AalenJohansen(const std::vector<double>& time,
                                          const std::vector<int>& cause,
                                          const std::vector<int>& group,
                                          const AalenJohansenOptions& options) {
  STREAM_RETURN_IF_ERROR(CheckCompetingRisksInput(time, cause, group, {}));
  const size_t n = time.size();
  AalenJohansenResult result;
  result.causes = options.causes;
  if (result.causes.empty()) {
    std::set<int> c;
    for (int v : cause) {
      if (v != options.censor_code) {
        c.insert(v);
      }
    }
    result.causes.assign(c.begin(), c.end());
  }
  const int k_states = static_cast<int>(result.causes.size()) + 1;
  std::vector<int> state(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (cause[i] == options.censor_code) {
      continue;
    }
    auto it = std::find(result.causes.begin(), result.causes.end(), cause[i]);
    if (it == result.causes.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "row " + std::to_string(i + 1) + ": code " + std::to_string(cause[i]) +
                      " is neither the censoring code nor a listed cause",
                  "cause");
    }
    state[i] = static_cast<int>(it - result.causes.begin()) + 1;
  }
  const double z = boost::math::quantile(boost::math::normal_distribution<double>(),
                                         1 - (1 - options.conf_level) / 2);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto group_of = [&](size_t i) { return group.empty() ? 0 : group[i]; };
  std::set<int> groups;
  for (size_t i = 0; i < n; ++i) {
    groups.insert(group_of(i));
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return time[a] < time[b]; });
  const Eigen::Index ks = k_states;
  for (int g : groups) {
    AalenJohansenCurve curve;
    curve.group = g;
    std::vector<size_t> rows;
    for (size_t i : order) {
      if (group_of(i) == g) {
        rows.push_back(i);
      }
    }
    double at_risk = static_cast<double>(rows.size());
    Eigen::RowVectorXd p = Eigen::RowVectorXd::Zero(ks);
    p[0] = 1;
    // r: the influence shared by every subject still in (s0); m: Σ U_iᵀU_i over subjects
    // who have left (s0) (events, and censorings after their censoring time).
    Eigen::RowVectorXd r = Eigen::RowVectorXd::Zero(ks);
    Eigen::MatrixXd m = Eigen::MatrixXd::Zero(ks, ks);
    std::vector<double> d(static_cast<size_t>(k_states));
    for (size_t a = 0; a < rows.size();) {
      size_t b = a;
      while (b < rows.size() && time[rows[b]] == time[rows[a]]) {
        ++b;
      }
      std::fill(d.begin(), d.end(), 0.0);
      double censored = 0;
      for (size_t k = a; k < b; ++k) {
        if (state[rows[k]] == 0) {
          censored += 1;
        } else {
          d[static_cast<size_t>(state[rows[k]])] += 1;
        }
      }
      const double deaths = std::accumulate(d.begin(), d.end(), 0.0);
      curve.time.push_back(time[rows[a]]);
      std::vector<double> risk_row(static_cast<size_t>(k_states), 0.0);
      risk_row[0] = at_risk;
      curve.n_risk.push_back(risk_row);
      curve.n_event.push_back(d);
      curve.n_censor.push_back(censored);
      if (deaths > 0) {
        // T = I + dA: only the (s0) row moves.
        Eigen::MatrixXd t = Eigen::MatrixXd::Identity(ks, ks);
        t(0, 0) = 1 - deaths / at_risk;
        for (Eigen::Index k = 1; k < ks; ++k) {
          t(0, k) = d[static_cast<size_t>(k)] / at_risk;
        }
        const double p0 = p[0];
        m = t.transpose() * m * t;
        // Influence of a subject at risk without an event here: U(t−)·T + p0·∂dA/∂w_i.
        Eigen::RowVectorXd e(ks);
        e[0] = deaths / (at_risk * at_risk);
        for (Eigen::Index k = 1; k < ks; ++k) {
          e[k] = -d[static_cast<size_t>(k)] / (at_risk * at_risk);
        }
        const Eigen::RowVectorXd survivor = r * t + p0 * e;
        for (Eigen::Index k = 1; k < ks; ++k) {
          const double dk = d[static_cast<size_t>(k)];
          if (dk == 0) {
            continue;
          }
          Eigen::RowVectorXd u = survivor;
          u[k] += p0 / at_risk;
          u[0] -= p0 / at_risk;
          m += dk * u.transpose() * u;
        }
        r = survivor;
        p = p * t;
      }
      m += censored * r.transpose() * r;
      at_risk -= static_cast<double>(b - a);
      const Eigen::MatrixXd total = m + at_risk * r.transpose() * r;
      std::vector<double> pr(static_cast<size_t>(k_states)), se(pr.size()), lo(pr.size()),
          hi(pr.size());
      for (Eigen::Index k = 0; k < ks; ++k) {
        const auto kk = static_cast<size_t>(k);
        pr[kk] = p[k];
        se[kk] = std::sqrt(std::max(total(k, k), 0.0));
        if (p[k] > 0) {
          lo[kk] = p[k] * std::exp(-z * se[kk] / p[k]);
          hi[kk] = std::min(1.0, p[k] * std::exp(z * se[kk] / p[k]));
        } else {
          lo[kk] = nan;
          hi[kk] = nan;
        }
      }
      curve.pstate.push_back(pr);
      curve.std_err.push_back(se);
      curve.lower.push_back(lo);
      curve.upper.push_back(hi);
      a = b;
    }
    result.curves.push_back(std::move(curve));
  }
  return result;
}

}  // namespace stream::stats
