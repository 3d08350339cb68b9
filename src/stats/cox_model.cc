#include "stats/cox_model.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <numeric>

#include "stats/cox_internal.h"

namespace stream::stats {
namespace {

double NormalTwoSidedP(double z) {
  if (!std::isfinite(z)) {
    return std::isnan(z) ? z : 0.0;
  }
  boost::math::normal_distribution<double> normal;
  return 2.0 * boost::math::cdf(boost::math::complement(normal, std::fabs(z)));
}

}  // namespace

double ChiSquareUpperP(double stat, int df) {
  if (df <= 0 || std::isnan(stat)) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  if (stat <= 0) {
    return 1.0;
  }
  if (!std::isfinite(stat)) {
    return 0.0;
  }
  boost::math::chi_squared_distribution<double> chi2(df);
  return boost::math::cdf(boost::math::complement(chi2, stat));
}

ChiSquareTest MakeChiSquareTest(double stat, int df) {
  return ChiSquareTest{stat, df, ChiSquareUpperP(stat, df)};
}

namespace internal {

Status ValidateCoxData(const CoxData& data) {
  const size_t n = data.time.size();
  if (n == 0) {
    return Fail(ErrorCode::kInvalidArgument, "no observations", "time");
  }
  if (n >= (size_t{1} << 31)) {
    return Fail(ErrorCode::kInvalidArgument, "more than 2^31 - 1 rows are not supported", "time");
  }
  if (data.status.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "status has a different length from time", "status");
  }
  if (static_cast<size_t>(data.x.rows()) != n) {
    return Fail(ErrorCode::kInvalidArgument, "x has a different number of rows from time", "x");
  }
  if (data.x.cols() == 0) {
    return Fail(ErrorCode::kInvalidArgument, "no covariates", "x");
  }
  if (!data.stratum.empty() && data.stratum.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "stratum has a different length from time", "stratum");
  }
  if (!data.names.empty() && data.names.size() != static_cast<size_t>(data.x.cols())) {
    return Fail(ErrorCode::kInvalidArgument, "names must have one entry per column of x", "names");
  }
  for (size_t i = 0; i < n; ++i) {
    const double t = data.time[i];
    if (!std::isfinite(t) || t < 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "row " + std::to_string(i + 1) + ": time must be finite and >= 0", "time");
    }
    if (data.status[i] != 0 && data.status[i] != 1) {
      return Fail(ErrorCode::kInvalidArgument,
                  "row " + std::to_string(i + 1) + ": status must be 0 (censored) or 1 (event)",
                  "status");
    }
  }
  for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
    const std::string name =
        data.names.empty() ? "x" + std::to_string(j + 1) : data.names[static_cast<size_t>(j)];
    for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
      if (!std::isfinite(data.x(i, j))) {
        return Fail(ErrorCode::kInvalidArgument,
                    "row " + std::to_string(i + 1) + ": covariate is not finite", "x." + name);
      }
    }
    if ((data.x.col(j).array() == data.x(0, j)).all()) {
      return Fail(ErrorCode::kInvalidArgument, "covariate is constant: it cannot be estimated",
                  "x." + name);
    }
  }
  return Ok();
}

SortedCoxData SortCoxData(const CoxData& data) {
  SortedCoxData s;
  const size_t n = data.time.size();
  const size_t p = static_cast<size_t>(data.x.cols());
  s.n = n;
  s.p = p;
  const bool strat = !data.stratum.empty();
  std::vector<uint32_t> order = SortOrder(data.time, strat ? &data.stratum : nullptr);
  s.order = order;
  s.time.resize(n);
  s.status.resize(n);
  s.stratum.resize(n);
  s.x.resize(n * p);
  s.means = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(p));
  // survival's nocenter = c(-1, 0, 1): such columns keep mean 0.
  for (size_t j = 0; j < p; ++j) {
    const auto col = data.x.col(static_cast<Eigen::Index>(j));
    const bool no_center = (col.array() == 0.0 || col.array() == 1.0 || col.array() == -1.0).all();
    if (!no_center) {
      s.means[static_cast<Eigen::Index>(j)] = col.mean();
    }
  }
  for (size_t k = 0; k < n; ++k) {
    const size_t i = order[k];
    s.time[k] = data.time[i];
    s.status[k] = data.status[i];
    s.stratum[k] = strat ? data.stratum[i] : 0;
    for (size_t j = 0; j < p; ++j) {
      s.x[k * p + j] =
          data.x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) - s.means[j];
    }
  }
  // Group boundaries: [group_start[g], group_start[g+1]) share stratum and time.
  for (size_t k = 0; k < n; ++k) {
    if (k == 0 || s.stratum[k] != s.stratum[k - 1] || s.time[k] != s.time[k - 1]) {
      s.group_start.push_back(k);
    }
    s.nevent += s.status[k];
  }
  s.group_start.push_back(n);
  s.eta.resize(n);
  s.risk.resize(n);
  return s;
}

namespace {

// Exact partial likelihood of one tied death time (Kalbfleisch & Prentice 1973; the
// conditional-logistic form): the denominator sums exp(Σ_{j∈S} η_j) over every subset S
// of the risk set of size d, computed with the recursion of Gail, Lubin & Rubinstein
// (1981) together with its first and second derivatives. Cost O(n_risk · d · p²).
// Adds −log B_d to the log-likelihood, −∂log B_d to u and its negative Hessian to imat.
double ExactTerm(const SortedCoxData& s, size_t begin, size_t end, int d, double* u, double* imat,
                 std::vector<double>& scratch) {
  const size_t p = s.p;
  const auto dd = static_cast<size_t>(d);
  scratch.assign((dd + 1) * (1 + p + p * p), 0.0);
  double* b0 = scratch.data();     // B[k]
  double* b1 = b0 + (dd + 1);      // ∂B[k]/∂β_a at b1[k*p + a]
  double* b2 = b1 + (dd + 1) * p;  // ∂²B[k] at b2[k*p*p + a*p + b]
  b0[0] = 1;
  for (size_t m = begin; m < end; ++m) {
    const double r = s.risk[m];
    const double* xm = &s.x[m * p];
    const size_t kmax = std::min(dd, m - begin + 1);
    for (size_t k = kmax; k >= 1; --k) {
      const double* pb1 = b1 + (k - 1) * p;
      const double* pb2 = b2 + (k - 1) * p * p;
      double* nb1 = b1 + k * p;
      double* nb2 = b2 + k * p * p;
      for (size_t a = 0; a < p; ++a) {
        for (size_t c = 0; c < p; ++c) {
          nb2[a * p + c] +=
              r * (pb2[a * p + c] + xm[a] * pb1[c] + xm[c] * pb1[a] + xm[a] * xm[c] * b0[k - 1]);
        }
      }
      for (size_t a = 0; a < p; ++a) {
        nb1[a] += r * (pb1[a] + xm[a] * b0[k - 1]);
      }
      b0[k] += r * b0[k - 1];
    }
  }
  const double bd = b0[dd];
  const double* g = b1 + dd * p;
  const double* h = b2 + dd * p * p;
  for (size_t a = 0; a < p; ++a) {
    u[a] -= g[a] / bd;
  }
  for (size_t a = 0; a < p; ++a) {
    for (size_t c = 0; c <= a; ++c) {
      imat[a * p + c] += h[a * p + c] / bd - (g[a] / bd) * (g[c] / bd);
    }
  }
  return -std::log(bd);
}

}  // namespace

// Log partial likelihood, score and information at `beta` (centred covariates).
// Efron (1977): the d tied deaths at a time remove fractions k/d of their own risk from
// the risk set, k = 0..d−1. Breslow (1974): the full risk set for every death. Exact:
// ExactTerm above.
double CoxLogLik(SortedCoxData& s, const double* beta, CoxTies ties, double* u, double* imat) {
  const bool efron = ties == CoxTies::kEfron;
  const bool exact = ties == CoxTies::kExact;
  size_t stratum_end = s.n;
  const size_t n = s.n, p = s.p;
  for (size_t k = 0; k < n; ++k) {
    double e = 0;
    const double* xk = &s.x[k * p];
    for (size_t j = 0; j < p; ++j) {
      e += xk[j] * beta[j];
    }
    s.eta[k] = e;
    s.risk[k] = std::exp(e);
  }
  std::fill(u, u + p, 0.0);
  std::fill(imat, imat + p * p, 0.0);
  std::vector<double>& work = s.work;
  work.assign(4 * p + 2 * p * p, 0.0);
  double* s1 = work.data();
  double* d1 = s1 + p;
  double* xsum = d1 + p;
  double* mean = xsum + p;
  double* s2 = mean + p;
  double* d2 = s2 + p * p;
  double s0 = 0;
  double loglik = 0;
  const size_t ngroup = s.group_start.size() - 1;
  for (size_t g = ngroup; g-- > 0;) {
    const size_t begin = s.group_start[g], end = s.group_start[g + 1];
    if (g + 1 == ngroup || s.stratum[begin] != s.stratum[end]) {
      s0 = 0;
      std::fill(s1, s1 + p, 0.0);
      std::fill(s2, s2 + p * p, 0.0);
      stratum_end = end;
    }
    double dsum0 = 0;
    int ndeath = 0;
    std::fill(d1, d1 + p, 0.0);
    std::fill(xsum, xsum + p, 0.0);
    if (efron) {
      std::fill(d2, d2 + p * p, 0.0);
    }
    for (size_t k = begin; k < end; ++k) {
      const double r = s.risk[k];
      const double* xk = &s.x[k * p];
      s0 += r;
      for (size_t a = 0; a < p; ++a) {
        const double rx = r * xk[a];
        s1[a] += rx;
        for (size_t b = 0; b <= a; ++b) {
          s2[a * p + b] += rx * xk[b];
        }
      }
      if (s.status[k] == 1) {
        ++ndeath;
        dsum0 += r;
        loglik += s.eta[k];
        for (size_t a = 0; a < p; ++a) {
          const double rx = r * xk[a];
          d1[a] += rx;
          xsum[a] += xk[a];
          if (efron) {
            for (size_t b = 0; b <= a; ++b) {
              d2[a * p + b] += rx * xk[b];
            }
          }
        }
      }
    }
    if (ndeath == 0) {
      continue;
    }
    for (size_t a = 0; a < p; ++a) {
      u[a] += xsum[a];
    }
    if (exact && ndeath > 1) {
      loglik += ExactTerm(s, begin, stratum_end, ndeath, u, imat, s.exact_scratch);
    } else if (!efron || ndeath == 1) {
      const double dn = ndeath;
      loglik -= dn * std::log(s0);
      for (size_t a = 0; a < p; ++a) {
        mean[a] = s1[a] / s0;
        u[a] -= dn * mean[a];
      }
      for (size_t a = 0; a < p; ++a) {
        for (size_t b = 0; b <= a; ++b) {
          imat[a * p + b] += dn * (s2[a * p + b] / s0 - mean[a] * mean[b]);
        }
      }
    } else {
      for (int k = 0; k < ndeath; ++k) {
        const double f = static_cast<double>(k) / ndeath;
        const double denom = s0 - f * dsum0;
        loglik -= std::log(denom);
        for (size_t a = 0; a < p; ++a) {
          mean[a] = (s1[a] - f * d1[a]) / denom;
          u[a] -= mean[a];
        }
        for (size_t a = 0; a < p; ++a) {
          for (size_t b = 0; b <= a; ++b) {
            imat[a * p + b] += (s2[a * p + b] - f * d2[a * p + b]) / denom - mean[a] * mean[b];
          }
        }
      }
    }
  }
  for (size_t a = 0; a < p; ++a) {
    for (size_t b = 0; b < a; ++b) {
      imat[b * p + a] = imat[a * p + b];
    }
  }
  return loglik;
}

}  // namespace internal

namespace {

struct Step {
  Eigen::VectorXd delta;
  bool ok = false;
};

// Solves I·δ = u; fails (ok = false) when I is not positive definite to working precision
// (survival's cholesky2 uses the tolerance eps^0.75 ≈ 1.8e-12 relative to the diagonal).
Step Solve(const Eigen::MatrixXd& imat, const Eigen::VectorXd& u) {
  Step out;
  Eigen::LDLT<Eigen::MatrixXd> ldlt(imat);
  if (ldlt.info() != Eigen::Success) {
    return out;
  }
  const auto d = ldlt.vectorD();
  const double scale = imat.diagonal().cwiseAbs().maxCoeff();
  if (!(scale > 0) || (d.array() <= 1.818989e-12 * scale).any()) {
    return out;
  }
  out.delta = ldlt.solve(u);
  out.ok = true;
  return out;
}

std::string ColumnName(const CoxData& data, Eigen::Index j) {
  return data.names.empty() ? "x" + std::to_string(j + 1) : data.names[static_cast<size_t>(j)];
}

}  // namespace

Result<CoxResult> FitCox(const CoxData& data, const CoxOptions& options) {
  STREAM_RETURN_IF_ERROR(internal::ValidateCoxData(data));
  if (options.max_iter < 1 || !(options.eps > 0)) {
    return Fail(ErrorCode::kInvalidArgument, "max_iter must be >= 1 and eps > 0", "options");
  }
  internal::SortedCoxData s = internal::SortCoxData(data);
  if (s.nevent == 0) {
    return Fail(ErrorCode::kInvalidArgument,
                "no events: every observation is censored, the partial likelihood is flat",
                "status");
  }
  const auto p = static_cast<Eigen::Index>(s.p);
  const CoxTies ties = options.ties;
  Eigen::VectorXd beta = Eigen::VectorXd::Zero(p);
  Eigen::VectorXd u(p);
  Eigen::MatrixXd imat(p, p);

  // Newton–Raphson exactly as survival's coxfit6 (including its step-halving rule).
  const double loglik_null = internal::CoxLogLik(s, beta.data(), ties, u.data(), imat.data());
  Step step = Solve(imat, u);
  if (!step.ok) {
    return Fail(ErrorCode::kInvalidArgument,
                "covariates are collinear (information matrix is singular at beta = 0)", "x");
  }
  const double score_stat = u.dot(step.delta);
  Eigen::VectorXd new_beta = beta + step.delta;
  double loglik_old = loglik_null;
  double new_loglik = loglik_null;
  bool halving = false;
  bool converged = false;
  int iter = 0;
  for (iter = 1; iter <= options.max_iter; ++iter) {
    new_loglik = internal::CoxLogLik(s, new_beta.data(), ties, u.data(), imat.data());
    if (std::isfinite(new_loglik) && std::fabs(1.0 - loglik_old / new_loglik) <= options.eps &&
        !halving) {
      converged = true;
      break;
    }
    if (iter == options.max_iter) {
      break;
    }
    if (!std::isfinite(new_loglik) || new_loglik < loglik_old) {
      halving = true;
      new_beta = (new_beta + beta) / 2.0;
    } else {
      halving = false;
      loglik_old = new_loglik;
      step = Solve(imat, u);
      if (!step.ok) {
        return Fail(ErrorCode::kInvalidArgument,
                    "covariates are collinear (information matrix is singular)", "x");
      }
      beta = new_beta;
      new_beta = new_beta + step.delta;
    }
  }
  if (!converged) {
    Eigen::Index largest = 0;
    new_beta.cwiseAbs().maxCoeff(&largest);
    return Fail(ErrorCode::kInvalidArgument,
                "Newton-Raphson did not converge in " + std::to_string(options.max_iter) +
                    " iterations; the coefficient may be infinite (perfect separation)",
                "x." + ColumnName(data, largest));
  }
  Eigen::LDLT<Eigen::MatrixXd> final_ldlt(imat);
  if (final_ldlt.info() != Eigen::Success || !Solve(imat, u).ok) {
    return Fail(ErrorCode::kInvalidArgument, "information matrix is singular at the estimate", "x");
  }
  Eigen::MatrixXd vcov = final_ldlt.solve(Eigen::MatrixXd::Identity(p, p));
  vcov = (vcov + vcov.transpose()) / 2.0;
  // survival's check for infinite coefficients (monotone likelihood, Bryson & Johnson 1981).
  const Eigen::VectorXd infs = (u.transpose() * vcov).transpose().cwiseAbs();
  for (Eigen::Index j = 0; j < p; ++j) {
    if (infs[j] > options.eps && infs[j] > std::sqrt(options.eps) * std::fabs(new_beta[j])) {
      return Fail(ErrorCode::kInvalidArgument,
                  "coefficient may be infinite: the log likelihood converged while the "
                  "coefficient kept growing (perfect separation / monotone likelihood)",
                  "x." + ColumnName(data, j));
    }
  }

  CoxResult r;
  r.ties = options.ties;
  for (Eigen::Index j = 0; j < p; ++j) {
    r.names.push_back(ColumnName(data, j));
  }
  r.coef = new_beta;
  r.vcov = vcov;
  r.se = vcov.diagonal().cwiseSqrt();
  r.hr = r.coef.array().exp();
  const double zq = boost::math::quantile(boost::math::normal_distribution<double>(), 0.975);
  r.hr_lower95 = (r.coef.array() - zq * r.se.array()).exp();
  r.hr_upper95 = (r.coef.array() + zq * r.se.array()).exp();
  r.z = r.coef.array() / r.se.array();
  r.p = r.z.unaryExpr([](double z) { return NormalTwoSidedP(z); });
  r.means = s.means;
  r.loglik_null = loglik_null;
  r.loglik_final = new_loglik;
  const int df = static_cast<int>(p);
  r.lr_test = MakeChiSquareTest(2.0 * (new_loglik - loglik_null), df);
  r.wald_test = MakeChiSquareTest(r.coef.dot(imat * r.coef), df);
  r.score_test = MakeChiSquareTest(score_stat, df);
  r.iter = iter;
  r.n = static_cast<int>(s.n);
  r.nevent = s.nevent;

  if (options.concordance) {
    std::vector<double> lp(s.n);
    for (size_t k = 0; k < s.n; ++k) {
      double e = 0;
      for (size_t j = 0; j < s.p; ++j) {
        e += s.x[k * s.p + j] * new_beta[static_cast<Eigen::Index>(j)];
      }
      lp[k] = e;
    }
    r.concordance = internal::ConcordanceSorted(s.time, s.status, s.stratum, lp);
  }
  if (options.baseline_hazard) {
    r.baseline = internal::BaselineCumHaz(s, new_beta, ties == CoxTies::kEfron);
    if (!data.stratum.empty()) {
      for (auto& b : r.baseline) {
        b.stratum = data.stratum[s.order[static_cast<size_t>(b.stratum)]];
      }
    }
  }
  return r;
}

namespace internal {

// Baseline cumulative hazard at covariates 0 (basehaz(fit, centered = FALSE)): the
// Breslow increment d/Σr, or for Efron ties Σ_k (1/d)·d/(Σr − (k/d)·Σr_deaths), as
// survfit.coxph's ctype 2, then rescaled from the centring point to 0.
// The `stratum` field holds the sorted index of the stratum's first row; the caller maps it.
std::vector<BaselineHazard> BaselineCumHaz(SortedCoxData& s, const Eigen::VectorXd& beta,
                                           bool efron) {
  std::vector<BaselineHazard> out;
  const size_t p = s.p;
  double shift = 0;
  for (size_t j = 0; j < p; ++j) {
    shift += beta[static_cast<Eigen::Index>(j)] * s.means[static_cast<Eigen::Index>(j)];
  }
  const double rescale = std::exp(-shift);
  for (size_t k = 0; k < s.n; ++k) {
    double e = 0;
    for (size_t j = 0; j < p; ++j) {
      e += s.x[k * p + j] * beta[static_cast<Eigen::Index>(j)];
    }
    s.risk[k] = std::exp(e);
  }
  const size_t ngroup = s.group_start.size() - 1;
  // Increments computed from the end (risk sets), then accumulated forwards.
  std::vector<double> increment(ngroup, 0.0);
  double s0 = 0;
  for (size_t g = ngroup; g-- > 0;) {
    const size_t begin = s.group_start[g], end = s.group_start[g + 1];
    if (g + 1 == ngroup || s.stratum[begin] != s.stratum[end]) {
      s0 = 0;
    }
    double dsum = 0;
    int ndeath = 0;
    for (size_t k = begin; k < end; ++k) {
      s0 += s.risk[k];
      if (s.status[k] == 1) {
        ++ndeath;
        dsum += s.risk[k];
      }
    }
    if (ndeath == 0) {
      continue;
    }
    if (!efron || ndeath == 1) {
      increment[g] = ndeath / s0;
    } else {
      double h = 0;
      for (int k = 0; k < ndeath; ++k) {
        h += 1.0 / (s0 - (static_cast<double>(k) / ndeath) * dsum);
      }
      increment[g] = h;
    }
  }
  for (size_t g = 0; g < ngroup; ++g) {
    const size_t begin = s.group_start[g];
    if (g == 0 || s.stratum[begin] != s.stratum[s.group_start[g - 1]]) {
      out.push_back(BaselineHazard{static_cast<int>(begin), {}, {}});
    }
    BaselineHazard& b = out.back();
    const double prev = b.cumhaz.empty() ? 0.0 : b.cumhaz.back() / rescale;
    b.time.push_back(s.time[begin]);
    b.cumhaz.push_back((prev + increment[g]) * rescale);
  }
  return out;
}

}  // namespace internal

}  // namespace stream::stats
