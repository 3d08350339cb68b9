// Pocock–Simon minimisation (Pocock & Simon 1975; domain.md "Randomisation").
//
// For each candidate arm, the patient is counted as if assigned to it; per factor, the
// counts of the patient's level across arms, each divided by the arm's allocation weight,
// give an imbalance (range or variance); the weighted sum over factors is the arm's score.
// The arm with the least score is chosen with probability `p_best`, the others share
// 1 − p_best equally; ties among the least are broken at random. Pure.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/random_source.h"
#include "core/result.h"

namespace stream::randomisation {

enum class ImbalanceMeasure { kRange, kVariance };

struct MinimisationFactor {
  std::string name;
  double weight = 1.0;
};

struct MinimisationDesign {
  std::vector<std::string> arms;
  std::vector<double> arm_weights;  // allocation ratio per arm; empty = equal
  std::vector<MinimisationFactor> factors;
  double p_best = 0.8;  // 0.5 < p_best <= 1
  ImbalanceMeasure measure = ImbalanceMeasure::kRange;
};

// counts[factor][level][arm index] = patients already allocated with that level.
using MarginCounts = std::map<std::string, std::map<std::string, std::vector<int>>>;

struct MinimisationDecision {
  std::string arm;
  std::vector<double> scores;  // per arm, for the audit trail
  bool chose_best = true;      // false when the (1 − p_best) draw picked another arm
};

Status CheckMinimisationDesign(const MinimisationDesign& design);

// `levels` gives the patient's level of every factor. kInvalidArgument when a factor has
// no level for the patient.
Result<MinimisationDecision> Minimise(const MinimisationDesign& design, const MarginCounts& counts,
                                      const std::map<std::string, std::string>& levels,
                                      RandomSource& random);

}  // namespace stream::randomisation
