// Internals shared by the Cox model and cox.zph: sorted data and the likelihood kernel.
// Not part of the public API. Thread safety: a SortedCoxData is scratch space for one thread.
#pragma once

#include <Eigen/Dense>
#include <cstdint>
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
  std::vector<uint32_t> order;  // order[k] = original row of sorted row k
  std::vector<double> time;
  std::vector<int> status;
  std::vector<int> stratum;
  std::vector<double> x;  // n × p, row-major, centred by `means`
  Eigen::VectorXd means;
  std::vector<size_t> group_start;  // runs of equal (stratum, time), plus n at the end
  int nevent = 0;
  std::vector<double> eta, risk, work, exact_scratch;  // scratch
};

SortedCoxData SortCoxData(const CoxData& data);

// A key whose unsigned order is the numeric order of `v` (−0 and +0 equal; no NaN).
uint64_t OrderedKey(double v);

// Stable LSD radix sort (16-bit digits, constant digits skipped): reorders `order` by
// `keys[order[k]]`. O(n) per non-constant digit; no per-row allocation.
void RadixSort(const std::vector<uint64_t>& keys, std::vector<uint32_t>& order);

// Row order by (stratum, time); `stratum` may be null. Ties keep input order.
std::vector<uint32_t> SortOrder(const std::vector<double>& time, const std::vector<int>* stratum);

// Harrell's C on data already sorted by (stratum, time).
Concordance ConcordanceSorted(const std::vector<double>& time, const std::vector<int>& status,
                              const std::vector<int>& stratum, const std::vector<double>& risk);

// Log partial likelihood at `beta`; writes the score (p) and information (p × p, either
// storage order since it is symmetric).
double CoxLogLik(SortedCoxData& s, const double* beta, CoxTies ties, double* u, double* imat);

std::vector<BaselineHazard> BaselineCumHaz(SortedCoxData& s, const Eigen::VectorXd& beta,
                                           bool efron);

}  // namespace internal
}  // namespace stream::stats
