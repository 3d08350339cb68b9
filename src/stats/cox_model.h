// Cox proportional-hazards regression, reproducing R's survival::coxph (survival 3.5).
//
// Method: maximum partial likelihood (Cox 1972) by Newton–Raphson with step-halving, as
// survival's coxfit6: start at β = 0, stop when |1 − loglik_old/loglik_new| ≤ eps after a
// full (non-halved) step, at most max_iter iterations. Tied event times use Efron's
// approximation (Efron 1977), Breslow's (Breslow 1974) or the exact discrete partial
// likelihood (Kalbfleisch & Prentice 1973). Strata have separate baseline
// hazards. Covariates whose values all lie in {−1, 0, 1} are not centred (R's
// `nocenter`), so `means` is 0 for them, as in R.
// The fit also gives Harrell's concordance with survival::concordance's infinitesimal
// jackknife standard error (computed within strata), and the baseline cumulative hazard at
// covariates = 0 per stratum (survival::basehaz(fit, centered = FALSE)).
//
// Errors (kInvalidArgument, `where` names the field): empty input, size mismatches,
// negative/NaN/infinite times ("time"), status not 0/1 ("status"), non-finite or constant
// covariates ("x" with the column name), no events, collinear covariates, no convergence
// within max_iter, and perfect separation (a coefficient running to ±infinity, detected
// with R's rule |U·V| > eps and > sqrt(eps)·|β|).
// Cost: one sort by (stratum, time), then O(n·p²) per Newton iteration with risk-set sums
// accumulated from the largest time down; no allocation inside the loops.
// Thread safety: pure function of its arguments; safe to call concurrently.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "core/result.h"
#include "stats/concordance.h"

namespace stream::stats {

// kExact: the exact (discrete, conditional-logistic) partial likelihood, R's ties="exact";
// O(n_risk·d) per tied time, meant for small data sets. Its baseline hazard is
// Breslow's, as survfit.coxph uses for it.
enum class CoxTies { kEfron, kBreslow, kExact };

struct CoxOptions {
  CoxTies ties = CoxTies::kEfron;
  double eps = 1e-9;            // relative change in the log partial likelihood (coxph.control)
  int max_iter = 20;            // Newton iterations (coxph.control iter.max)
  bool concordance = true;      // compute Harrell's C and its standard error
  bool baseline_hazard = true;  // compute the baseline cumulative hazard per stratum
};

// Right-censored data for a Cox model. All vectors have n entries.
struct CoxData {
  std::vector<double> time;        // ≥ 0, finite
  std::vector<int> status;         // 1 event, 0 censored
  Eigen::MatrixXd x;               // n × p covariates (p ≥ 1), e.g. from DesignBuilder
  std::vector<int> stratum;        // stratum ids (any integers); empty = one stratum
  std::vector<std::string> names;  // p column names; empty = "x1", "x2", ...
};

struct ChiSquareTest {
  double stat = 0;
  int df = 0;
  double p = 1;
};

// Breslow/Efron baseline cumulative hazard at covariates 0, at every distinct time of
// the stratum (censoring times included).
struct BaselineHazard {
  int stratum = 0;  // the caller's stratum id (0 when unstratified)
  std::vector<double> time;
  std::vector<double> cumhaz;
};

struct CoxResult {
  CoxTies ties = CoxTies::kEfron;
  std::vector<std::string> names;
  Eigen::VectorXd coef, se, hr, hr_lower95, hr_upper95, z, p;
  Eigen::MatrixXd vcov;  // inverse information at the estimate
  Eigen::VectorXd means;
  double loglik_null = 0, loglik_final = 0;
  ChiSquareTest lr_test, wald_test, score_test;
  int iter = 0;
  int n = 0;
  int nevent = 0;
  Concordance concordance;
  std::vector<BaselineHazard> baseline;  // one per stratum, in increasing stratum id
};

// Fits the model. See the file comment for the method, errors and cost.
[[nodiscard]] Result<CoxResult> FitCox(const CoxData& data, const CoxOptions& options = {});

namespace internal {
// Validates CoxData; shared with cox.zph. `where` names the faulty field.
[[nodiscard]] Status ValidateCoxData(const CoxData& data);
}  // namespace internal

}  // namespace stream::stats
