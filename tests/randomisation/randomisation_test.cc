// Permuted blocks and Pocock–Simon minimisation: balance, reproducibility, design errors.
#include <gtest/gtest.h>

#include <map>

#include "randomisation/block_list.h"
#include "randomisation/minimisation.h"

namespace stream::randomisation {
namespace {

TEST(BlockListTest, EveryCompleteBlockIsBalancedInTheRatio) {
  SeededRandom random(2024);
  BlockDesign design{{{"DAV", 2}, {"HAV", 1}}, {3, 6, 9}};
  auto list = GenerateBlockList(design, 3000, random);
  ASSERT_TRUE(list.ok());
  std::map<int, std::map<std::string, int>> blocks;
  std::map<int, int> sizes;
  for (const auto& e : *list) {
    ++blocks[e.block][e.arm];
    sizes[e.block] = e.block_size;
  }
  std::map<int, int> size_seen;
  for (const auto& [block, arms] : blocks) {
    const int size = sizes[block];
    ++size_seen[size];
    if (block == list->back().block) continue;  // the last block may be cut
    EXPECT_EQ(arms.at("DAV"), 2 * size / 3) << "block " << block;
    EXPECT_EQ(arms.at("HAV"), size / 3) << "block " << block;
  }
  EXPECT_EQ(size_seen.size(), 3u) << "every allowed block size is drawn";
  EXPECT_EQ(list->front().position, 1);
  EXPECT_EQ(list->back().position, 3000);
}

TEST(BlockListTest, TheSameSeedRegeneratesTheSameList) {
  BlockDesign design{{{"A", 1}, {"B", 1}}, {4, 6, 8}};
  SeededRandom r1(7), r2(7), r3(8);
  auto a = GenerateBlockList(design, 200, r1);
  auto b = GenerateBlockList(design, 200, r2);
  auto c = GenerateBlockList(design, 200, r3);
  std::string sa, sb, sc;
  for (size_t i = 0; i < 200; ++i) {
    sa += (*a)[i].arm;
    sb += (*b)[i].arm;
    sc += (*c)[i].arm;
  }
  EXPECT_EQ(sa, sb);
  EXPECT_NE(sa, sc);
}

TEST(BlockListTest, RejectsBlockSizesThatAreNotMultiplesOfTheRatioSum) {
  SeededRandom random(1);
  auto bad = GenerateBlockList({{{"A", 1}, {"B", 2}}, {4}}, 10, random);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().where, "block_sizes");
  EXPECT_NE(bad.error().message.find("not a multiple of the ratio sum 3"), std::string::npos);
  EXPECT_FALSE(GenerateBlockList({{{"A", 1}}, {2}}, 10, random).ok());
}

TEST(MinimisationTest, WithCertaintyPicksTheArmThatLeastImbalances) {
  SeededRandom random(3);
  MinimisationDesign design{{"A", "B"}, {}, {{"site", 1.0}, {"risk", 1.0}}, 1.0};
  MarginCounts counts;
  counts["site"]["IT"] = {3, 1};
  counts["risk"]["high"] = {2, 2};
  auto d = Minimise(design, counts, {{"site", "IT"}, {"risk", "high"}}, random);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->arm, "B");
  EXPECT_DOUBLE_EQ(d->scores[0], 3.0 + 1.0);  // A: site 4 vs 1, risk 3 vs 2
  EXPECT_DOUBLE_EQ(d->scores[1], 1.0 + 1.0);  // B: site 3 vs 2, risk 2 vs 3
}

TEST(MinimisationTest, KeepsEveryMarginNearlyBalancedOverManyPatients) {
  SeededRandom random(11);
  MinimisationDesign design{{"A", "B"}, {}, {{"site", 1.0}, {"age", 1.0}, {"status", 1.0}}, 0.8};
  MarginCounts counts;
  const char* sites[] = {"IT", "DE", "FR", "NL"};
  const char* ages[] = {"<60", ">=60"};
  const char* statuses[] = {"refractory", "relapse"};
  std::map<std::string, int> totals;
  for (int i = 0; i < 2000; ++i) {
    std::map<std::string, std::string> levels = {{"site", sites[random.Below(4)]},
                                                 {"age", ages[random.Below(2)]},
                                                 {"status", statuses[random.Below(2)]}};
    auto d = Minimise(design, counts, levels, random);
    ASSERT_TRUE(d.ok());
    const size_t arm = d->arm == "A" ? 0 : 1;
    for (const auto& [factor, level] : levels) {
      auto& c = counts[factor][level];
      c.resize(2, 0);
      ++c[arm];
    }
    ++totals[d->arm];
  }
  for (const auto& [factor, levels] : counts) {
    for (const auto& [level, c] : levels) {
      EXPECT_LE(std::abs(c[0] - c[1]), 6) << factor << "=" << level;
    }
  }
  EXPECT_LE(std::abs(totals["A"] - totals["B"]), 6);
}

TEST(MinimisationTest, NamesAFactorWithoutALevel) {
  SeededRandom random(1);
  MinimisationDesign design{{"A", "B"}, {}, {{"site", 1.0}}, 0.8};
  auto d = Minimise(design, {}, {}, random);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().where, "site");
}

}  // namespace
}  // namespace stream::randomisation
