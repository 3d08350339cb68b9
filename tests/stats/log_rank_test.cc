// Log-rank / Fleming–Harrington tests against R's survival::survdiff
// (refdata/expected/*.logrank.json and the survdiff cases of synth_n10000.all.json),
// plus hand-worked cases and input errors.
//
// Tolerance: observed, expected, variance and chisq to relative 1e-11 (absolute 1e-11
// for entries that cancel to ~0). We accumulate the same terms as survdiff's C code in
// a different order (forwards in time, R backwards), so differences are rounding only:
// observed at most 1e-13 relative over every case.
// p-values to absolute 1e-6 as the brief requires, and also relative 1e-7 so that tiny
// p-values (1e-40) are still checked.
#include "stats/log_rank.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "stats/survival_cases.h"
#include "support/refdata.h"

namespace stream::stats {
namespace {

using ::stream::testing::AllNear;
using ::stream::testing::JsonNumber;
using ::stream::testing::JsonNumbers;
using ::stream::testing::Near;

constexpr double kRel = 1e-11;
constexpr double kAbs = 1e-11;

void CheckLogRankFile(const std::string& file) {
  const nlohmann::json doc = ::stream::testing::LoadExpected(file);
  int checked = 0;
  for (const auto& c : doc["cases"]) {
    if (c["type"] != "survdiff") continue;
    SCOPED_TRACE(c["id"].get<std::string>());
    const auto call = ::stream::testing::ParseSurvivalCall(c["call"]);
    std::vector<std::string> groups = c["groups"];
    std::vector<std::string> strata;
    if (c.contains("strata")) strata = c["strata"].get<std::vector<std::string>>();
    const SurvivalData data = ::stream::testing::BuildSurvivalData(call, groups, strata);
    LogRankOptions options;
    options.rho = JsonNumber(c["rho"]);
    const auto result = LogRank(data, options);
    ASSERT_TRUE(result.ok()) << result.error().ToString();
    const LogRankResult& r = *result;
    EXPECT_EQ(r.groups, groups);
    EXPECT_TRUE(AllNear(std::vector<double>(r.n.begin(), r.n.end()), JsonNumbers(c["n"]), 0));
    EXPECT_TRUE(AllNear(r.observed, JsonNumbers(c["observed"]), kRel, kAbs));
    EXPECT_TRUE(AllNear(r.expected, JsonNumbers(c["expected"]), kRel, kAbs));
    EXPECT_TRUE(AllNear(r.o_minus_e_sq_over_e, JsonNumbers(c["o_minus_e_sq_over_e"]), kRel, kAbs));
    EXPECT_TRUE(AllNear(r.o_minus_e_sq_over_v, JsonNumbers(c["o_minus_e_sq_over_v"]), kRel, kAbs));
    ASSERT_EQ(r.var.size(), c["var"].size());
    for (size_t g = 0; g < r.var.size(); ++g) {
      EXPECT_TRUE(AllNear(r.var[g], JsonNumbers(c["var"][g]), kRel, kAbs)) << "var row " << g;
    }
    EXPECT_TRUE(Near(r.chisq, JsonNumber(c["chisq"]), kRel));
    EXPECT_EQ(r.df, c["df"].get<int>());
    EXPECT_TRUE(Near(r.p, JsonNumber(c["p"]), 0, 1e-6));
    EXPECT_TRUE(Near(r.p, JsonNumber(c["p"]), 1e-7));
    if (c.contains("strata")) {
      EXPECT_EQ(r.strata, strata);
      EXPECT_TRUE(AllNear(std::vector<double>(r.strata_n.begin(), r.strata_n.end()),
                          JsonNumbers(c["strata_n"]), 0));
      for (size_t g = 0; g < groups.size(); ++g) {
        EXPECT_TRUE(AllNear(r.observed_by_stratum[g], JsonNumbers(c["observed_by_stratum"][g]),
                            kRel, kAbs));
        EXPECT_TRUE(AllNear(r.expected_by_stratum[g], JsonNumbers(c["expected_by_stratum"][g]),
                            kRel, kAbs));
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 0) << "no survdiff case in " << file;
}

TEST(LogRankRefdataTest, Aml) { CheckLogRankFile("aml.logrank.json"); }
TEST(LogRankRefdataTest, Veteran) { CheckLogRankFile("veteran.logrank.json"); }
TEST(LogRankRefdataTest, Bmt) { CheckLogRankFile("bmt.logrank.json"); }
TEST(LogRankRefdataTest, Myeloid) { CheckLogRankFile("myeloid.logrank.json"); }
TEST(LogRankRefdataTest, Synthetic10000) { CheckLogRankFile("synth_n10000.all.json"); }

// --- Hand-worked cases -------------------------------------------------------------

LogRankResult RunOrDie(const SurvivalData& data, double rho = 0) {
  auto r = LogRank(data, LogRankOptions{rho});
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : LogRankResult{};
}

// A: events at 1, 2; B: events at 3, 4. Death times with both groups at risk:
// t=1 (n=4, n_A=2): E_A = 1/2, V = 1·3/3 · 2·2/16 = 1/4;
// t=2 (n=3, n_A=1): E_A = 1/3, V = 1·2/2 · 1·2/9 = 2/9; later A is not at risk.
// O_A − E_A = 7/6, V = 17/36, chisq = 49/17.
TEST(LogRankTest, TwoGroupsByHand) {
  const SurvivalData data{{1, 2, 3, 4}, {1, 1, 1, 1}, {0, 0, 1, 1}, {}, {"A", "B"}, {}};
  const LogRankResult r = RunOrDie(data);
  EXPECT_EQ(r.groups, (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(AllNear(r.observed, {2, 2}, 1e-15));
  EXPECT_TRUE(AllNear(r.expected, {5.0 / 6, 4 - 5.0 / 6}, 1e-15));
  EXPECT_TRUE(Near(r.var[0][0], 17.0 / 36, 1e-15));
  EXPECT_TRUE(Near(r.var[0][1], -17.0 / 36, 1e-15));
  EXPECT_TRUE(Near(r.chisq, 49.0 / 17, 1e-14));
  EXPECT_EQ(r.df, 1);
  // P(χ²₁ > x) = erfc(√(x/2)).
  EXPECT_TRUE(Near(r.p, std::erfc(std::sqrt(49.0 / 17 / 2)), 1e-14));
}

// Peto–Peto (rho = 1) weights by the pooled S(t−): 1, 3/4, 1/2, 1/4.
// O_A = 1 + 3/4, E_A = 1/2 + (3/4)/3, V = 1/4 + (3/4)²·2/9 = 3/8, chisq = 1/(3/8).
TEST(LogRankTest, PetoPetoByHand) {
  const SurvivalData data{{1, 2, 3, 4}, {1, 1, 1, 1}, {0, 0, 1, 1}, {}, {}, {}};
  const LogRankResult r = RunOrDie(data, 1.0);
  EXPECT_TRUE(Near(r.observed[0], 1.75, 1e-15));
  EXPECT_TRUE(Near(r.expected[0], 0.75, 1e-15));
  EXPECT_TRUE(Near(r.var[0][0], 0.375, 1e-15));
  EXPECT_TRUE(Near(r.chisq, 8.0 / 3, 1e-14));
}

// Tied deaths and a censoring at one time. t=1: n=6, n_A=3, d=2 (both A) →
// E_A = 1, V = 2·4/5 · 3·3/36 = 0.4; t=2: n=3, n_A=0, d=1 (B) → E_A = 0, V = 0.
TEST(LogRankTest, TiedDeathsAcrossGroups) {
  const SurvivalData data{{1, 1, 1, 2, 2, 2}, {1, 1, 0, 1, 0, 0}, {0, 0, 0, 1, 1, 1}, {}, {}, {}};
  const LogRankResult r = RunOrDie(data);
  EXPECT_TRUE(AllNear(r.observed, {2, 1}, 1e-15));
  EXPECT_TRUE(AllNear(r.expected, {1, 2}, 1e-15));
  EXPECT_TRUE(Near(r.var[0][0], 0.4, 1e-15));
  EXPECT_TRUE(Near(r.chisq, 1 / 0.4, 1e-14));
}

// A single group, or a second group whose members all leave before the first death
// (expected = 0): no test, chisq = 0, df = 0, p = 1, as survdiff reports.
TEST(LogRankTest, FewerThanTwoGroupsWithExpectedEvents) {
  const LogRankResult single = RunOrDie(SurvivalData{{1, 2, 3}, {1, 0, 1}, {}, {}, {}, {}});
  EXPECT_EQ(single.df, 0);
  EXPECT_EQ(single.chisq, 0);
  EXPECT_EQ(single.p, 1);
  EXPECT_TRUE(AllNear(single.observed, {2}, 0));
  const LogRankResult gone =
      RunOrDie(SurvivalData{{1, 2, 3, 0.5}, {1, 1, 0, 0}, {0, 0, 0, 1}, {}, {}, {}});
  EXPECT_EQ(gone.expected[1], 0);
  EXPECT_EQ(gone.df, 0);
  EXPECT_EQ(gone.p, 1);
  // With three groups, dropping the empty one leaves a 1-df test.
  const LogRankResult three = RunOrDie(
      SurvivalData{{1, 2, 3, 4, 0.5, 5}, {1, 1, 1, 1, 0, 1}, {0, 0, 2, 2, 1, 2}, {}, {}, {}});
  EXPECT_EQ(three.expected[1], 0);
  EXPECT_EQ(three.df, 1);
  EXPECT_GT(three.chisq, 0);
}

// A group with subjects at risk but no events still has expected > 0.
TEST(LogRankTest, GroupWithoutEvents) {
  const LogRankResult r =
      RunOrDie(SurvivalData{{1, 2, 3, 4}, {1, 1, 0, 0}, {0, 0, 1, 1}, {}, {}, {}});
  EXPECT_EQ(r.observed[1], 0);
  EXPECT_GT(r.expected[1], 0);
  EXPECT_EQ(r.df, 1);
}

// Stratification sums per-stratum statistics: O, E and V of the stratified test equal
// the sums of the unstratified tests run on each stratum alone.
TEST(LogRankTest, StratifiedEqualsSumOverStrata) {
  const SurvivalData all{{1, 2, 3, 4, 2, 3, 5, 6, 7},
                         {1, 1, 1, 0, 1, 1, 1, 1, 0},
                         {0, 1, 0, 1, 1, 0, 1, 0, 0},
                         {0, 0, 0, 0, 1, 1, 1, 1, 1},
                         {},
                         {"s0", "s1"}};
  const LogRankResult both = RunOrDie(all, 0.5);
  const LogRankResult s0 =
      RunOrDie(SurvivalData{{1, 2, 3, 4}, {1, 1, 1, 0}, {0, 1, 0, 1}, {}, {}, {}}, 0.5);
  const LogRankResult s1 =
      RunOrDie(SurvivalData{{2, 3, 5, 6, 7}, {1, 1, 1, 1, 0}, {1, 0, 1, 0, 0}, {}, {}, {}}, 0.5);
  for (size_t g = 0; g < 2; ++g) {
    EXPECT_TRUE(Near(both.observed[g], s0.observed[g] + s1.observed[g], 1e-14));
    EXPECT_TRUE(Near(both.expected[g], s0.expected[g] + s1.expected[g], 1e-14));
    EXPECT_TRUE(Near(both.var[g][g], s0.var[g][g] + s1.var[g][g], 1e-14));
    EXPECT_TRUE(Near(both.expected_by_stratum[g][1], s1.expected[g], 1e-14));
  }
  EXPECT_EQ(both.strata, (std::vector<std::string>{"s0", "s1"}));
  EXPECT_EQ(both.strata_n, (std::vector<int64_t>{4, 5}));
}

TEST(LogRankTest, RejectsBadInput) {
  const auto where = [](const SurvivalData& data, double rho = 0) {
    const auto r = LogRank(data, LogRankOptions{rho});
    EXPECT_FALSE(r.ok());
    if (r.ok()) return std::string();
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    return r.error().where;
  };
  EXPECT_EQ(where(SurvivalData{}), "time");
  EXPECT_EQ(where(SurvivalData{{-1, 2}, {1, 0}, {0, 1}, {}, {}, {}}), "time");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {-1, 0}, {0, 1}, {}, {}, {}}), "event");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, 1}, {}, {"a", "b", "c"}, {}}), "group");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, 1, 1}, {}, {}, {}}), "group");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, 1}, {0, 2}, {}, {}}), "stratum");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, 1}, {}, {}, {}}, -1), "rho");
}

// 10^6 subjects, two groups, two strata: Σ O = Σ E, which holds for any weights
// (timing is bench/run-stats's job).
TEST(LogRankTest, MillionRows) {
  const auto r = LogRank(testing::LargeSurvivalData(1000000, 12345, true));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(Near(r->observed[0] + r->observed[1], r->expected[0] + r->expected[1], 1e-10));
  EXPECT_EQ(r->df, 1);
}

}  // namespace
}  // namespace stream::stats
