// Binomial intervals and tests against R's binom.test and prop.test
// (refdata/expected/binomial.ci.json), plus input errors.
//
// Tolerance: relative 1e-9 (absolute 1e-14 near 0) for limits and statistics: both R
// and Boost.Math invert the incomplete beta / normal to ~1e-15, so 1e-9 only absorbs
// the different root-finding paths. p-values: absolute 1e-6 (the brief) and relative
// 1e-9 as well.
#include "stats/binomial_interval.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>

#include "support/refdata.h"

namespace stream::stats {
namespace {

using ::stream::testing::JsonNumber;
using ::stream::testing::Near;

constexpr double kRel = 1e-9;
constexpr double kAbs = 1e-14;

TEST(BinomialIntervalRefdataTest, MatchesBinomTestAndPropTest) {
  const nlohmann::json doc = ::stream::testing::LoadExpected("binomial.ci.json");
  ASSERT_FALSE(doc["cases"].empty());
  for (const auto& c : doc["cases"]) {
    const int64_t x = c["x"];
    const int64_t n = c["n"];
    SCOPED_TRACE(std::to_string(x) + "/" + std::to_string(n));
    const auto& cp = c["clopper_pearson"];
    for (const auto& [level, key] : {std::pair{0.95, "conf95"}, std::pair{0.90, "conf90"}}) {
      const auto ci = ClopperPearsonInterval(x, n, level);
      ASSERT_TRUE(ci.ok());
      EXPECT_TRUE(Near(ci->estimate, JsonNumber(c["estimate"]), kRel));
      EXPECT_TRUE(Near(ci->lower, JsonNumber(cp[key][0]), kRel, kAbs)) << key;
      EXPECT_TRUE(Near(ci->upper, JsonNumber(cp[key][1]), kRel, kAbs)) << key;
    }
    const auto p_two = BinomialTestPValue(x, n, 0.5);
    ASSERT_TRUE(p_two.ok());
    EXPECT_TRUE(Near(*p_two, JsonNumber(cp["p_two_sided_vs_0.5"]), 0, 1e-6));
    EXPECT_TRUE(Near(*p_two, JsonNumber(cp["p_two_sided_vs_0.5"]), kRel));
    const auto p_greater = BinomialTestPValue(x, n, 0.2, Alternative::kGreater);
    ASSERT_TRUE(p_greater.ok());
    EXPECT_TRUE(Near(*p_greater, JsonNumber(cp["p_greater_vs_0.2"]), kRel, 1e-15));
    const auto one_sided = ClopperPearsonInterval(x, n, 0.95, Alternative::kGreater);
    ASSERT_TRUE(one_sided.ok());
    EXPECT_TRUE(
        Near(one_sided->lower, JsonNumber(cp["conf95_one_sided_greater_vs_0.2"][0]), kRel, kAbs));
    EXPECT_EQ(one_sided->upper, JsonNumber(cp["conf95_one_sided_greater_vs_0.2"][1]));

    const auto& w = c["wilson"];
    for (const auto& [level, key] : {std::pair{0.95, "conf95"}, std::pair{0.90, "conf90"}}) {
      const auto r = WilsonScore(x, n, 0.5, level, false);
      ASSERT_TRUE(r.ok());
      EXPECT_TRUE(Near(r->interval.lower, JsonNumber(w[key][0]), kRel, kAbs)) << key;
      EXPECT_TRUE(Near(r->interval.upper, JsonNumber(w[key][1]), kRel, kAbs)) << key;
      EXPECT_TRUE(Near(r->chisq, JsonNumber(w["chisq_vs_0.5"]), kRel));
      EXPECT_TRUE(Near(r->p, JsonNumber(w["p_vs_0.5"]), kRel, 1e-15));
    }
    const auto& wc = c["wilson_continuity_corrected"];
    const auto r = WilsonScore(x, n, 0.5, 0.95, true);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(Near(r->interval.lower, JsonNumber(wc["conf95"][0]), kRel, kAbs));
    EXPECT_TRUE(Near(r->interval.upper, JsonNumber(wc["conf95"][1]), kRel, kAbs));
    EXPECT_TRUE(Near(r->chisq, JsonNumber(wc["chisq_vs_0.5"]), kRel));
    EXPECT_TRUE(Near(r->p, JsonNumber(wc["p_vs_0.5"]), kRel, 1e-15));
  }
}

// binom.test(5, 10): x is the mode, so the two-sided p-value is exactly 1; with
// p0 = 0 or 1 the test is degenerate (1 when x agrees, else 0).
TEST(BinomialIntervalTest, DegenerateTwoSidedCases) {
  EXPECT_EQ(*BinomialTestPValue(5, 10, 0.5), 1.0);
  EXPECT_EQ(*BinomialTestPValue(0, 10, 0.0), 1.0);
  EXPECT_EQ(*BinomialTestPValue(1, 10, 0.0), 0.0);
  EXPECT_EQ(*BinomialTestPValue(10, 10, 1.0), 1.0);
  // All successes: the exact upper limit is 1, lower = (α/2)^(1/n).
  const auto ci = ClopperPearsonInterval(10, 10, 0.95);
  ASSERT_TRUE(ci.ok());
  EXPECT_EQ(ci->upper, 1.0);
  EXPECT_TRUE(Near(ci->lower, std::pow(0.025, 0.1), 1e-12));
  // prop.test's continuity correction shrinks to |x − n·p0| when that is below 0.5.
  const auto w = WilsonScore(5, 10, 0.5, 0.95, true);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->chisq, 0.0);
  EXPECT_EQ(w->p, 1.0);
}

TEST(BinomialIntervalTest, RejectsBadInput) {
  const auto bad_n = ClopperPearsonInterval(0, 0);
  ASSERT_FALSE(bad_n.ok());
  EXPECT_EQ(bad_n.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(bad_n.error().where, "n");
  const auto bad_x = WilsonScore(11, 10);
  ASSERT_FALSE(bad_x.ok());
  EXPECT_EQ(bad_x.error().where, "x");
  const auto negative_x = BinomialTestPValue(-1, 10, 0.5);
  ASSERT_FALSE(negative_x.ok());
  EXPECT_EQ(negative_x.error().where, "x");
  const auto bad_level = ClopperPearsonInterval(1, 10, 1.0);
  ASSERT_FALSE(bad_level.ok());
  EXPECT_EQ(bad_level.error().where, "conf_level");
  const auto bad_p0 = BinomialTestPValue(1, 10, 1.5);
  ASSERT_FALSE(bad_p0.ok());
  EXPECT_EQ(bad_p0.error().where, "p0");
  const auto bad_p0_score = WilsonScore(1, 10, 0.0);
  ASSERT_FALSE(bad_p0_score.ok());
  EXPECT_EQ(bad_p0_score.error().where, "p0");
}

}  // namespace
}  // namespace stream::stats
