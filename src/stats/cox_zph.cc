#include "stats/cox_zph.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "stats/cox_internal.h"

namespace stream::stats {
namespace {

// g(t) for every observation (original order), before centring.
std::vector<double> TransformTimes(const CoxData& data, ZphTransform transform) {
  const size_t n = data.time.size();
  std::vector<double> out(n);
  if (transform == ZphTransform::kIdentity) {
    return data.time;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return data.time[a] < data.time[b]; });
  if (transform == ZphTransform::kRank) {
    // R's rank(): ties get the average of their positions (1-based).
    for (size_t a = 0; a < n;) {
      size_t b = a;
      while (b < n && data.time[order[b]] == data.time[order[a]]) {
        ++b;
      }
      const double avg = (static_cast<double>(a + 1) + static_cast<double>(b)) / 2.0;
      for (size_t k = a; k < b; ++k) {
        out[order[k]] = avg;
      }
      a = b;
    }
    return out;
  }
  // 1 − S(t−): Kaplan–Meier of all subjects (strata ignored), left-continuous.
  double surv = 1.0;
  double at_risk = static_cast<double>(n);
  for (size_t a = 0; a < n;) {
    size_t b = a;
    double deaths = 0;
    while (b < n && data.time[order[b]] == data.time[order[a]]) {
      deaths += data.status[order[b]];
      ++b;
    }
    for (size_t k = a; k < b; ++k) {
      out[order[k]] = 1.0 - surv;
    }
    surv *= (at_risk - deaths) / at_risk;
    at_risk -= static_cast<double>(b - a);
    a = b;
  }
  return out;
}

}  // namespace

Result<CoxZphResult> CoxZph(const CoxData& data, const CoxResult& fit,
                            const std::vector<int>& column_term,
                            const std::vector<std::string>& term_names, ZphTransform transform) {
  STREAM_RETURN_IF_ERROR(internal::ValidateCoxData(data));
  const auto p = static_cast<size_t>(data.x.cols());
  if (static_cast<size_t>(fit.coef.size()) != p) {
    return Fail(ErrorCode::kInvalidArgument, "fit does not match the data's covariates", "fit");
  }
  if (column_term.size() != p) {
    return Fail(ErrorCode::kInvalidArgument, "needs one term index per column", "column_term");
  }
  for (int t : column_term) {
    if (t < 0 || static_cast<size_t>(t) >= term_names.size()) {
      return Fail(ErrorCode::kInvalidArgument, "term index out of range", "term_names");
    }
  }
  const size_t n = data.time.size();
  std::vector<double> g = TransformTimes(data, transform);
  double gsum = 0, nev = 0;
  for (size_t i = 0; i < n; ++i) {
    if (data.status[i] == 1) {
      gsum += g[i];
      nev += 1;
    }
  }
  for (double& v : g) {
    v -= gsum / nev;
  }

  internal::SortedCoxData s = internal::SortCoxData(data);
  // zph1.c: score of the x·g(t) terms and the 2p × 2p information at (β̂, 0), Efron or
  // Breslow exactly as in the Cox fit (Grambsch & Therneau 1994; Therneau & Grambsch 2000).
  std::vector<double> eta(n), risk(n), gt(n);
  for (size_t k = 0; k < n; ++k) {
    double e = 0;
    for (size_t j = 0; j < p; ++j) {
      e += s.x[k * p + j] * fit.coef[static_cast<Eigen::Index>(j)];
    }
    eta[k] = e;
    risk[k] = std::exp(e);
    gt[k] = g[s.order[k]];
  }
  const bool efron = fit.ties == CoxTies::kEfron;
  Eigen::VectorXd u = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(2 * p));
  Eigen::MatrixXd imat =
      Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(2 * p), static_cast<Eigen::Index>(2 * p));
  std::vector<double> s1(p), d1(p), mean(p), s2(p * p), d2(p * p);
  double s0 = 0;
  const size_t ngroup = s.group_start.size() - 1;
  for (size_t grp = ngroup; grp-- > 0;) {
    const size_t begin = s.group_start[grp], end = s.group_start[grp + 1];
    if (grp + 1 == ngroup || s.stratum[begin] != s.stratum[end]) {
      s0 = 0;
      std::fill(s1.begin(), s1.end(), 0.0);
      std::fill(s2.begin(), s2.end(), 0.0);
    }
    double dsum0 = 0;
    int ndeath = 0;
    std::fill(d1.begin(), d1.end(), 0.0);
    std::fill(d2.begin(), d2.end(), 0.0);
    const double w = gt[begin];
    for (size_t k = begin; k < end; ++k) {
      const double* xk = &s.x[k * p];
      const double r = risk[k];
      double& z0 = s.status[k] == 1 ? dsum0 : s0;
      std::vector<double>& z1 = s.status[k] == 1 ? d1 : s1;
      std::vector<double>& z2 = s.status[k] == 1 ? d2 : s2;
      z0 += r;
      for (size_t a = 0; a < p; ++a) {
        z1[a] += r * xk[a];
        for (size_t b = 0; b <= a; ++b) {
          z2[a * p + b] += r * xk[a] * xk[b];
        }
      }
      if (s.status[k] == 1) {
        ++ndeath;
        for (size_t a = 0; a < p; ++a) {
          u[static_cast<Eigen::Index>(a)] += xk[a];
          u[static_cast<Eigen::Index>(a + p)] += w * xk[a];
        }
      }
    }
    if (ndeath == 0) {
      continue;
    }
    // Breslow: one term with all deaths in; Efron: ndeath terms adding 1/ndeath of the
    // deaths' sums each time.
    const int nterm = efron ? ndeath : 1;
    const double frac = efron ? 1.0 / ndeath : 1.0;
    const double wt = efron ? 1.0 : static_cast<double>(ndeath);
    for (int k = 0; k < nterm; ++k) {
      s0 += dsum0 * frac;
      for (size_t a = 0; a < p; ++a) {
        s1[a] += d1[a] * frac;
        for (size_t b = 0; b <= a; ++b) {
          s2[a * p + b] += d2[a * p + b] * frac;
        }
      }
      for (size_t a = 0; a < p; ++a) {
        mean[a] = s1[a] / s0;
        u[static_cast<Eigen::Index>(a)] -= wt * mean[a];
        u[static_cast<Eigen::Index>(a + p)] -= w * wt * mean[a];
      }
      for (size_t a = 0; a < p; ++a) {
        for (size_t b = 0; b <= a; ++b) {
          const double v = wt * (s2[a * p + b] - mean[a] * s1[b]) / s0;
          const auto ia = static_cast<Eigen::Index>(a), ib = static_cast<Eigen::Index>(b);
          const auto pp = static_cast<Eigen::Index>(p);
          imat(ib, ia) += v;
          imat(ib, ia + pp) += w * v;
          imat(ib + pp, ia + pp) += w * w * v;
          if (a != b) {
            imat(ia, ib + pp) += w * v;
          }
        }
      }
    }
  }
  const auto pp = static_cast<Eigen::Index>(p);
  for (Eigen::Index a = 0; a < pp; ++a) {
    for (Eigen::Index b = 0; b < a; ++b) {
      imat(a, b) = imat(b, a);
      imat(a + pp, b + pp) = imat(b + pp, a + pp);
    }
  }
  for (Eigen::Index a = 0; a < pp; ++a) {
    for (Eigen::Index b = 0; b < pp; ++b) {
      imat(a + pp, b) = imat(b, a + pp);
    }
  }

  auto score_test = [&](const std::vector<Eigen::Index>& cols) {
    std::vector<Eigen::Index> kk;
    for (Eigen::Index j = 0; j < pp; ++j) {
      kk.push_back(j);
    }
    for (Eigen::Index j : cols) {
      kk.push_back(j + pp);
    }
    const auto m = static_cast<Eigen::Index>(kk.size());
    Eigen::MatrixXd sub(m, m);
    Eigen::VectorXd uu = Eigen::VectorXd::Zero(m);
    for (Eigen::Index a = 0; a < m; ++a) {
      for (Eigen::Index b = 0; b < m; ++b) {
        sub(a, b) = imat(kk[a], kk[b]);
      }
      if (a >= pp) {
        uu[a] = u[kk[a]];
      }
    }
    return uu.dot(sub.partialPivLu().solve(uu));
  };
  CoxZphResult out;
  out.transform = transform;
  std::vector<Eigen::Index> all;
  for (size_t t = 0; t < term_names.size(); ++t) {
    std::vector<Eigen::Index> cols;
    for (size_t j = 0; j < p; ++j) {
      if (column_term[j] == static_cast<int>(t)) {
        cols.push_back(static_cast<Eigen::Index>(j));
      }
    }
    if (cols.empty()) {
      continue;
    }
    all.insert(all.end(), cols.begin(), cols.end());
    const double stat = score_test(cols);
    const int df = static_cast<int>(cols.size());
    out.terms.push_back(term_names[t]);
    out.chisq.push_back(stat);
    out.df.push_back(df);
    out.p.push_back(ChiSquareUpperP(stat, df));
  }
  std::sort(all.begin(), all.end());
  const double global = score_test(all);
  out.terms.push_back("GLOBAL");
  out.chisq.push_back(global);
  out.df.push_back(static_cast<int>(p));
  out.p.push_back(ChiSquareUpperP(global, static_cast<int>(p)));
  return out;
}

}  // namespace stream::stats
