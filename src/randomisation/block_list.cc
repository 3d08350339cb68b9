#include "randomisation/block_list.h"

#include <numeric>

namespace stream::randomisation {

Status CheckBlockDesign(const BlockDesign& design) {
  if (design.arms.size() < 2)
    return Fail(ErrorCode::kInvalidArgument, "needs at least two arms", "arms");
  int sum = 0;
  for (const auto& a : design.arms) {
    if (a.ratio < 1)
      return Fail(ErrorCode::kInvalidArgument, "ratio of arm '" + a.arm + "' must be at least 1",
                  "ratio");
    sum += a.ratio;
  }
  if (design.block_sizes.empty())
    return Fail(ErrorCode::kInvalidArgument, "needs at least one block size", "block_sizes");
  for (int size : design.block_sizes) {
    if (size <= 0 || size % sum != 0) {
      return Fail(ErrorCode::kInvalidArgument,
                  "block size " + std::to_string(size) + " is not a multiple of the ratio sum " +
                      std::to_string(sum),
                  "block_sizes");
    }
  }
  return Ok();
}

Result<std::vector<ListEntry>> GenerateBlockList(const BlockDesign& design, int length,
                                                 RandomSource& random) {
  STREAM_RETURN_IF_ERROR(CheckBlockDesign(design));
  const int sum = std::accumulate(design.arms.begin(), design.arms.end(), 0,
                                  [](int s, const ArmRatio& a) { return s + a.ratio; });
  std::vector<ListEntry> list;
  list.reserve(static_cast<size_t>(length));
  std::vector<std::string> block;
  for (int block_number = 1; static_cast<int>(list.size()) < length; ++block_number) {
    const int size = design.block_sizes[random.Below(design.block_sizes.size())];
    block.clear();
    for (const auto& a : design.arms) {
      for (int i = 0; i < a.ratio * (size / sum); ++i) block.push_back(a.arm);
    }
    for (size_t i = block.size() - 1; i > 0; --i)
      std::swap(block[i], block[random.Below(i + 1)]);  // Fisher–Yates
    for (const auto& arm : block) {
      if (static_cast<int>(list.size()) == length) break;
      list.push_back({static_cast<int>(list.size()) + 1, block_number, size, arm});
    }
  }
  return list;
}

}  // namespace stream::randomisation
