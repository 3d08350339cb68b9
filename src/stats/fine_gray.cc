#include "stats/fine_gray.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>

#include "stats/cox_internal.h"

namespace stream::stats {
namespace {

// Data sorted by time, 1-based like the Fortran it mirrors (index 0 unused).
struct CrrData {
  int n = 0, np = 0;
  std::vector<double> t2;  // times
  std::vector<int> ici;    // 1 cause of interest, 2 competing, 0 censored
  std::vector<double> x;   // (n+1) × np, row i at x[i*np]
  std::vector<double> wt;  // G(t_i−), KM of censoring just before t_i
  double X(int i, int k) const { return x[static_cast<size_t>(i * np + k)]; }
};

// Linear predictor x_i·b in cmprsk's summation order (covt).
void LinearPredictor(const CrrData& d, const Eigen::VectorXd& b, std::vector<double>& ew) {
  ew.assign(static_cast<size_t>(d.n + 1), 0.0);
  for (int i = 1; i <= d.n; ++i) {
    double wk = 0;
    for (int k = 0; k < d.np; ++k) wk += d.X(i, k) * b[k];
    ew[static_cast<size_t>(i)] = wk;
  }
}

// crrfsv / crrf: minus the log pseudo-likelihood, its gradient (s) and Hessian (v).
double Crrfsv(const CrrData& d, const Eigen::VectorXd& b, Eigen::VectorXd* s, Eigen::MatrixXd* v) {
  const int n = d.n, np = d.np;
  std::vector<double> wk;
  LinearPredictor(d, b, wk);
  std::vector<double> ex(wk.size());
  for (size_t i = 0; i < wk.size(); ++i) ex[i] = std::exp(wk[i]);
  double lik = 0;
  if (s) *s = Eigen::VectorXd::Zero(np);
  if (v) *v = Eigen::MatrixXd::Zero(np, np);
  std::vector<double> xb(static_cast<size_t>(np)), xbt(static_cast<size_t>(np));
  Eigen::MatrixXd vt(np, np);
  int iuc = n;
  while (iuc > 0) {
    int i = iuc;
    while (i >= 1 && d.ici[static_cast<size_t>(i)] != 1) --i;
    if (i < 1) break;
    const double cft = d.t2[static_cast<size_t>(i)];
    iuc = i;
    double twf = 0;
    int itmp = iuc;
    for (i = iuc; i >= 1; --i) {
      if (d.t2[static_cast<size_t>(i)] < cft) break;
      itmp = i;
      if (d.ici[static_cast<size_t>(i)] == 1) {
        twf += 1;
        lik -= wk[static_cast<size_t>(i)];
        if (s) {
          for (int j = 0; j < np; ++j) (*s)[j] -= d.X(i, j);
        }
      }
    }
    iuc = itmp;
    double xb1 = 0, xb1o = 0;
    std::fill(xb.begin(), xb.end(), 0.0);
    vt.setZero();
    const double w_now = d.wt[static_cast<size_t>(iuc)];
    for (i = 1; i <= n; ++i) {
      double twt;
      if (d.t2[static_cast<size_t>(i)] < cft) {
        if (d.ici[static_cast<size_t>(i)] <= 1) continue;
        twt = ex[static_cast<size_t>(i)] * w_now / d.wt[static_cast<size_t>(i)];
      } else {
        twt = ex[static_cast<size_t>(i)];
      }
      xb1 += twt;
      if (s || v) {
        // Running weighted means and cross-products (cmprsk's updating formula).
        for (int j = 0; j < np; ++j) {
          xb[static_cast<size_t>(j)] += twt * d.X(i, j);
          xbt[static_cast<size_t>(j)] = d.X(i, j) - xb[static_cast<size_t>(j)] / xb1;
        }
        if (xb1o > 0) {
          const double t = xb1 * twt / xb1o;
          for (int k = 0; k < np; ++k) {
            for (int j = k; j < np; ++j) {
              vt(k, j) += t * xbt[static_cast<size_t>(k)] * xbt[static_cast<size_t>(j)];
            }
          }
        }
      }
      xb1o = xb1;
    }
    lik += twf * std::log(xb1);
    const double twt = twf / xb1;
    if (s) {
      for (int k = 0; k < np; ++k) (*s)[k] += twt * xb[static_cast<size_t>(k)];
    }
    if (v) {
      for (int k = 0; k < np; ++k) {
        for (int j = k; j < np; ++j) {
          (*v)(k, j) += twt * vt(k, j);
          (*v)(j, k) = (*v)(k, j);
        }
      }
    }
    iuc -= 1;
  }
  return lik;
}

// crrvv: the information (v) and the variance of the score (v2), i.e. Σ(η_i + ψ_i)^⊗2
// with ψ_i the term from estimating the censoring distribution (Fine & Gray 1999, §3).
void Crrvv(const CrrData& d, const Eigen::VectorXd& b, Eigen::MatrixXd& v, Eigen::MatrixXd& v2) {
  const int n = d.n, np = d.np;
  std::vector<double> wk;
  LinearPredictor(d, b, wk);
  std::vector<double> ex(wk.size());
  for (size_t i = 0; i < wk.size(); ++i) ex[i] = std::exp(wk[i]);
  auto t2 = [&](int i) { return d.t2[static_cast<size_t>(i)]; };
  auto ici = [&](int i) { return d.ici[static_cast<size_t>(i)]; };
  auto wt = [&](int i) { return d.wt[static_cast<size_t>(i)]; };
  v = Eigen::MatrixXd::Zero(np, np);
  v2 = Eigen::MatrixXd::Zero(np, np);
  double icrsk = n;
  std::vector<double> ss2(static_cast<size_t>(np), 0.0);
  Eigen::MatrixXd xb = Eigen::MatrixXd::Zero(n + 1, np + 1);  // column 0 = S0
  for (int i = 1; i <= n; ++i) {
    if (ici(i) != 1) continue;
    for (int j = 1; j <= n; ++j) {
      double twt;
      if (t2(j) < t2(i)) {
        if (ici(j) <= 1) continue;
        twt = ex[static_cast<size_t>(j)] * wt(i) / wt(j);
      } else {
        twt = ex[static_cast<size_t>(j)];
      }
      xb(i, 0) += twt;
      for (int k = 1; k <= np; ++k) xb(i, k) += twt * d.X(j, k - 1);
    }
  }
  int lc = 1;
  std::vector<double> st1(static_cast<size_t>(np)), st2(static_cast<size_t>(np)),
      qu(static_cast<size_t>(np), 0.0), ss(static_cast<size_t>(np)), xbt(static_cast<size_t>(np));
  Eigen::MatrixXd vt(np, np);
  for (int i = 1; i <= n; ++i) {
    std::fill(st1.begin(), st1.end(), 0.0);
    for (int j = 1; j <= n; ++j) {
      if (ici(j) != 1) continue;
      double twt;
      if (t2(j) <= t2(i)) {
        twt = ex[static_cast<size_t>(i)];
      } else if (t2(i) < t2(j) && ici(i) > 1) {
        twt = ex[static_cast<size_t>(i)] * wt(j) / wt(i);
      } else {
        continue;
      }
      // dΛ̂ portion of η_i.
      for (int k = 0; k < np; ++k) {
        st1[static_cast<size_t>(k)] -= (d.X(i, k) - xb(j, k + 1) / xb(j, 0)) * twt / xb(j, 0);
      }
    }
    if (ici(i) == 1) {
      // dN_i portion of η_i.
      for (int k = 0; k < np; ++k)
        st1[static_cast<size_t>(k)] += d.X(i, k) - xb(i, k + 1) / xb(i, 0);
      vt.setZero();
      for (int j = 1; j <= n; ++j) {
        double twt;
        if (t2(j) < t2(i)) {
          if (ici(j) <= 1) continue;
          twt = ex[static_cast<size_t>(j)] * wt(i) / wt(j);
        } else {
          twt = ex[static_cast<size_t>(j)];
        }
        for (int k = 0; k < np; ++k)
          xbt[static_cast<size_t>(k)] = d.X(j, k) - xb(i, k + 1) / xb(i, 0);
        for (int k = 0; k < np; ++k) {
          for (int j2 = k; j2 < np; ++j2) {
            vt(k, j2) += twt * xbt[static_cast<size_t>(k)] * xbt[static_cast<size_t>(j2)];
          }
        }
      }
      for (int j1 = 0; j1 < np; ++j1) {
        for (int j2 = j1; j2 < np; ++j2) v(j1, j2) += vt(j1, j2) / xb(i, 0);
      }
    }
    if (i == 1 || t2(i) > t2(i - 1)) {
      // First subject of a tie block: if the block holds a censoring (or runs to the end),
      // compute q(t_i) and add the dΛ^c portion of ψ for the censorings at t_i.
      bool compute = true;
      for (int j = i; j <= n; ++j) {
        if (t2(j) > t2(i)) {
          compute = false;
          break;
        }
        if (ici(j) == 0) break;
      }
      if (compute) {
        std::fill(qu.begin(), qu.end(), 0.0);
        for (int j1 = lc; j1 <= n; ++j1) {
          if (ici(j1) != 1) continue;
          double ss0 = 0;
          std::fill(ss.begin(), ss.end(), 0.0);
          for (int j2 = 1; j2 <= n; ++j2) {
            if (t2(j2) >= t2(i)) break;
            if (ici(j2) <= 1) continue;
            const double twt = ex[static_cast<size_t>(j2)] * wt(j1) / wt(j2);
            ss0 += twt;
            for (int k = 0; k < np; ++k) ss[static_cast<size_t>(k)] += d.X(j2, k) * twt;
          }
          for (int k = 0; k < np; ++k) {
            qu[static_cast<size_t>(k)] +=
                (ss[static_cast<size_t>(k)] - xb(j1, k + 1) * ss0 / xb(j1, 0)) / xb(j1, 0);
          }
        }
        for (int j = i; j <= n; ++j) {
          if (t2(j) > t2(i)) break;
          if (ici(j) == 0) {
            for (int k = 0; k < np; ++k) {
              ss2[static_cast<size_t>(k)] -= qu[static_cast<size_t>(k)] / (icrsk * icrsk);
            }
          }
        }
      }
    }
    for (int k = 0; k < np; ++k) st2[static_cast<size_t>(k)] = ss2[static_cast<size_t>(k)];
    if (ici(i) == 0) {
      for (int k = 0; k < np; ++k)
        st2[static_cast<size_t>(k)] += qu[static_cast<size_t>(k)] / icrsk;
    }
    for (int j1 = np - 1; j1 >= 0; --j1) {
      st1[static_cast<size_t>(j1)] += st2[static_cast<size_t>(j1)];
      for (int j2 = j1; j2 < np; ++j2) {
        v2(j1, j2) += st1[static_cast<size_t>(j1)] * st1[static_cast<size_t>(j2)];
      }
    }
    if (i < n && t2(i + 1) > t2(i)) {
      icrsk -= (i - lc + 1);
      lc = i + 1;
    }
  }
  for (int j1 = 0; j1 < np; ++j1) {
    for (int j2 = j1 + 1; j2 < np; ++j2) {
      v(j2, j1) = v(j1, j2);
      v2(j2, j1) = v2(j1, j2);
    }
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
  d.t2.assign(static_cast<size_t>(n + 1), 0.0);
  d.ici.assign(static_cast<size_t>(n + 1), 0);
  d.x.assign(static_cast<size_t>((n + 1) * np), 0.0);
  d.wt.assign(static_cast<size_t>(n + 1), 1.0);
  for (int k = 1; k <= n; ++k) {
    const size_t i = order[static_cast<size_t>(k - 1)];
    d.t2[static_cast<size_t>(k)] = time[i];
    d.ici[static_cast<size_t>(k)] =
        cause[i] == options.censor_code ? 0 : (cause[i] == options.failcode ? 1 : 2);
    for (int j = 0; j < np; ++j) {
      d.x[static_cast<size_t>(k * np + j)] = x(static_cast<Eigen::Index>(i), j);
    }
  }
  // G(t−): Kaplan–Meier of the censoring times, evaluated just before each time
  // (crr: summary(survfit(Surv(ftime, cenind) ~ 1), times = ftime·(1 − ε))).
  {
    double g = 1.0;
    int k = 1;
    while (k <= n) {
      int e = k;
      while (e + 1 <= n && d.t2[static_cast<size_t>(e + 1)] == d.t2[static_cast<size_t>(k)]) ++e;
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
    for (int j = 0; j < np; ++j)
      lhs = std::max(lhs, std::fabs(s[j]) * std::max(std::fabs(b[j]), 1.0));
    if (lhs < std::max(std::fabs(lik), 1.0) * options.gtol) {
      converged = true;
      break;
    }
    if (ll == options.max_iter) break;
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
      if (halvings > 20) break;
    }
    if (halvings > 20) break;
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
