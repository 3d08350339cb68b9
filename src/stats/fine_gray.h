// Fine–Gray proportional subdistribution-hazards regression, reproducing R's cmprsk::crr.
//
// Method: Fine & Gray (1999), JASA 94:496–509. Subjects failing from a competing cause stay
// in the risk set with weight G(t−)/G(T_i−), G the Kaplan–Meier estimate of the censoring
// distribution (all subjects, no censoring groups). The weighted partial likelihood is
// maximised by Newton–Raphson with cmprsk's backtracking line search (Armijo constant
// 1e-4, step halving, at most 20 halvings) from β = 0, stopping when
// max|U_j|·max(|β_j|, 1) < max(|loglik|, 1)·gtol. The variance is cmprsk's sandwich
// estimator I⁻¹ Σ(η_i + ψ_i)(η_i + ψ_i)' I⁻¹, which accounts for the estimated G.
// Same sums as cmprsk's Fortran (crrfsv, crrf, crrvv; fixed covariates only), computed as
// prefix/suffix sums over the distinct times: O(n·p²) per iteration and for the variance
// (cmprsk: O(n²) and O(n³)).
// Inputs: time ≥ 0 finite; `cause` integer codes with `censor_code` for censoring and
// `failcode` the cause of interest (all other codes are competing events); x is n × p.
// Errors (kInvalidArgument, naming the field): empty input, length mismatch, bad times,
// non-finite or constant covariates, no event of the cause of interest ("cause"),
// a singular information matrix ("x"), and no convergence ("x").
// Thread safety: pure function.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "core/result.h"
#include "stats/cox_model.h"

namespace stream::stats {

struct FineGrayOptions {
  int failcode = 1;
  int censor_code = 0;
  double gtol = 1e-6;  // crr's gtol
  int max_iter = 10;   // crr's maxiter
};

struct FineGrayResult {
  std::vector<std::string> names;
  Eigen::VectorXd coef, se, shr, shr_lower95, shr_upper95, z, p;
  Eigen::MatrixXd var;            // sandwich variance
  Eigen::MatrixXd information;    // crr's `inf`: minus the Hessian of the log pseudo-likelihood
  double pseudo_loglik = 0;       // at the estimate
  double pseudo_loglik_null = 0;  // at β = 0
  ChiSquareTest pseudo_lr_test;   // 2·(loglik − loglik_null), df = p
  Eigen::VectorXd score;          // at the estimate (≈ 0)
  int iter = 0;
  int n = 0;
};

[[nodiscard]] Result<FineGrayResult> FitFineGray(const std::vector<double>& time,
                                                 const std::vector<int>& cause,
                                                 const Eigen::MatrixXd& x,
                                                 const std::vector<std::string>& names = {},
                                                 const FineGrayOptions& options = {});

}  // namespace stream::stats
