// Stratified permuted blocks: the concealed allocation list of one stratum.
//
// Method: permuted blocks with random block sizes (Matts & Lachin 1988). Each block holds
// every arm in proportion to the allocation ratio; its size is drawn at random from the
// allowed sizes (each a multiple of the ratio sum) and its order is a uniform random
// permutation (Fisher–Yates). Drawn from a keyed deterministic generator, the list can be
// regenerated exactly from its seed for an auditor. Pure and thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "core/random_source.h"
#include "core/result.h"

namespace stream::randomisation {

struct ArmRatio {
  std::string arm;
  int ratio = 1;  // relative allocation weight, e.g. 2 for 2:1
};

struct BlockDesign {
  std::vector<ArmRatio> arms;
  std::vector<int> block_sizes;  // each a positive multiple of the ratio sum
};

struct ListEntry {
  int position = 0;  // 1-based position in the stratum's sequence
  int block = 0;     // 1-based block number
  int block_size = 0;
  std::string arm;
};

// kInvalidArgument when the design is inconsistent: no arms, a ratio below 1, no block
// size, or a block size that is not a multiple of the ratio sum (naming it).
Status CheckBlockDesign(const BlockDesign& design);

// The first `length` entries of the list (whole blocks are drawn; the list is cut).
Result<std::vector<ListEntry>> GenerateBlockList(const BlockDesign& design, int length,
                                                 RandomSource& random);

}  // namespace stream::randomisation
