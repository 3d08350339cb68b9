// Log-rank / Fleming–Harrington tests against R's survival::survdiff
// (refdata/expected/*.logrank.json and the survdiff cases of synth_n10000.all.json),
// plus hand-worked cases and input errors.
//
// Tolerance: observed, expected, variance and chisq to relative 1e-9 (absolute 1e-9
// for entries that cancel to ~0, e.g. O−E sums of 1e4 terms). We accumulate the same
// terms as survdiff's C code in a different order (forwards in time, R backwards), so
// differences are rounding only (~1e-13); 1e-9 catches any weighting or risk-set error.
// p-values to absolute 1e-6 as the brief requires, and also relative 1e-7 so that tiny
// p-values (1e-40) are still checked.
#include "stats/log_rank.h"

#include <gtest/gtest.h>

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

constexpr double kRel = 1e-9;
constexpr double kAbs = 1e-9;

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

}  // namespace
}  // namespace stream::stats
