#include "stats/gray_k_sample.h"

#include <Eigen/Dense>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>

namespace stream::stats {
namespace {

// One stratum of Gray's test: cmprsk's `crst`, transcribed with 0-based indices.
// Gray (1988), Ann. Statist. 16:1141–1154: score s_i = Σ_t w(t)·[d_1i − R_i·d_1/R] with
// R_i = n_i(1 − F_i(t−))/S_i(t−), and the martingale-based variance.
void GrayStratum(const std::vector<double>& y, const std::vector<int>& m,
                 const std::vector<int>& ig, int ng, double rho, std::vector<double>& s_out,
                 Eigen::MatrixXd& v_out) {
  const int n = static_cast<int>(y.size());
  const int ng1 = ng - 1;
  std::vector<double> rs(ng, 0.0), f1m(ng, 0.0), f1(ng, 0.0), skmm(ng, 1.0), skm(ng, 1.0),
      v3(ng, 0.0);
  for (int i = 0; i < n; ++i) {
    rs[ig[i]] += 1;
  }
  Eigen::MatrixXd c = Eigen::MatrixXd::Zero(ng, ng), a = Eigen::MatrixXd::Zero(ng, ng),
                  v2 = Eigen::MatrixXd::Zero(ng1, ng), v = Eigen::MatrixXd::Zero(ng1, ng1);
  std::vector<double> s(ng1, 0.0);
  std::vector<int> d(static_cast<size_t>(3) * static_cast<size_t>(ng));
  double fm = 0, f = 0;
  int ll = 0;
  while (ll < n) {
    int lu = ll;
    while (lu + 1 < n && !(y[lu + 1] > y[ll])) {
      ++lu;
    }
    std::fill(d.begin(), d.end(), 0);
    for (int i = ll; i <= lu; ++i) {
      d[m[i] * ng + ig[i]] += 1;
    }
    int nd1 = 0, nd2 = 0;
    for (int i = 0; i < ng; ++i) {
      nd1 += d[ng + i];
      nd2 += d[2 * ng + i];
    }
    if (nd1 != 0 || nd2 != 0) {
      double tr = 0, tq = 0;
      for (int i = 0; i < ng; ++i) {
        if (rs[i] <= 0) {
          continue;
        }
        const double td = d[ng + i] + d[2 * ng + i];
        // skmm/f1m are left-continuous, skm/f1 right-continuous (KM and cuminc).
        skm[i] = skmm[i] * (rs[i] - td) / rs[i];
        f1[i] = f1m[i] + (skmm[i] * d[ng + i]) / rs[i];
        tr += rs[i] / skmm[i];
        tq += rs[i] * (1 - f1m[i]) / skmm[i];
      }
      f = fm + nd1 / tr;
      const double fb = std::pow(1 - fm, rho);
      for (int i = 0; i < ng; ++i) {
        for (int j = i; j < ng; ++j) {
          a(i, j) = 0;
        }
        if (rs[i] <= 0) {
          continue;
        }
        const double t1 = rs[i] / skmm[i];
        a(i, i) = fb * t1 * (1 - t1 / tr);
        c(i, i) += a(i, i) * nd1 / (tr * (1 - fm));
        for (int j = i + 1; j < ng; ++j) {
          if (rs[j] <= 0) {
            continue;
          }
          a(i, j) = -fb * t1 * rs[j] / (skmm[j] * tr);
          c(i, j) += a(i, j) * nd1 / (tr * (1 - fm));
        }
      }
      for (int i = 1; i < ng; ++i) {
        for (int j = 0; j < i; ++j) {
          a(i, j) = a(j, i);
          c(i, j) = c(j, i);
        }
      }
      for (int i = 0; i < ng1; ++i) {
        if (rs[i] <= 0) {
          continue;
        }
        s[i] += fb * (d[ng + i] - nd1 * rs[i] * (1 - f1m[i]) / (skmm[i] * tq));
      }
      if (nd1 > 0) {
        for (int k = 0; k < ng; ++k) {
          if (rs[k] <= 0) {
            continue;
          }
          double t4 = 1;
          if (skm[k] > 0) {
            t4 = 1 - (1 - f) / skm[k];
          }
          double t5 = 1;
          if (nd1 > 1) {
            t5 = 1 - (nd1 - 1) / (tr * skmm[k] - 1);
          }
          const double t3 = t5 * skmm[k] * nd1 / (tr * rs[k]);
          v3[k] += t4 * t4 * t3;
          for (int i = 0; i < ng1; ++i) {
            const double t1 = a(i, k) - t4 * c(i, k);
            v2(i, k) += t1 * t4 * t3;
            for (int j = 0; j <= i; ++j) {
              const double t2 = a(j, k) - t4 * c(j, k);
              v(i, j) += t1 * t2 * t3;
            }
          }
        }
      }
      if (nd2 > 0) {
        for (int k = 0; k < ng; ++k) {
          const int d2 = d[2 * ng + k];
          if (skm[k] <= 0 || d2 <= 0) {
            continue;
          }
          const double t4 = (1 - f) / skm[k];
          double t5 = 1;
          if (d2 > 1) {
            t5 = 1 - (d2 - 1.0) / (rs[k] - 1.0);
          }
          const double t3 = t5 * ((skmm[k] * skmm[k]) * d2) / (rs[k] * rs[k]);
          v3[k] += t4 * t4 * t3;
          for (int i = 0; i < ng1; ++i) {
            const double t1 = t4 * c(i, k);
            v2(i, k) -= t1 * t4 * t3;
            for (int j = 0; j <= i; ++j) {
              const double t2 = t4 * c(j, k);
              v(i, j) += t1 * t2 * t3;
            }
          }
        }
      }
    }
    if (lu >= n - 1) {
      break;
    }
    for (int i = ll; i <= lu; ++i) {
      rs[ig[i]] -= 1;
    }
    fm = f;
    f1m = f1;
    skmm = skm;
    ll = lu + 1;
  }
  for (int i = 0; i < ng1; ++i) {
    for (int j = 0; j <= i; ++j) {
      for (int k = 0; k < ng; ++k) {
        v(i, j) += c(i, k) * c(j, k) * v3[k];
        v(i, j) += c(i, k) * v2(j, k);
        v(i, j) += c(j, k) * v2(i, k);
      }
    }
  }
  for (int i = 0; i < ng1; ++i) {
    s_out[i] += s[i];
    for (int j = 0; j <= i; ++j) {
      v_out(i, j) += v(i, j);
      if (i != j) {
        v_out(j, i) = v_out(i, j);
      }
    }
  }
}

}  // namespace

GrayScore GrayTest(const std::vector<double>& time, const std::vector<int>& code,
                   const std::vector<int>& group, const std::vector<int>& stratum, int ngroup,
                   int nstrata, double rho) {
  GrayScore out;
  const int ng1 = ngroup - 1;
  out.df = ng1;
  std::vector<double> s(ng1, 0.0);
  Eigen::MatrixXd v = Eigen::MatrixXd::Zero(ng1, ng1);
  std::vector<double> ys;
  std::vector<int> ms, igs;
  // Precondition of crst: times sorted increasingly within each stratum (stable order).
  std::vector<size_t> order(time.size());
  for (size_t i = 0; i < order.size(); ++i) {
    order[i] = i;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return time[a] < time[b]; });
  for (int ks = 0; ks < nstrata; ++ks) {
    ys.clear();
    ms.clear();
    igs.clear();
    for (size_t i : order) {
      if ((stratum.empty() ? 0 : stratum[i]) != ks) {
        continue;
      }
      ys.push_back(time[i]);
      ms.push_back(code[i]);
      igs.push_back(group[i]);
    }
    if (ys.empty()) {
      continue;
    }
    GrayStratum(ys, ms, igs, ngroup, rho, s, v);
  }
  out.score = s;
  out.variance.assign(ng1, std::vector<double>(ng1));
  for (int i = 0; i < ng1; ++i) {
    for (int j = 0; j < ng1; ++j) {
      out.variance[i][j] = v(i, j);
    }
  }
  // cuminc: qr(v); statistic only when v has full rank (LINPACK tolerance 1e-7).
  Eigen::ColPivHouseholderQR<Eigen::MatrixXd> qr(v);
  qr.setThreshold(1e-7);
  if (qr.rank() == ng1) {
    const Eigen::Map<const Eigen::VectorXd> sv(s.data(), ng1);
    out.stat = sv.dot(qr.solve(Eigen::VectorXd(sv)));
    // cuminc reports 1 − pchisq(stat, df) (not the upper tail), so tiny p-values
    // saturate exactly as in R.
    boost::math::chi_squared_distribution<double> chi2(ng1);
    out.p = out.stat > 0 ? 1.0 - boost::math::cdf(chi2, out.stat) : 1.0;
  } else {
    out.stat = -1;
    out.p = 1;
  }
  return out;
}

}  // namespace stream::stats
