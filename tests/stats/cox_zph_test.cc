// cox.zph (survival ≥ 3.0 score test) against R's output in refdata: every Cox case,
// transforms km, identity and rank, every term and GLOBAL.
//
// Tolerance: χ² to relative 1e-9 and p to relative 1e-9 or absolute 1e-11. The test is
// evaluated at the fitted β̂, which matches R to ~1e-12; the statistic's sensitivity to β̂
// is of order one and the 2p × 2p solve adds a few ulps: measured < 1e-11.
#include "stats/cox_zph.h"

#include <gtest/gtest.h>

#include "stats/cox_model.h"
#include "stats/regression_support.h"
#include "support/refdata.h"

namespace stream::stats {
namespace {

using testing::AllNear;
using testing::JsonNumbers;

void CheckFile(const std::string& file) {
  const auto expected = testing::LoadExpected(file);
  int checked = 0;
  for (const auto& e : expected["cases"]) {
    if (e["type"] != "coxph" || !e.contains("cox_zph")) continue;
    SCOPED_TRACE(e["id"].get<std::string>());
    testing::CoxCase c = testing::MakeCoxCase(e["call"]);
    auto fit = FitCox(c.data, c.options);
    ASSERT_TRUE(fit.ok()) << fit.error().ToString();
    for (const auto& z : e["cox_zph"]) {
      const std::string name = z["transform"];
      SCOPED_TRACE(name);
      const ZphTransform transform = name == "km"         ? ZphTransform::kKm
                                     : name == "identity" ? ZphTransform::kIdentity
                                                          : ZphTransform::kRank;
      auto r = CoxZph(c.data, *fit, c.design.column_term, c.design.term_names, transform);
      ASSERT_TRUE(r.ok()) << r.error().ToString();
      EXPECT_EQ(r->terms, z["terms"].get<std::vector<std::string>>());
      EXPECT_TRUE(AllNear(r->chisq, JsonNumbers(z["chisq"]), 1e-9)) << "chisq";
      EXPECT_EQ(r->df, z["df"].get<std::vector<int>>());
      EXPECT_TRUE(AllNear(r->p, JsonNumbers(z["p"]), 1e-9, 1e-11)) << "p";
      ++checked;
    }
  }
  EXPECT_GT(checked, 0);
}

TEST(CoxZphRefdata, Veteran) { CheckFile("veteran.cox.json"); }
TEST(CoxZphRefdata, Bmt) { CheckFile("bmt.cox.json"); }
TEST(CoxZphRefdata, Myeloid) { CheckFile("myeloid.cox.json"); }
TEST(CoxZphRefdata, SynthN10000) { CheckFile("synth_n10000.all.json"); }
TEST(CoxZphRefdata, Aml) { CheckFile("aml.cox.json"); }

TEST(CoxZph, RejectsMismatchedTerms) {
  CoxData d;
  d.time = {1, 2, 3, 4};
  d.status = {1, 1, 0, 1};
  d.x = Eigen::MatrixXd(4, 1);
  d.x << 1, 0, 1, 0;
  auto fit = FitCox(d);
  ASSERT_TRUE(fit.ok());
  EXPECT_EQ(CoxZph(d, *fit, {}, {"x"}).error().where, "column_term");
  EXPECT_EQ(CoxZph(d, *fit, {1}, {"x"}).error().where, "term_names");
}

}  // namespace
}  // namespace stream::stats
