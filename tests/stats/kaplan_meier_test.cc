// Kaplan–Meier against R's survival::survfit (refdata/expected/*.km.json and the KM
// part of synth_n10000.all.json), plus hand-worked cases and input errors.
//
// Tolerance: relative 1e-11 (absolute 1e-12 for values near 0). Our arithmetic is
// survfit's (same product, sums and transforms) in IEEE double, so results differ from
// R only by rounding order: observed at most 1e-13 relative over every case. 1e-11
// leaves room for other compilers and CPUs while catching any formula error. Counts and
// quantile times are compared exactly (quantiles are data times or midpoints of them).
#include "stats/kaplan_meier.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
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

constexpr double kRel = 1e-11;
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

// --- Hand-worked cases -------------------------------------------------------------

KaplanMeierFit FitOrDie(const SurvivalData& data, const KaplanMeierOptions& options = {}) {
  auto fit = KaplanMeier(data, options);
  EXPECT_TRUE(fit.ok()) << fit.error().ToString();
  return fit.ok() ? *fit : KaplanMeierFit{};
}

// Two events tied at t=1 among 5, one event and one censoring tied at t=2, a last
// censoring at t=3: S = 3/5, 3/5·2/3; Greenwood Σ d/(n(n−d)) = 2/15 + 1/6.
TEST(KaplanMeierTest, TiedEventsAndCensorings) {
  const SurvivalData data{{1, 1, 2, 2, 3}, {1, 1, 1, 0, 0}, {}, {}, {}, {}};
  const KaplanMeierFit fit = FitOrDie(data);
  ASSERT_EQ(fit.curves.size(), 1u);
  const KaplanMeierCurve& c = fit.curves[0];
  EXPECT_EQ(c.label, "0");
  EXPECT_EQ(c.time, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(c.n_risk, (std::vector<int64_t>{5, 3, 1}));
  EXPECT_EQ(c.n_event, (std::vector<int64_t>{2, 1, 0}));
  EXPECT_EQ(c.n_censor, (std::vector<int64_t>{0, 1, 1}));
  EXPECT_TRUE(AllNear(c.surv, {0.6, 0.4, 0.4}, 1e-15));
  const double gw = 2.0 / 15 + 1.0 / 6;
  EXPECT_TRUE(AllNear(c.std_err, {std::sqrt(2.0 / 15), std::sqrt(gw), std::sqrt(gw)}, 1e-15));
  EXPECT_TRUE(AllNear(c.cumhaz, {0.4, 0.4 + 1.0 / 3, 0.4 + 1.0 / 3}, 1e-15));
  EXPECT_TRUE(Near(c.std_chaz[1], std::sqrt(2.0 / 25 + 1.0 / 9), 1e-15));
  EXPECT_EQ(c.median.quantile, 2);  // first time with S <= 0.5
  // log CI: exp(log S ± z·se), upper capped at 1.
  const double z = 1.959963984540054;
  EXPECT_TRUE(Near(c.lower[0], 0.6 * std::exp(-z * std::sqrt(2.0 / 15)), 1e-12));
  EXPECT_TRUE(Near(c.upper[0], std::min(1.0, 0.6 * std::exp(z * std::sqrt(2.0 / 15))), 1e-12));
}

// With nobody failing S stays 1: no quantile is reached, the log-log band is undefined
// (R's NA) and the restricted mean is tau with SE 0.
TEST(KaplanMeierTest, EveryoneCensored) {
  const SurvivalData data{{2, 3, 5}, {0, 0, 0}, {}, {}, {}, {}};
  KaplanMeierOptions options;
  options.conf_type = ConfType::kLogLog;
  options.rmean_tau = 4;
  options.at_times = {1, 4, 10};
  const KaplanMeierFit fit = FitOrDie(data, options);
  const KaplanMeierCurve& c = fit.curves[0];
  EXPECT_EQ(c.surv, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(c.std_err, (std::vector<double>{0, 0, 0}));
  EXPECT_TRUE(std::isnan(c.lower[0]) && std::isnan(c.upper[2]));
  EXPECT_TRUE(std::isnan(c.median.quantile));
  EXPECT_TRUE(std::isnan(c.median.lower));
  for (const auto& q : c.quantiles) EXPECT_TRUE(std::isnan(q.quantile));
  ASSERT_TRUE(c.rmean.has_value());
  EXPECT_EQ(c.rmean->rmean, 4);
  EXPECT_EQ(c.rmean->se, 0);
  ASSERT_TRUE(c.at_times.has_value());
  EXPECT_EQ(c.at_times->n_risk, (std::vector<int64_t>{3, 1, 0}));
  EXPECT_EQ(c.at_times->surv, (std::vector<double>{1, 1, 1}));
}

// An event and a censoring at time 0 count in the first risk set; the curve reaches 0,
// after which the Greenwood SE is +Inf and every band is undefined, as in survfit.
TEST(KaplanMeierTest, EventsAtTimeZeroAndCurveReachingZero) {
  const SurvivalData data{{0, 0, 1, 2}, {1, 0, 1, 1}, {}, {}, {}, {}};
  for (ConfType type : {ConfType::kLog, ConfType::kLogLog, ConfType::kPlain}) {
    KaplanMeierOptions options;
    options.conf_type = type;
    const KaplanMeierFit fit = FitOrDie(data, options);
    const KaplanMeierCurve& c = fit.curves[0];
    EXPECT_EQ(c.time, (std::vector<double>{0, 1, 2}));
    EXPECT_EQ(c.n_risk, (std::vector<int64_t>{4, 2, 1}));
    EXPECT_TRUE(AllNear(c.surv, {0.75, 0.375, 0}, 1e-15));
    EXPECT_TRUE(std::isinf(c.std_err[2]));
    EXPECT_TRUE(std::isnan(c.se_surv[2]));
    EXPECT_TRUE(std::isnan(c.lower[2]) && std::isnan(c.upper[2]));
    EXPECT_EQ(c.median.quantile, 1);
  }
}

// quantile.survfit's midpoint rule: when S equals 1 − p on a flat stretch the quantile
// is the middle of the stretch; at the end of the curve, the middle up to the last time.
TEST(KaplanMeierTest, QuantileMidpointRule) {
  const KaplanMeierFit fit = FitOrDie(SurvivalData{{1, 2, 3, 4}, {1, 1, 1, 1}, {}, {}, {}, {}});
  const auto& q = fit.curves[0].quantiles;
  ASSERT_EQ(q.size(), 3u);
  EXPECT_EQ(q[0].quantile, 1.5);
  EXPECT_EQ(q[1].quantile, 2.5);
  EXPECT_EQ(q[2].quantile, 3.5);
  const KaplanMeierFit flat_end = FitOrDie(SurvivalData{{1, 2}, {1, 0}, {}, {}, {}, {}});
  EXPECT_EQ(flat_end.curves[0].median.quantile, 1.5);
}

// Curves per group, in code order and with their labels; a group without events has a
// flat curve while the other is estimated as if alone.
TEST(KaplanMeierTest, GroupsAndAGroupWithoutEvents) {
  const SurvivalData data{
      {1, 2, 3, 4, 5}, {1, 1, 0, 0, 0}, {0, 0, 1, 1, 1}, {}, {"active", "control"}, {}};
  const KaplanMeierFit fit = FitOrDie(data);
  ASSERT_EQ(fit.curves.size(), 2u);
  EXPECT_EQ(fit.curves[0].label, "active");
  EXPECT_EQ(fit.curves[1].label, "control");
  EXPECT_TRUE(AllNear(fit.curves[0].surv, {0.5, 0}, 1e-15));
  EXPECT_EQ(fit.curves[1].surv, (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(fit.curves[1].n, 3);
}

// The restricted mean by hand: S = 1 on [0,1), 0.5 on [1,3) → ∫_0^3 S = 1 + 1 = 2;
// variance (∫_1^3 S)² · d/(n(n−d)) = 1² · 1/(2·1) = 0.5.
TEST(KaplanMeierTest, RestrictedMeanByHand) {
  KaplanMeierOptions options;
  options.rmean_tau = 3;
  const KaplanMeierFit fit = FitOrDie(SurvivalData{{1, 4}, {1, 0}, {}, {}, {}, {}}, options);
  ASSERT_TRUE(fit.curves[0].rmean.has_value());
  EXPECT_TRUE(Near(fit.curves[0].rmean->rmean, 2, 1e-15));
  EXPECT_TRUE(Near(fit.curves[0].rmean->se, std::sqrt(0.5), 1e-15));
}

// Input checks name the offending field.
TEST(KaplanMeierTest, RejectsBadInput) {
  const auto where = [](const SurvivalData& data, const KaplanMeierOptions& options = {}) {
    const auto fit = KaplanMeier(data, options);
    EXPECT_FALSE(fit.ok());
    if (fit.ok()) return std::string();
    EXPECT_EQ(fit.error().code, ErrorCode::kInvalidArgument);
    return fit.error().where;
  };
  EXPECT_EQ(where(SurvivalData{}), "time");
  EXPECT_EQ(where(SurvivalData{{1, -2}, {1, 0}, {}, {}, {}, {}}), "time");
  EXPECT_EQ(where(SurvivalData{{1, kNaN}, {1, 0}, {}, {}, {}, {}}), "time");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 2}, {}, {}, {}, {}}), "event");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1}, {}, {}, {}, {}}), "event");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, 2}, {}, {}, {}}), "group");  // group 1 empty
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, 0}, {}, {"a", "b"}, {}}), "group");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {0, -1}, {}, {}, {}}), "group");
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {}, {0, 1}, {}, {}}), "stratum");
  KaplanMeierOptions bad_level;
  bad_level.conf_level = 1.5;
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {}, {}, {}, {}}, bad_level), "conf_level");
  KaplanMeierOptions bad_times;
  bad_times.at_times = {5, 2};
  EXPECT_EQ(where(SurvivalData{{1, 2}, {1, 0}, {}, {}, {}, {}}, bad_times), "at_times");
}

// 10^6 subjects in two groups: the totals add up (timing is bench/run-stats's job).
TEST(KaplanMeierTest, MillionRows) {
  const size_t n = 1000000;
  const auto fit = KaplanMeier(testing::LargeSurvivalData(n, 20240601, false));
  ASSERT_TRUE(fit.ok());
  int64_t total = 0;
  for (const auto& c : fit->curves) {
    int64_t counted = 0;
    for (size_t i = 0; i < c.time.size(); ++i) counted += c.n_event[i] + c.n_censor[i];
    EXPECT_EQ(counted, c.n);
    total += c.n;
  }
  EXPECT_EQ(total, static_cast<int64_t>(n));
}

}  // namespace
}  // namespace stream::stats
