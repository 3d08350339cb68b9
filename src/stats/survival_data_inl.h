// Template implementation of survival_data.h; include survival_data.h instead.
#pragma once

#include <algorithm>

namespace stream::stats {

template <typename BlockOf>
void SortIntoBlocks(const SurvivalData& data, int num_blocks, BlockOf block_of,
                    std::vector<SurvivalRecord>& out, std::vector<size_t>& block_start) {
  const size_t n = data.time.size();
  block_start.assign(static_cast<size_t>(num_blocks) + 1, 0);
  for (size_t i = 0; i < n; ++i) ++block_start[static_cast<size_t>(block_of(i)) + 1];
  for (int b = 0; b < num_blocks; ++b) block_start[b + 1] += block_start[b];
  std::vector<size_t> next(block_start.begin(), block_start.end() - 1);
  out.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const int g = data.group.empty() ? 0 : data.group[i];
    out[next[static_cast<size_t>(block_of(i))]++] = SurvivalRecord{data.time[i], data.event[i], g};
  }
  const auto by_time = [](const SurvivalRecord& a, const SurvivalRecord& b) {
    return a.time < b.time;
  };
  for (int b = 0; b < num_blocks; ++b) {
    auto first = out.begin() + static_cast<std::ptrdiff_t>(block_start[b]);
    auto last = out.begin() + static_cast<std::ptrdiff_t>(block_start[b + 1]);
    if (!std::is_sorted(first, last, by_time)) std::sort(first, last, by_time);
  }
}

}  // namespace stream::stats
