#include "stats/survival_data.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace stream::stats {
namespace {

// Checks one optional code column and fills its count and labels.
Status CheckCodes(const std::vector<int>& codes, size_t n, const std::vector<std::string>& labels,
                  const std::string& field, int& count, std::vector<std::string>& out_labels,
                  std::vector<int64_t>& rows) {
  if (!codes.empty() && codes.size() != n) {
    return Fail(ErrorCode::kInvalidArgument,
                field + " has " + std::to_string(codes.size()) + " entries but time has " +
                    std::to_string(n),
                field);
  }
  int max_code = 0;
  for (size_t i = 0; i < codes.size(); ++i) {
    if (codes[i] < 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  field + " code must be >= 0, got " + std::to_string(codes[i]) + " at row " +
                      std::to_string(i),
                  field);
    }
    max_code = std::max(max_code, codes[i]);
  }
  count = labels.empty() ? max_code + 1 : static_cast<int>(labels.size());
  if (max_code >= count) {
    return Fail(ErrorCode::kInvalidArgument,
                field + " code " + std::to_string(max_code) + " has no label (" +
                    std::to_string(labels.size()) + " labels)",
                field);
  }
  rows.assign(static_cast<size_t>(count), 0);
  if (codes.empty()) {
    rows[0] = static_cast<int64_t>(n);
  } else {
    for (int c : codes) ++rows[static_cast<size_t>(c)];
  }
  for (int c = 0; c < count; ++c) {
    if (rows[static_cast<size_t>(c)] == 0) {
      const std::string name = labels.empty() ? std::to_string(c) : labels[c];
      return Fail(ErrorCode::kInvalidArgument, field + " '" + name + "' has no rows", field);
    }
  }
  out_labels = labels;
  if (out_labels.empty()) {
    for (int c = 0; c < count; ++c) out_labels.push_back(std::to_string(c));
  }
  return Ok();
}

}  // namespace

Result<SurvivalLayout> ValidateSurvivalData(const SurvivalData& data) {
  const size_t n = data.time.size();
  if (n == 0) return Fail(ErrorCode::kInvalidArgument, "no subjects: time is empty", "time");
  if (data.event.size() != n) {
    return Fail(ErrorCode::kInvalidArgument,
                "event has " + std::to_string(data.event.size()) + " entries but time has " +
                    std::to_string(n),
                "event");
  }
  for (size_t i = 0; i < n; ++i) {
    const double t = data.time[i];
    if (!std::isfinite(t) || t < 0) {
      return Fail(
          ErrorCode::kInvalidArgument,
          "time must be finite and >= 0, got " + std::to_string(t) + " at row " + std::to_string(i),
          "time");
    }
    if (data.event[i] != 0 && data.event[i] != 1) {
      return Fail(ErrorCode::kInvalidArgument,
                  "event must be 0 (censored) or 1 (event), got " + std::to_string(data.event[i]) +
                      " at row " + std::to_string(i),
                  "event");
    }
  }
  SurvivalLayout layout;
  STREAM_RETURN_IF_ERROR(CheckCodes(data.group, n, data.group_labels, "group", layout.num_groups,
                                    layout.group_labels, layout.group_n));
  STREAM_RETURN_IF_ERROR(CheckCodes(data.stratum, n, data.stratum_labels, "stratum",
                                    layout.num_strata, layout.stratum_labels, layout.stratum_n));
  return layout;
}

}  // namespace stream::stats
