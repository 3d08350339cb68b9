// Right-censored survival data as plain columns, shared by Kaplan–Meier and log-rank.
//
// Contract: `time` and `event` have one entry per subject; `time` is finite and >= 0,
// `event` is 0 (censored) or 1 (event). `group` and `stratum` are optional codes
// (empty = everyone in group 0 / stratum 0); when given they have one entry per
// subject and take values 0..k-1. The number of groups is `group_labels.size()` when
// labels are given, otherwise max(group)+1; every group must have at least one row
// (likewise for strata). Validation errors are ErrorCode::kInvalidArgument with `where`
// naming the offending field ("time", "event", "group", "stratum", "group_labels", ...).
// Times are compared exactly (R's `timefix` near-tie merging is not applied).
//
// Thread safety: plain values; const functions may be called concurrently.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace stream::stats {

struct SurvivalData {
  std::vector<double> time;
  std::vector<int> event;
  std::vector<int> group;                   // optional: group code per subject
  std::vector<int> stratum;                 // optional: stratum code per subject
  std::vector<std::string> group_labels;    // optional: label of each group code
  std::vector<std::string> stratum_labels;  // optional: label of each stratum code
};

// The checked shape of a SurvivalData: how many groups and strata, and their labels
// (generated as "0", "1", ... when none were supplied).
struct SurvivalLayout {
  int num_groups = 1;
  int num_strata = 1;
  std::vector<std::string> group_labels;
  std::vector<std::string> stratum_labels;
  std::vector<int64_t> group_n;    // rows per group
  std::vector<int64_t> stratum_n;  // rows per stratum
};

// Checks `data` against the contract above and returns its layout.
[[nodiscard]] Result<SurvivalLayout> ValidateSurvivalData(const SurvivalData& data);

// One subject, as the estimators sort them.
struct SurvivalRecord {
  double time;
  int event;
  int group;
};

// Copies the rows into `out`, ordered by `block_of(row)` (a counting sort, O(n)) and
// by time within each block (std::sort only where a block is not already sorted).
// `block_start` receives num_blocks+1 offsets into `out`. Precondition: every block
// code is in [0, num_blocks).
template <typename BlockOf>
void SortIntoBlocks(const SurvivalData& data, int num_blocks, BlockOf block_of,
                    std::vector<SurvivalRecord>& out, std::vector<size_t>& block_start);

}  // namespace stream::stats

#include "stats/survival_data_inl.h"
