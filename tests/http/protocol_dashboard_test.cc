// GET /protocols/{protocol}/dashboard: accrual, arms, the CONSORT flow and the rates by
// arm, checked against the fixture's known outcomes; site isolation in every count and
// blinded roles seeing one pooled arm.
#include <gtest/gtest.h>

#include "http/dashboard_fixture.h"
#include "stats/binomial_interval.h"

namespace stream::testing {
namespace {

class ProtocolDashboardTest : public DashboardFixture {
 protected:
  const nlohmann::json* Find(const nlohmann::json& list, const std::string& key,
                             const std::string& value) {
    for (const auto& item : list)
      if (item.value(key, "") == value) return &item;
    ADD_FAILURE() << "no " << key << " = " << value << " in " << list.dump();
    return nullptr;
  }
  void ExpectRate(const nlohmann::json& arm, int64_t responders, int64_t evaluable) {
    EXPECT_EQ(arm["responders"], responders) << arm.dump();
    EXPECT_EQ(arm["evaluable"], evaluable) << arm.dump();
    if (evaluable == 0) {
      EXPECT_TRUE(arm["rate"].is_null() && arm["lower"].is_null() && arm["upper"].is_null());
      return;
    }
    auto cp = stats::ClopperPearsonInterval(responders, evaluable, 0.95);
    ASSERT_TRUE(cp.ok());
    EXPECT_DOUBLE_EQ(arm["rate"].get<double>(), cp->estimate);
    EXPECT_DOUBLE_EQ(arm["lower"].get<double>(), cp->lower);
    EXPECT_DOUBLE_EQ(arm["upper"].get<double>(), cp->upper);
  }
};

TEST_F(ProtocolDashboardTest, ShapesAndNumbersForAnUnblindedReader) {
  auto r = WithToken(admin_, "GET", "/api/v1/protocols/dash-trial/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  const auto& d = r.json;
  EXPECT_EQ(d["protocol"], "dash-trial");
  EXPECT_EQ(d["title"], "Dashboard test trial");
  EXPECT_FALSE(d["blinded"].get<bool>());
  EXPECT_EQ(d["target"],
            nlohmann::json({{"patients", 120}, {"start", "2024-01-01"}, {"end", "2026-12-31"}}));

  ASSERT_EQ(d["enrolments"].size(), 10u);
  EXPECT_EQ(d["enrolments"][0]["date"], "2024-03-01");
  EXPECT_EQ(d["enrolments"][9]["date"], "2024-03-10");
  EXPECT_EQ(d["enrolments"][9]["site"], RegistryFixture::kSiteB);
  const auto arms = Arms("dash-trial");
  std::map<std::string, int64_t> per_arm;
  for (size_t i = 0; i < enrolled_.size(); ++i) {
    EXPECT_EQ(d["enrolments"][i]["arm"], arms.at(enrolled_[i]));
    ++per_arm[arms.at(enrolled_[i])];
  }
  ASSERT_EQ(d["arms"].size(), 2u);
  EXPECT_EQ(d["arms"][0], nlohmann::json({{"id", "std"},
                                          {"name", "Standard"},
                                          {"status", "open"},
                                          {"cap", nullptr},
                                          {"enrolled", per_arm["std"]}}));
  EXPECT_EQ(d["arms"][1]["cap"], 40);
  EXPECT_EQ(d["arms"][1]["enrolled"], per_arm["exp"]);

  const auto& c = d["consort"];
  EXPECT_EQ(c["assessed"], 15);
  EXPECT_EQ(c["not_eligible"], 3);
  EXPECT_EQ(c["unknown"], 1);
  EXPECT_EQ(c["eligible_not_enrolled"], 1);
  EXPECT_EQ(c["enrolled"], 10);
  EXPECT_EQ(c["not_eligible_reasons"], nlohmann::json::parse(R"([
              {"criterion": "consent", "wording": "Written informed consent", "patients": 2},
              {"criterion": "aml", "wording": "Acute myeloid leukaemia", "patients": 1}])"));
  ASSERT_EQ(c["missing_data"].size(), 1u);
  EXPECT_EQ(c["missing_data"][0]["criterion"], "aml");
  ASSERT_EQ(c["arms"].size(), 2u);
  for (const auto& arm : c["arms"]) {
    int64_t allocated = 0, died = 0, relapsed = 0, lost = 0, withdrawn = 0, analysed = 0;
    for (const auto& [p, e] : expected_) {
      if (arms.at(p) != arm["arm"]) continue;
      ++allocated;
      died += e.died, relapsed += e.relapsed, lost += e.lost, withdrawn += e.withdrawn;
      analysed += e.os_applicable;  // the primary endpoint is OS
    }
    EXPECT_EQ(arm, nlohmann::json({{"arm", arm["arm"]},
                                   {"allocated", allocated},
                                   {"died", died},
                                   {"relapsed", relapsed},
                                   {"lost_to_follow_up", lost},
                                   {"consent_withdrawn", withdrawn},
                                   {"analysed", analysed}}));
  }

  ASSERT_EQ(d["responses"].size(), 2u) << "crc_rate and early_death_30";
  EXPECT_EQ(d["responses"][0]["endpoint"], "crc_rate");
  EXPECT_EQ(d["responses"][0]["definition"], "crc_rate");
  EXPECT_EQ(d["responses"][0]["wording"], "Composite complete remission rate");
  EXPECT_EQ(d["responses"][1]["definition"], "early_death_30");
  for (const std::string arm : {"std", "exp"}) {
    int64_t crc = 0, crc_n = 0, ed = 0, ed_n = 0;
    for (const auto& [p, e] : expected_) {
      if (arms.at(p) != arm) continue;
      crc += e.crc, crc_n += e.crc_evaluable, ed += e.ed30, ed_n += e.ed30_evaluable;
    }
    ExpectRate(*Find(d["responses"][0]["arms"], "arm", arm), crc, crc_n);
    ExpectRate(*Find(d["responses"][1]["arms"], "arm", arm), ed, ed_n);
  }

  ASSERT_EQ(d["endpoints"].size(), 4u);
  EXPECT_EQ(d["endpoints"][0], nlohmann::json({{"id", "os"},
                                               {"definition", "os"},
                                               {"role", "primary"},
                                               {"wording", "Overall survival"},
                                               {"time_to_event", true},
                                               {"origin", "enrolment"},
                                               {"population", "all"},
                                               {"follow_up_days", nullptr}}));
  EXPECT_FALSE(d["endpoints"][2]["time_to_event"].get<bool>());
}

TEST_F(ProtocolDashboardTest, ASiteUserCountsOnlyTheirSite) {
  const std::string token = TokenFor("investigator", RegistryFixture::kSiteA);
  auto r = WithToken(token, "GET", "/api/v1/protocols/dash-trial/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find(RegistryFixture::kSiteB), std::string::npos) << r.body;
  EXPECT_EQ(r.json["enrolments"].size(), 6u);
  int64_t enrolled = 0;
  for (const auto& arm : r.json["arms"]) enrolled += arm["enrolled"].get<int64_t>();
  EXPECT_EQ(enrolled, 6);
  const auto& c = r.json["consort"];
  EXPECT_EQ(c["assessed"], 10);
  EXPECT_EQ(c["not_eligible"], 2);
  EXPECT_EQ(c["enrolled"], 6);
  int64_t allocated = 0, evaluable = 0;
  for (const auto& arm : c["arms"]) allocated += arm["allocated"].get<int64_t>();
  for (const auto& arm : r.json["responses"][0]["arms"])
    evaluable += arm["evaluable"].get<int64_t>();
  EXPECT_EQ(allocated, 6);
  EXPECT_EQ(evaluable, 5) << "DA-4 is not evaluable";
}

TEST_F(ProtocolDashboardTest, BlindedRolesSeeOnePooledArm) {
  const std::string dm = TokenFor("data_manager");
  auto r = WithToken(dm, "GET", "/api/v1/protocols/dash-blind/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.json["blinded"].get<bool>());
  EXPECT_EQ(r.json["arms"], nlohmann::json::parse(R"js([{"id": "(blinded)", "name": "All arms",
                                                      "status": "open", "cap": null,
                                                      "enrolled": 3}])js"));
  for (const auto& e : r.json["enrolments"]) EXPECT_EQ(e["arm"], "(blinded)");
  ASSERT_EQ(r.json["consort"]["arms"].size(), 1u);
  EXPECT_EQ(r.json["consort"]["arms"][0]["arm"], "(blinded)");
  EXPECT_EQ(r.json["consort"]["arms"][0]["allocated"], 3);
  for (const auto& rates : r.json["responses"]) {
    ASSERT_EQ(rates["arms"].size(), 1u);
    EXPECT_EQ(rates["arms"][0]["arm"], "(blinded)");
  }
  EXPECT_EQ(r.body.find("\"std\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("\"exp\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("Experimental"), std::string::npos) << r.body;

  // The same protocol for the randomisation administrator (unblinded), and an open one
  // for the data manager: real arms.
  auto admin =
      WithToken(TokenFor("randomisation_admin"), "GET", "/api/v1/protocols/dash-blind/dashboard");
  ASSERT_EQ(admin.status, 200) << admin.body;
  EXPECT_FALSE(admin.json["blinded"].get<bool>());
  EXPECT_EQ(admin.json["arms"].size(), 2u);
  auto open = WithToken(dm, "GET", "/api/v1/protocols/dash-trial/dashboard");
  EXPECT_FALSE(open.json["blinded"].get<bool>());
  EXPECT_EQ(open.json["arms"].size(), 2u);
}

TEST_F(ProtocolDashboardTest, AccessAndErrors) {
  const std::string stats = TokenFor("statistician");
  auto r = WithToken(stats, "GET", "/api/v1/protocols/dash-trial/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body.find("DA-"), std::string::npos) << "the dashboard names no patient";
  EXPECT_EQ(WithToken(TokenFor("data_entry", RegistryFixture::kSiteA), "GET",
                      "/api/v1/protocols/dash-trial/dashboard")
                .status,
            403);
  auto missing = WithToken(admin_, "GET", "/api/v1/protocols/nope/dashboard");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json["error"]["where"], "protocol");
}

TEST_F(ProtocolDashboardTest, ProtocolDetailCarriesTheAccrual) {
  auto shipped = WithToken(admin_, "GET", "/api/v1/protocols/hem-ismart");
  ASSERT_EQ(shipped.status, 200);
  EXPECT_EQ(shipped.json["accrual"],
            nlohmann::json({{"target", 104}, {"start", "2023-01-01"}, {"end", "2026-01-31"}}));
  const std::string none =
      std::string(kDashTrial).substr(0, std::string(kDashTrial).find("accrual:"));
  std::string other = none;
  other.replace(other.find("id: dash-trial"), 14, "id: dash-other");
  ASSERT_EQ(WithToken(admin_, "POST", "/api/v1/protocols", {{"yaml", other}}).status, 201);
  auto detail = WithToken(admin_, "GET", "/api/v1/protocols/dash-other");
  EXPECT_TRUE(detail.json.contains("accrual"));
  EXPECT_TRUE(detail.json["accrual"].is_null());
  auto dashboard = WithToken(admin_, "GET", "/api/v1/protocols/dash-other/dashboard");
  ASSERT_EQ(dashboard.status, 200) << dashboard.body;
  EXPECT_TRUE(dashboard.json["target"].is_null());
  EXPECT_EQ(dashboard.json["consort"]["enrolled"], 0);
}

}  // namespace
}  // namespace stream::testing
