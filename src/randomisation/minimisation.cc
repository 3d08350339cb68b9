#include "randomisation/minimisation.h"

#include <algorithm>
#include <cmath>

namespace stream::randomisation {

Status CheckMinimisationDesign(const MinimisationDesign& design) {
  if (design.arms.size() < 2)
    return Fail(ErrorCode::kInvalidArgument, "needs at least two arms", "arms");
  if (!design.arm_weights.empty() && design.arm_weights.size() != design.arms.size()) {
    return Fail(ErrorCode::kInvalidArgument, "one weight per arm", "ratio");
  }
  for (double w : design.arm_weights) {
    if (!(w > 0)) return Fail(ErrorCode::kInvalidArgument, "arm weights must be positive", "ratio");
  }
  if (design.factors.empty())
    return Fail(ErrorCode::kInvalidArgument, "needs at least one factor", "factors");
  if (!(design.p_best > 0.5 && design.p_best <= 1.0)) {
    return Fail(ErrorCode::kInvalidArgument, "probability must be in (0.5, 1]", "probability");
  }
  return Ok();
}

Result<MinimisationDecision> Minimise(const MinimisationDesign& design, const MarginCounts& counts,
                                      const std::map<std::string, std::string>& levels,
                                      RandomSource& random) {
  STREAM_RETURN_IF_ERROR(CheckMinimisationDesign(design));
  const size_t k = design.arms.size();
  auto weight = [&](size_t a) { return design.arm_weights.empty() ? 1.0 : design.arm_weights[a]; };
  MinimisationDecision decision;
  decision.scores.assign(k, 0.0);
  for (const auto& factor : design.factors) {
    auto level = levels.find(factor.name);
    if (level == levels.end()) {
      return Fail(ErrorCode::kInvalidArgument,
                  "no level for minimisation factor '" + factor.name + "'", factor.name);
    }
    std::vector<int> current(k, 0);
    if (auto f = counts.find(factor.name); f != counts.end()) {
      if (auto l = f->second.find(level->second); l != f->second.end()) current = l->second;
    }
    current.resize(k, 0);
    for (size_t candidate = 0; candidate < k; ++candidate) {
      std::vector<double> scaled(k);
      for (size_t a = 0; a < k; ++a)
        scaled[a] = (current[a] + (a == candidate ? 1 : 0)) / weight(a);
      double imbalance = 0;
      if (design.measure == ImbalanceMeasure::kRange) {
        const auto [lo, hi] = std::minmax_element(scaled.begin(), scaled.end());
        imbalance = *hi - *lo;
      } else {
        double mean = 0;
        for (double x : scaled) mean += x / static_cast<double>(k);
        for (double x : scaled) imbalance += (x - mean) * (x - mean) / static_cast<double>(k - 1);
      }
      decision.scores[candidate] += factor.weight * imbalance;
    }
  }
  const double least = *std::min_element(decision.scores.begin(), decision.scores.end());
  std::vector<size_t> best, others;
  for (size_t a = 0; a < k; ++a) {
    (std::fabs(decision.scores[a] - least) < 1e-12 ? best : others).push_back(a);
  }
  size_t chosen = best[random.Below(best.size())];
  if (!others.empty() && random.Uniform() >= design.p_best) {
    chosen = others[random.Below(others.size())];
    decision.chose_best = false;
  }
  decision.arm = design.arms[chosen];
  return decision;
}

}  // namespace stream::randomisation
