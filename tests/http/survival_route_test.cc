// GET /protocols/{protocol}/survival: the route's curves are exactly those of the stats
// layer on the same dataset (Kaplan–Meier and log-rank for OS; Aalen–Johansen with the
// estimate cmprsk::cuminc gives for CIR), with numbers at risk, pooled arms for blinded
// roles, site isolation and 422 for endpoints that are not times to event.
#include <gtest/gtest.h>

#include <algorithm>

#include "http/dashboard_fixture.h"
#include "service/endpoint_dataset.h"
#include "stats/cumulative_incidence.h"
#include "stats/kaplan_meier.h"
#include "stats/log_rank.h"

namespace stream::testing {
namespace {

class SurvivalRouteTest : public DashboardFixture {
 protected:
  // The dataset as the CLI derives it, as stats columns with arms in protocol order.
  struct Columns {
    stats::SurvivalData data;
    std::vector<int> cause;
  };
  Columns Derive(service::EndpointKind kind) {
    auto ds = service::DeriveEndpointDataset(registry_->store(), RegistryFixture::Central(),
                                             "dash-trial", kind, {});
    EXPECT_TRUE(ds.ok()) << ds.error().ToString();
    Columns c;
    for (const std::string arm : {"std", "exp"}) {
      if (std::none_of(ds->rows.begin(), ds->rows.end(), [&](auto& r) { return r.arm == arm; }))
        continue;
      c.data.group_labels.push_back(arm);
      for (const auto& r : ds->rows) {
        if (r.arm != arm) continue;
        c.data.time.push_back(r.time);
        c.data.event.push_back(r.event == 1);
        c.cause.push_back(r.event);
        c.data.group.push_back(static_cast<int>(c.data.group_labels.size()) - 1);
      }
    }
    return c;
  }
  static const nlohmann::json& ArmOf(const nlohmann::json& body, const std::string& arm) {
    for (const auto& a : body["arms"])
      if (a["arm"] == arm) return a;
    throw std::runtime_error("no arm " + arm);
  }
  static void ExpectNumber(const nlohmann::json& j, double expected, const std::string& what) {
    if (std::isnan(expected)) {
      EXPECT_TRUE(j.is_null()) << what << ": " << j;
    } else {
      ASSERT_TRUE(j.is_number()) << what << ": " << j;
      EXPECT_DOUBLE_EQ(j.get<double>(), expected) << what;
    }
  }
};

TEST_F(SurvivalRouteTest, OverallSurvivalEqualsADirectKaplanMeierAndLogRank) {
  auto r = WithToken(admin_, "GET", "/api/v1/protocols/dash-trial/survival");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["endpoint"], "os") << "the primary endpoint is the default";
  EXPECT_EQ(r.json["definition"], "os");
  EXPECT_EQ(r.json["kind"], "survival");
  EXPECT_EQ(r.json["unit"], "days");
  EXPECT_EQ(r.json["conf_level"], 0.95);
  EXPECT_EQ(r.json["conf_type"], "log");
  EXPECT_EQ(r.json["not_applicable"], 1) << "DA-4 has no information after enrolment";
  ASSERT_EQ(r.json["arms"].size(), 2u);

  const Columns c = Derive(service::EndpointKind::kOs);
  auto km = stats::KaplanMeier(c.data);
  ASSERT_TRUE(km.ok()) << km.error().ToString();
  ASSERT_EQ(km->curves.size(), c.data.group_labels.size());
  for (size_t g = 0; g < km->curves.size(); ++g) {
    const auto& k = km->curves[g];
    const auto& arm = ArmOf(r.json, c.data.group_labels[g]);
    EXPECT_EQ(arm["n"], k.n);
    ExpectNumber(arm["median"], k.median.quantile, "median");
    ExpectNumber(arm["median_lower"], k.median.lower, "median_lower");
    ExpectNumber(arm["median_upper"], k.median.upper, "median_upper");
    const auto& curve = arm["curve"];
    ASSERT_EQ(curve.size(), k.time.size() + 1);
    EXPECT_EQ(curve[0], nlohmann::json({{"time", 0},
                                        {"estimate", 1},
                                        {"lower", 1},
                                        {"upper", 1},
                                        {"at_risk", k.n},
                                        {"events", 0},
                                        {"censored", 0}}));
    for (size_t i = 0; i < k.time.size(); ++i) {
      const auto& p = curve[i + 1];
      EXPECT_DOUBLE_EQ(p["time"].get<double>(), k.time[i]);
      ExpectNumber(p["estimate"], k.surv[i], "surv");
      ExpectNumber(p["lower"], k.lower[i], "lower");
      ExpectNumber(p["upper"], k.upper[i], "upper");
      EXPECT_EQ(p["at_risk"], k.n_risk[i]);
      EXPECT_EQ(p["events"], k.n_event[i]);
      EXPECT_EQ(p["censored"], k.n_censor[i]);
    }
  }
  if (km->curves.size() == 2) {
    auto lr = stats::LogRank(c.data);
    ASSERT_TRUE(lr.ok());
    EXPECT_DOUBLE_EQ(r.json["log_rank"]["chisq"].get<double>(), lr->chisq);
    EXPECT_EQ(r.json["log_rank"]["df"], lr->df);
    EXPECT_DOUBLE_EQ(r.json["log_rank"]["p"].get<double>(), lr->p);
  }

  // Numbers at risk: every 90 days up to the longest follow-up (2024-03-01 → 2025-05-01).
  const auto& at_risk = r.json["at_risk"];
  EXPECT_EQ(at_risk["times"][1], 90);
  const double longest = *std::max_element(c.data.time.begin(), c.data.time.end());
  EXPECT_GE(at_risk["times"].back().get<double>(), longest);
  ASSERT_EQ(at_risk["arms"].size(), 2u);
  for (const auto& arm : at_risk["arms"]) {
    const auto& counts = arm["counts"];
    ASSERT_EQ(counts.size(), at_risk["times"].size());
    EXPECT_EQ(counts[0], ArmOf(r.json, arm["arm"])["n"]);
    for (size_t i = 0; i < counts.size(); ++i) {
      int64_t n = 0;
      for (size_t row = 0; row < c.data.time.size(); ++row) {
        n += c.data.group_labels[static_cast<size_t>(c.data.group[row])] == arm["arm"] &&
             c.data.time[row] >= at_risk["times"][i].get<double>();
      }
      EXPECT_EQ(counts[i], n) << arm["arm"] << " at " << at_risk["times"][i];
    }
  }
}

TEST_F(SurvivalRouteTest, RelapseIncidenceIsTheCumulativeIncidenceTheCliReports) {
  auto r = WithToken(admin_, "GET", "/api/v1/protocols/dash-trial/survival?endpoint=cir");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["kind"], "cumulative_incidence");
  EXPECT_EQ(r.json["not_applicable"], 6) << "four patients reached remission";
  const Columns c = Derive(service::EndpointKind::kCir);
  auto cuminc = stats::CumulativeIncidence(c.data.time, c.cause, c.data.group, {});
  ASSERT_TRUE(cuminc.ok()) << cuminc.error().ToString();
  for (size_t k = 0; k < cuminc->curves.size(); ++k) {
    const auto& curve = cuminc->curves[k];
    if (curve.cause != 1) continue;
    const auto& arm = ArmOf(r.json, c.data.group_labels[static_cast<size_t>(curve.group)]);
    EXPECT_TRUE(arm["median"].is_null());
    EXPECT_EQ(arm["curve"][0]["estimate"], 0);
    std::vector<double> times;
    for (size_t i = 1; i < arm["curve"].size(); ++i) times.push_back(arm["curve"][i]["time"]);
    const auto at = stats::Timepoints(*cuminc, times);
    for (size_t i = 0; i < times.size(); ++i) {
      EXPECT_NEAR(arm["curve"][i + 1]["estimate"].get<double>(), at.est[k][i], 1e-12)
          << "at " << times[i];
    }
  }
  int64_t relapses = 0, competing = 0;
  for (const auto& arm : r.json["arms"]) {
    relapses += arm["events"].get<int64_t>();
    competing += arm["competing"].get<int64_t>();
  }
  EXPECT_EQ(relapses, 1) << "DA-0";
  EXPECT_EQ(competing, 1) << "DA-3 died in remission";
  if (c.data.group_labels.size() == 2) {
    ASSERT_FALSE(r.json["log_rank"].is_null());
    EXPECT_EQ(r.json["test"], "gray");
  }
}

TEST_F(SurvivalRouteTest, BlindedSiteAndBadEndpoints) {
  const std::string dm = TokenFor("data_manager");
  auto blinded = WithToken(dm, "GET", "/api/v1/protocols/dash-blind/survival");
  ASSERT_EQ(blinded.status, 200) << blinded.body;
  ASSERT_EQ(blinded.json["arms"].size(), 1u);
  EXPECT_EQ(blinded.json["arms"][0]["arm"], "(blinded)");
  EXPECT_EQ(blinded.json["arms"][0]["n"], 3);
  EXPECT_TRUE(blinded.json["log_rank"].is_null());
  EXPECT_EQ(blinded.json["at_risk"]["arms"].size(), 1u);

  const std::string site_a = TokenFor("investigator", RegistryFixture::kSiteA);
  auto mine = WithToken(site_a, "GET", "/api/v1/protocols/dash-trial/survival");
  ASSERT_EQ(mine.status, 200) << mine.body;
  int64_t n = 0;
  for (const auto& arm : mine.json["arms"]) n += arm["n"].get<int64_t>();
  EXPECT_EQ(n, 5) << "site A's six patients but DA-4";

  for (const std::string bad : {"crc_rate", "pfs"}) {
    auto r = WithToken(admin_, "GET", "/api/v1/protocols/dash-trial/survival?endpoint=" + bad);
    EXPECT_EQ(r.status, 422) << r.body;
    EXPECT_EQ(r.json["error"]["code"], "invalid_argument");
    EXPECT_EQ(r.json["error"]["where"], "endpoint");
  }
  auto rates_only = WithToken(admin_, "GET", "/api/v1/protocols/rr-aml-platform/survival");
  EXPECT_EQ(rates_only.status, 200) << "the platform's first time-to-event endpoint is os";
  EXPECT_EQ(rates_only.json["endpoint"], "os");
  EXPECT_EQ(WithToken(TokenFor("data_entry", RegistryFixture::kSiteA), "GET",
                      "/api/v1/protocols/dash-trial/survival")
                .status,
            403);
}

}  // namespace
}  // namespace stream::testing
