// Gray's (1988) K-sample test for equality of cumulative incidence functions of one cause,
// reproducing cmprsk's Fortran routine `crstm` (score and variance summed over strata).
//
// Inputs (n entries each): times, a per-observation code (0 censored, 1 the cause of
// interest, 2 another cause), group indices 0..ngroup−1, stratum indices 0..nstrata−1.
// The statistic s'V⁻¹s is χ² with ngroup−1 df; when V is singular the statistic is −1 and
// p = 1, as cuminc reports it. Preconditions: ngroup ≥ 2, indices in range (not checked
// beyond assertions of size; CumulativeIncidence validates its inputs).
// Thread safety: pure function.
#pragma once

#include <vector>

namespace stream::stats {

struct GrayScore {
  std::vector<double> score;                  // ngroup − 1
  std::vector<std::vector<double>> variance;  // (ngroup − 1)²
  double stat = -1;
  double p = 1;
  int df = 0;
};

GrayScore GrayTest(const std::vector<double>& time, const std::vector<int>& code,
                   const std::vector<int>& group, const std::vector<int>& stratum, int ngroup,
                   int nstrata, double rho);

}  // namespace stream::stats
