#include "stats/competing_risks_input.h"

#include <cmath>
#include <string>

namespace stream::stats {

Status CheckCompetingRisksInput(const std::vector<double>& time, const std::vector<int>& cause,
                                const std::vector<int>& group, const std::vector<int>& stratum) {
  const size_t n = time.size();
  if (n == 0) return Fail(ErrorCode::kInvalidArgument, "no observations", "time");
  if (cause.size() != n) return Fail(ErrorCode::kInvalidArgument, "length differs", "cause");
  if (!group.empty() && group.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "length differs", "group");
  }
  if (!stratum.empty() && stratum.size() != n) {
    return Fail(ErrorCode::kInvalidArgument, "length differs", "stratum");
  }
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(time[i]) || time[i] < 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "row " + std::to_string(i + 1) + ": time must be finite and >= 0", "time");
    }
  }
  return Ok();
}

}  // namespace stream::stats
