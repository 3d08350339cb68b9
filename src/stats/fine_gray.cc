#include "stats/fine_gray.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>

#include "stats/cox_internal.h"

namespace stream::stats {
namespace {
// Data sorted by time, 1-based like cmprsk's Fortran (index 0 unused). Covariates are
// centred: the pseudo-likelihood, its score and information do not change, and the
// risk-set second moments below lose less to cancellation.
struct CrrData {
  int n = 0, np = 0;
  std::vector<double> t2;  // times
  std::vector<int> ici;    // 1 cause of interest, 2 competing, 0 censored
  std::vector<double> x;   // (n+1) × np, row i at x[i*np]
  std::vector<double> wt;  // G(t_i−), KM of censoring just before t_i
  std::vector<int> block;  // first index of each run of equal times, then n+1
  const double* X(int i) const { return &x[static_cast<size_t>(i) * static_cast<size_t>(np)]; }
};

// Risk-set sums of one distinct failure time t: Σ w·e^η·(1, x, xxᵀ) over the subjects
// still at risk (T ≥ t) and, with weight G(t−)/G(T_j−), the competing failures before t.
// Fine & Gray (1999) eq. (2); cmprsk computes them by a nested loop (O(n) per time), here
// they are suffix sums over time plus prefix sums over competing failures: O(n·p²).
struct FailureBlocks {
  std::vector<int> first;     // first index of the block
  std::vector<double> count;  // number of failures of the cause of interest
  std::vector<double> s0;     // S0(t)
  std::vector<double> s1;     // S1(t), np per block
  std::vector<double> s2;     // S2(t), np² per block
};

std::vector<double> RiskScores(const CrrData& d, const Eigen::VectorXd& b) {
  std::vector<double> e(static_cast<size_t>(d.n) + 1, 0.0);
  for (int i = 1; i <= d.n; ++i) {
    double wk = 0;
    const double* xi = d.X(i);
    for (int k = 0; k < d.np; ++k) {
      wk += xi[k] * b[k];
    }
    e[static_cast<size_t>(i)] = std::exp(wk);
  }
  return e;
}

FailureBlocks RiskSets(const CrrData& d, const std::vector<double>& e, bool moments) {
  const int np = d.np;
  const auto p = static_cast<size_t>(np);
  FailureBlocks fb;
  const size_t nblock = d.block.size() - 1;
  // Descending pass: sums over T ≥ t, stored for blocks holding a failure of interest.
  double a0 = 0;
  std::vector<double> a1(p, 0.0), a2(p * p, 0.0);
  std::vector<int> failure_blocks;
  for (size_t blk = nblock; blk-- > 0;) {
    const int b = d.block[blk], end = d.block[blk + 1];
    double count = 0;
    for (int i = b; i < end; ++i) {
      const double ei = e[static_cast<size_t>(i)];
      a0 += ei;
      if (moments) {
        const double* xi = d.X(i);
        for (size_t k = 0; k < p; ++k) {
          a1[k] += ei * xi[k];
          for (size_t j = 0; j <= k; ++j) {
            a2[k * p + j] += ei * xi[k] * xi[j];
          }
        }
      }
      if (d.ici[static_cast<size_t>(i)] == 1) {
        count += 1;
      }
    }
    if (count > 0) {
      fb.first.push_back(b);
      fb.count.push_back(count);
      fb.s0.push_back(a0);
      if (moments) {
        fb.s1.insert(fb.s1.end(), a1.begin(), a1.end());
        fb.s2.insert(fb.s2.end(), a2.begin(), a2.end());
      }
    }
  }
  // Reverse into ascending time order.
  const size_t m = fb.first.size();
  std::reverse(fb.first.begin(), fb.first.end());
  std::reverse(fb.count.begin(), fb.count.end());
  std::reverse(fb.s0.begin(), fb.s0.end());
  if (moments) {
    for (size_t lo = 0, hi = m; lo + 1 < hi; ++lo, --hi) {
      std::swap_ranges(fb.s1.begin() + static_cast<long>(lo * p),
                       fb.s1.begin() + static_cast<long>((lo + 1) * p),
                       fb.s1.begin() + static_cast<long>((hi - 1) * p));
      std::swap_ranges(fb.s2.begin() + static_cast<long>(lo * p * p),
                       fb.s2.begin() + static_cast<long>((lo + 1) * p * p),
                       fb.s2.begin() + static_cast<long>((hi - 1) * p * p));
    }
  }
  // Ascending pass: add the competing failures before t, weighted G(t−)/G(T_j−).
  double c0 = 0;
  std::vector<double> c1(p, 0.0), c2(p * p, 0.0);
  size_t next = 0;
  for (size_t blk = 0; blk < nblock && next < m; ++blk) {
    const int b = d.block[blk], end = d.block[blk + 1];
    if (b == fb.first[next]) {
      const double w = d.wt[static_cast<size_t>(b)];
      fb.s0[next] += w * c0;
      if (moments) {
        for (size_t k = 0; k < p; ++k) {
          fb.s1[next * p + k] += w * c1[k];
          for (size_t j = 0; j <= k; ++j) {
            fb.s2[next * p * p + k * p + j] += w * c2[k * p + j];
          }
        }
        for (size_t k = 0; k < p; ++k) {
          for (size_t j = k + 1; j < p; ++j) {
            fb.s2[next * p * p + k * p + j] = fb.s2[next * p * p + j * p + k];
          }
        }
      }
      ++next;
    }
    for (int i = b; i < end; ++i) {
      if (d.ici[static_cast<size_t>(i)] != 2) {
        continue;
      }
      const double ei = e[static_cast<size_t>(i)] / d.wt[static_cast<size_t>(i)];
      c0 += ei;
      if (moments) {
        const double* xi = d.X(i);
        for (size_t k = 0; k < p; ++k) {
          c1[k] += ei * xi[k];
          for (size_t j = 0; j <= k; ++j) {
            c2[k * p + j] += ei * xi[k] * xi[j];
          }
        }
      }
    }
  }
  return fb;
}

// cmprsk's crrfsv / crrf: minus the log pseudo-likelihood, its gradient (s) and Hessian
// (v); s and v may be null.
double Crrfsv(const CrrData& d, const Eigen::VectorXd& b, Eigen::VectorXd* s, Eigen::MatrixXd* v) {
  const int np = d.np;
  const auto p = static_cast<size_t>(np);
  const std::vector<double> e = RiskScores(d, b);
  const bool moments = s != nullptr || v != nullptr;
  const FailureBlocks fb = RiskSets(d, e, moments);
  if (s) {
    *s = Eigen::VectorXd::Zero(np);
  }
  if (v) {
    *v = Eigen::MatrixXd::Zero(np, np);
  }
  double lik = 0;
  for (size_t f = 0; f < fb.first.size(); ++f) {
    const int b0 = fb.first[f];
    for (int i = b0; i <= d.n && d.t2[static_cast<size_t>(i)] == d.t2[static_cast<size_t>(b0)];
         ++i) {
      if (d.ici[static_cast<size_t>(i)] != 1) {
        continue;
      }
      double wk = 0;
      for (size_t k = 0; k < p; ++k) {
        wk += d.X(i)[k] * b[static_cast<Eigen::Index>(k)];
      }
      lik -= wk;
      if (s) {
        for (size_t k = 0; k < p; ++k) {
          (*s)[static_cast<Eigen::Index>(k)] -= d.X(i)[k];
        }
      }
    }
    const double twf = fb.count[f], s0 = fb.s0[f];
    lik += twf * std::log(s0);
    if (moments) {
      for (size_t k = 0; k < p; ++k) {
        const double mk = fb.s1[f * p + k] / s0;
        if (s) {
          (*s)[static_cast<Eigen::Index>(k)] += twf * mk;
        }
        if (v) {
          for (size_t j = 0; j < p; ++j) {
            const double mj = fb.s1[f * p + j] / s0;
            (*v)(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) +=
                twf * (fb.s2[f * p * p + k * p + j] / s0 - mk * mj);
          }
        }
      }
    }
  }
  return lik;
}

// cmprsk's crrvv: the information (v) and Σ(η_i + ψ_i)(η_i + ψ_i)ᵀ (v2), η_i the score
// residual of subject i and ψ_i the term from estimating G (Fine & Gray 1999, §3). cmprsk
// loops over pairs (and triples, for ψ); the same sums are prefix/suffix sums over the
// distinct failure times here, O(n·p²) in total.
void Crrvv(const CrrData& d, const Eigen::VectorXd& b, Eigen::MatrixXd& v, Eigen::MatrixXd& v2) {
  const int n = d.n, np = d.np;
  const auto p = static_cast<size_t>(np);
  const std::vector<double> e = RiskScores(d, b);
  const FailureBlocks fb = RiskSets(d, e, true);
  const size_t m = fb.first.size();
  v = Eigen::MatrixXd::Zero(np, np);
  v2 = Eigen::MatrixXd::Zero(np, np);
  // Per failure time: mean m = S1/S0 and the information contribution.
  std::vector<double> mean(m * p);
  for (size_t f = 0; f < m; ++f) {
    const double s0 = fb.s0[f];
    for (size_t k = 0; k < p; ++k) {
      mean[f * p + k] = fb.s1[f * p + k] / s0;
    }
    for (size_t k = 0; k < p; ++k) {
      for (size_t j = 0; j < p; ++j) {
        v(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) +=
            fb.count[f] * (fb.s2[f * p * p + k * p + j] / s0 - mean[f * p + k] * mean[f * p + j]);
      }
    }
  }
  // Prefix (through failure time f) of count/S0 and count·m/S0: the dΛ̂ part of η_i for
  // failure times ≤ T_i. Suffix (from f) of count·G/S0 and count·G·m/S0: the same for
  // competing failures (weight G(t−)/G(T_i−)) and the inner integral q(t) of ψ.
  std::vector<double> pre1(m), pre2(m * p), suf1(m + 1, 0.0), suf2((m + 1) * p, 0.0);
  for (size_t f = 0; f < m; ++f) {
    const double c = fb.count[f] / fb.s0[f];
    pre1[f] = (f ? pre1[f - 1] : 0.0) + c;
    for (size_t k = 0; k < p; ++k) {
      pre2[f * p + k] = (f ? pre2[(f - 1) * p + k] : 0.0) + c * mean[f * p + k];
    }
  }
  for (size_t f = m; f-- > 0;) {
    const double c = fb.count[f] * d.wt[static_cast<size_t>(fb.first[f])] / fb.s0[f];
    suf1[f] = suf1[f + 1] + c;
    for (size_t k = 0; k < p; ++k) {
      suf2[f * p + k] = suf2[(f + 1) * p + k] + c * mean[f * p + k];
    }
  }
  std::vector<double> ss2(p, 0.0), qu(p, 0.0), st(p), c1(p, 0.0);
  double c0 = 0;    // competing failures before t: Σ e^η/G(T−) and Σ x·e^η/G(T−)
  size_t f_lt = 0;  // failure times < current time
  const size_t nblock = d.block.size() - 1;
  for (size_t blk = 0; blk < nblock; ++blk) {
    const int b0 = d.block[blk], end = d.block[blk + 1];
    const bool is_failure_time = f_lt < m && fb.first[f_lt] == b0;
    const size_t f_le = f_lt + (is_failure_time ? 1 : 0);  // failure times ≤ t
    const double icrsk = n - b0 + 1;                       // at risk at t
    bool censored = false;
    for (int i = b0; i < end; ++i) {
      censored = censored || d.ici[static_cast<size_t>(i)] == 0;
    }
    if (censored) {
      // q(t) = Σ_{failure times s ≥ t} count·G(s−)/S0(s)·(A − B·m(s)), A, B the competing
      // sums before t; each censoring at t adds −q/n(t)² to the dΛ^c part of ψ.
      for (size_t k = 0; k < p; ++k) {
        qu[k] = c1[k] * suf1[f_lt] - c0 * suf2[f_lt * p + k];
      }
      for (int i = b0; i < end; ++i) {
        if (d.ici[static_cast<size_t>(i)] != 0) {
          continue;
        }
        for (size_t k = 0; k < p; ++k) {
          ss2[k] -= qu[k] / (icrsk * icrsk);
        }
      }
    }
    for (int i = b0; i < end; ++i) {
      const int status = d.ici[static_cast<size_t>(i)];
      const double* xi = d.X(i);
      const double ei = e[static_cast<size_t>(i)];
      for (size_t k = 0; k < p; ++k) {
        double s = 0;
        if (f_le > 0) {
          s -= ei * (xi[k] * pre1[f_le - 1] - pre2[(f_le - 1) * p + k]);
        }
        if (status == 2) {
          s -= ei / d.wt[static_cast<size_t>(i)] * (xi[k] * suf1[f_le] - suf2[f_le * p + k]);
        }
        if (status == 1) {
          s += xi[k] - mean[f_lt * p + k];
        }
        s += ss2[k];
        if (status == 0) {
          s += qu[k] / icrsk;
        }
        st[k] = s;
      }
      for (size_t k = 0; k < p; ++k) {
        for (size_t j = 0; j < p; ++j) {
          v2(static_cast<Eigen::Index>(k), static_cast<Eigen::Index>(j)) += st[k] * st[j];
        }
      }
    }
    for (int i = b0; i < end; ++i) {
      if (d.ici[static_cast<size_t>(i)] != 2) {
        continue;
      }
      const double w = e[static_cast<size_t>(i)] / d.wt[static_cast<size_t>(i)];
      c0 += w;
      for (size_t k = 0; k < p; ++k) {
        c1[k] += w * d.X(i)[k];
      }
    }
    f_lt = f_le;
  }
}
}  // namespace

Result<FineGrayResult> FitFineGray(const std::vector<double>& time, const std::vector<int>& cause,
                                   const Eigen::MatrixXd& x, const std::vector<std::string>& names,
                                   const FineGrayOptions& options) {
  // Reuse the Cox validation for times and covariates (status is checked separately).
  CoxData check;
  check.time = time;
  check.status.assign(time.size(), 0);
  check.x = x;
  check.names = names;
  if (cause.size() != time.size()) {
    return Fail(ErrorCode::kInvalidArgument, "cause has a different length from time", "cause");
  }
  STREAM_RETURN_IF_ERROR(internal::ValidateCoxData(check));
  const int n = static_cast<int>(time.size());
  const int np = static_cast<int>(x.cols());
  if (std::count(cause.begin(), cause.end(), options.failcode) == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "no event with failcode " + std::to_string(options.failcode), "cause");
  }
  std::vector<size_t> order(time.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return time[a] < time[b]; });
  CrrData d;
  d.n = n;
  d.np = np;
  d.t2.assign(static_cast<size_t>(n) + 1, 0.0);
  d.ici.assign(static_cast<size_t>(n) + 1, 0);
  d.x.assign((static_cast<size_t>(n) + 1) * static_cast<size_t>(np), 0.0);
  d.wt.assign(static_cast<size_t>(n) + 1, 1.0);
  const Eigen::RowVectorXd centre = x.colwise().mean();
  for (int k = 1; k <= n; ++k) {
    const size_t i = order[static_cast<size_t>(k - 1)];
    d.t2[static_cast<size_t>(k)] = time[i];
    d.ici[static_cast<size_t>(k)] =
        cause[i] == options.censor_code ? 0 : (cause[i] == options.failcode ? 1 : 2);
    for (int j = 0; j < np; ++j) {
      d.x[static_cast<size_t>(k) * static_cast<size_t>(np) + static_cast<size_t>(j)] =
          x(static_cast<Eigen::Index>(i), j) - centre[j];
    }
  }
  for (int k = 1; k <= n; ++k) {
    if (k == 1 || d.t2[static_cast<size_t>(k)] != d.t2[static_cast<size_t>(k - 1)]) {
      d.block.push_back(k);
    }
  }
  d.block.push_back(n + 1);
  // G(t−): Kaplan–Meier of the censoring times, evaluated just before each time
  // (crr: summary(survfit(Surv(ftime, cenind) ~ 1), times = ftime·(1 − ε))).
  {
    double g = 1.0;
    int k = 1;
    while (k <= n) {
      int e = k;
      while (e + 1 <= n && d.t2[static_cast<size_t>(e) + 1] == d.t2[static_cast<size_t>(k)]) {
        ++e;
      }
      int cens = 0;
      for (int i = k; i <= e; ++i) {
        d.wt[static_cast<size_t>(i)] = g;
        cens += d.ici[static_cast<size_t>(i)] == 0 ? 1 : 0;
      }
      const double at_risk = n - k + 1;
      g *= (at_risk - cens) / at_risk;
      k = e + 1;
    }
  }

  Eigen::VectorXd b = Eigen::VectorXd::Zero(np), s(np);
  Eigen::MatrixXd h(np, np);
  const double lik_null = Crrfsv(d, b, nullptr, nullptr);
  double lik = 0;
  bool converged = false;
  int iter = 0;
  for (int ll = 0; ll <= options.max_iter; ++ll) {
    iter = ll;
    lik = Crrfsv(d, b, &s, &h);
    double lhs = 0;
    for (int j = 0; j < np; ++j) {
      lhs = std::max(lhs, std::fabs(s[j]) * std::max(std::fabs(b[j]), 1.0));
    }
    if (lhs < std::max(std::fabs(lik), 1.0) * options.gtol) {
      converged = true;
      break;
    }
    if (ll == options.max_iter) {
      break;
    }
    Eigen::FullPivLU<Eigen::MatrixXd> lu(h);
    if (!lu.isInvertible()) {
      return Fail(ErrorCode::kInvalidArgument, "information matrix is singular", "x");
    }
    Eigen::VectorXd sc = -lu.solve(s);
    Eigen::VectorXd bn = b + sc;
    double fbn = Crrfsv(d, bn, nullptr, nullptr);
    int halvings = 0;
    while (std::isnan(fbn) || fbn > lik + 1e-4 * sc.dot(s)) {
      ++halvings;
      sc *= 0.5;
      bn = b + sc;
      fbn = Crrfsv(d, bn, nullptr, nullptr);
      if (halvings > 20) {
        break;
      }
    }
    if (halvings > 20) {
      break;
    }
    b = bn;
  }
  if (!converged) {
    return Fail(ErrorCode::kInvalidArgument,
                "Fine-Gray Newton-Raphson did not converge (coefficients may be infinite)", "x");
  }
  Eigen::MatrixXd v, v2;
  Crrvv(d, b, v, v2);
  Eigen::FullPivLU<Eigen::MatrixXd> vlu(v);
  if (!vlu.isInvertible()) {
    return Fail(ErrorCode::kInvalidArgument, "information matrix is singular", "x");
  }
  const Eigen::MatrixXd hinv = vlu.inverse();
  FineGrayResult r;
  for (int j = 0; j < np; ++j) {
    r.names.push_back(names.empty() ? "x" + std::to_string(j + 1) : names[static_cast<size_t>(j)]);
  }
  r.coef = b;
  r.var = hinv * v2 * hinv.transpose();
  r.information = h;
  r.se = r.var.diagonal().cwiseSqrt();
  r.shr = b.array().exp();
  boost::math::normal_distribution<double> normal;
  const double zq = boost::math::quantile(normal, 0.975);
  r.shr_lower95 = (b.array() - zq * r.se.array()).exp();
  r.shr_upper95 = (b.array() + zq * r.se.array()).exp();
  r.z = b.array() / r.se.array();
  // summary.crr: 2·(1 − pnorm(|z|)).
  r.p =
      r.z.unaryExpr([&](double z) { return 2.0 * (1.0 - boost::math::cdf(normal, std::fabs(z))); });
  r.pseudo_loglik = -lik;
  r.pseudo_loglik_null = -lik_null;
  r.pseudo_lr_test = MakeChiSquareTest(2.0 * (r.pseudo_loglik - r.pseudo_loglik_null), np);
  r.score = -s;
  r.iter = iter;
  r.n = n;
  return r;
}

}  // namespace stream::stats
