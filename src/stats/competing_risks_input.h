// The input checks shared by the competing-risks estimators (cuminc, Aalen–Johansen).
#pragma once

#include <vector>

#include "core/result.h"

namespace stream::stats {

// kInvalidArgument naming the field: no observations, a `cause`, `group` or `stratum`
// vector of another length than `time` (group and stratum may be empty), or a time that
// is not finite or is negative (naming its row).
[[nodiscard]] Status CheckCompetingRisksInput(const std::vector<double>& time,
                                              const std::vector<int>& cause,
                                              const std::vector<int>& group,
                                              const std::vector<int>& stratum);

}  // namespace stream::stats
