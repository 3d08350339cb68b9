// Internals shared by the Cox model and cox.zph: sorted data and the likelihood kernel.
// Not part of the public API. Thread safety: a SortedCoxData is scratch space for one thread.
#pragma once

#include <Eigen/Dense>
#include <vector>

#include "stats/cox_model.h"

namespace stream::stats {

// Upper-tail chi-square probability (Boost.Math); 1 for stat ≤ 0.
double ChiSquareUpperP(double stat, int df);
ChiSquareTest MakeChiSquareTest(double stat, int df);

namespace internal {

// Data sorted by (stratum, time, status), covariates centred and stored row-major.
struct SortedCoxData {
  size_t n = 0, p = 0;
  std::vector<size_t> order;  // order[k] = original row of sorted row k
  std::vector<double> time;
  std::vector<int> status;
  std::vector<int> stratum;
  std::vector<double> x;  // n × p, row-major, centred by `means`
  Eigen::VectorXd means;
  std::vector<size_t> group_start;  // runs of equal (stratum, time), plus n at the end
  int nevent = 0;
  std::vector<double> eta, risk, work;  // scratch
};

SortedCoxData SortCoxData(const CoxData& data);

// Log partial likelihood at `beta`; writes the score (p) and information (p × p, either
// storage order since it is symmetric).
double CoxLogLik(SortedCoxData& s, const double* beta, bool efron, double* u, double* imat);

std::vector<BaselineHazard> BaselineCumHaz(SortedCoxData& s, const Eigen::VectorXd& beta,
                                           bool efron);

}  // namespace internal
}  // namespace stream::stats
