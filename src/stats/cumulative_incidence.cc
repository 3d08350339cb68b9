#include "stats/cumulative_incidence.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "stats/competing_risks_input.h"
#include "stats/gray_k_sample.h"

namespace stream::stats {
namespace {

// cmprsk's `cinc` (Gray): cumulative incidence of one cause in one group with its variance.
// Input sorted by time; `any` = failed from any cause, `mine` = failed from this cause.
void Cinc(const std::vector<double>& y, const std::vector<int>& any, const std::vector<int>& mine,
          CumincCurve& out) {
  const int n = static_cast<int>(y.size());
  double fk = 1, v1 = 0, v2 = 0, v3 = 0;
  std::vector<double>& x = out.raw_time;
  std::vector<double>& f = out.raw_est;
  std::vector<double>& v = out.raw_var;
  x = {0};
  f = {0};
  v = {0};
  double rs = n;
  int ll = 0;
  while (ll < n) {
    int l = ll;
    while (l + 1 < n && y[l + 1] == y[ll]) {
      ++l;
    }
    int nd1 = 0, nd2 = 0;
    for (int i = ll; i <= l; ++i) {
      nd1 += mine[i];
      nd2 += any[i] - mine[i];
    }
    const int nd = nd1 + nd2;
    if (nd != 0) {
      const double fkn = fk * (rs - nd) / rs;
      if (nd1 > 0) {
        f.push_back(f.back());
        f.push_back(f.back() + fk * nd1 / rs);
      }
      if (nd2 > 0 && fkn > 0) {
        double t5 = 1;
        if (nd2 > 1) {
          t5 = 1 - (nd2 - 1.) / (rs - 1.);
        }
        const double t6 = fk * fk * t5 * nd2 / (rs * rs);
        const double t3 = 1. / fkn;
        const double t4 = f.back() / fkn;
        v1 += t4 * t4 * t6;
        v2 += t3 * t4 * t6;
        v3 += t3 * t3 * t6;
      }
      if (nd1 > 0) {
        double t5 = 1;
        if (nd1 > 1) {
          t5 = 1 - (nd1 - 1.) / (rs - 1.);
        }
        const double t6 = fk * fk * t5 * nd1 / (rs * rs);
        double t3 = 0;
        if (fkn > 0) {
          t3 = 1 / fkn;
        }
        const double t4 = 1 + t3 * f.back();
        v1 += t4 * t4 * t6;
        v2 += t3 * t4 * t6;
        v3 += t3 * t3 * t6;
        const double t2 = f.back();
        x.push_back(y[l]);
        x.push_back(y[l]);
        v.push_back(v.back());
        v.push_back(v1 + t2 * t2 * v3 - 2 * t2 * v2);
      }
      fk = fkn;
    }
    rs = n - (l + 1);
    ll = l + 1;
  }
  x.push_back(y[n - 1]);
  f.push_back(f.back());
  v.push_back(v.back());
  // Right-continuous form: the last entry at each distinct time.
  for (size_t k = 0; k < x.size(); ++k) {
    if (k + 1 < x.size() && x[k + 1] == x[k]) {
      continue;
    }
    out.time.push_back(x[k]);
    out.est.push_back(f[k]);
    out.var.push_back(v[k]);
  }
}

}  // namespace

Result<CumincResult> CumulativeIncidence(const std::vector<double>& time,
                                         const std::vector<int>& cause,
                                         const std::vector<int>& group,
                                         const std::vector<int>& stratum,
                                         const CumincOptions& options) {
  STREAM_RETURN_IF_ERROR(CheckCompetingRisksInput(time, cause, group, stratum));
  const size_t n = time.size();
  std::set<int> causes;
  for (int c : cause) {
    if (c != options.censor_code) {
      causes.insert(c);
    }
  }
  if (causes.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "no event of any cause (all censored)", "cause");
  }
  auto group_of = [&](size_t i) { return group.empty() ? 1 : group[i]; };
  std::set<int> group_ids;
  for (size_t i = 0; i < n; ++i) {
    group_ids.insert(group_of(i));
  }
  std::map<int, int> group_index;
  for (int g : group_ids) {
    group_index.emplace(g, static_cast<int>(group_index.size()));
  }
  std::set<int> strata_ids;
  for (size_t i = 0; i < n; ++i) {
    strata_ids.insert(stratum.empty() ? 0 : stratum[i]);
  }
  std::map<int, int> stratum_index;
  for (int s : strata_ids) {
    stratum_index.emplace(s, static_cast<int>(stratum_index.size()));
  }

  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return time[a] < time[b]; });

  CumincResult result;
  std::vector<double> y;
  std::vector<int> any, mine;
  for (int c : causes) {
    for (int g : group_ids) {
      y.clear();
      any.clear();
      mine.clear();
      for (size_t i : order) {
        if (group_of(i) != g) {
          continue;
        }
        y.push_back(time[i]);
        any.push_back(cause[i] != options.censor_code ? 1 : 0);
        mine.push_back(cause[i] == c ? 1 : 0);
      }
      CumincCurve curve;
      curve.group = g;
      curve.cause = c;
      const std::string label = (g >= 0 && static_cast<size_t>(g) < options.group_labels.size())
                                    ? options.group_labels[static_cast<size_t>(g)]
                                    : std::to_string(g);
      curve.name = label + " " + std::to_string(c);
      Cinc(y, any, mine, curve);
      result.curves.push_back(std::move(curve));
    }
    if (group_ids.size() > 1) {
      std::vector<int> code(n), gi(n), si(n);
      for (size_t i = 0; i < n; ++i) {
        code[i] = cause[i] == options.censor_code ? 0 : (cause[i] == c ? 1 : 2);
        gi[i] = group_index[group_of(i)];
        si[i] = stratum_index[stratum.empty() ? 0 : stratum[i]];
      }
      const GrayScore gs = GrayTest(time, code, gi, si, static_cast<int>(group_ids.size()),
                                    static_cast<int>(strata_ids.size()), options.rho);
      result.tests.push_back(GrayTestResult{c, gs.stat, gs.p, gs.df});
    }
  }
  return result;
}

// cmprsk's `tpoi`: for each time, the raw index just after the last raw time ≤ it (which
// holds the value in force), the last index when it equals the curve's end, none beyond.
CumincTimepoints Timepoints(const CumincResult& result, std::vector<double> times) {
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  CumincTimepoints out;
  out.times = times;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (const auto& curve : result.curves) {
    const auto& x = curve.raw_time;
    const size_t n = x.size();
    std::vector<double> est(times.size(), nan), var(times.size(), nan);
    for (size_t t = 0; t < times.size(); ++t) {
      const double tp = times[t];
      if (x[n - 1] < tp) {
        continue;
      }
      size_t ind = 0;  // 1-based, 0 = none
      if (x[n - 1] == tp) {
        ind = n;
      } else {
        for (size_t k = n - 1; k >= 1; --k) {
          if (x[k - 1] <= tp) {
            ind = k + 1;
            break;
          }
        }
      }
      if (ind == 0) {
        continue;
      }
      est[t] = curve.raw_est[ind - 1];
      var[t] = curve.raw_var[ind - 1];
    }
    out.est.push_back(est);
    out.var.push_back(var);
  }
  return out;
}

}  // namespace stream::stats
