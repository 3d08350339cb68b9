// GET /registry/dashboard: counts by disease, vital status, site and disease status, and
// the swimmer plot of the most recently registered patients; site isolation and limits.
#include <gtest/gtest.h>

#include "http/dashboard_fixture.h"

namespace stream::testing {
namespace {

class RegistryDashboardTest : public DashboardFixture {
 protected:
  static const nlohmann::json* Swimmer(const nlohmann::json& body, const std::string& p) {
    for (const auto& s : body["swimmers"])
      if (s["pseudonym"] == p) return &s;
    return nullptr;
  }
};

TEST_F(RegistryDashboardTest, CountsEveryPatientTheReaderMaySee) {
  auto r = WithToken(admin_, "GET", "/api/v1/registry/dashboard");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json["patients"], 15);
  EXPECT_EQ(r.json["by_disease"], nlohmann::json::parse(R"([
      {"disease": "aml", "patients": 13}, {"disease": "all", "patients": 1},
      {"disease": "not_recorded", "patients": 1}])"));
  EXPECT_EQ(r.json["by_status"], nlohmann::json::parse(R"([
      {"status": "alive", "patients": 11}, {"status": "dead", "patients": 3},
      {"status": "lost_to_follow_up", "patients": 1}])"));
  EXPECT_EQ(r.json["by_site"], nlohmann::json::parse(R"([
      {"site": "IT-FO-01", "patients": 10}, {"site": "DE-DD-01", "patients": 5}])"));
  EXPECT_EQ(r.json["by_disease_status"], nlohmann::json::parse(R"([
      {"status": "first_relapse", "patients": 14}, {"status": "not_recorded", "patients": 1}])"));
  EXPECT_EQ(r.json["swimmers"].size(), 15u) << "30 by default, 15 registered";

  const std::string site_a = TokenFor("data_entry", RegistryFixture::kSiteA);
  auto mine = WithToken(site_a, "GET", "/api/v1/registry/dashboard?recent=200");
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(mine.json["patients"], 10);
  EXPECT_EQ(mine.json["by_site"],
            nlohmann::json::parse(R"([{"site": "IT-FO-01", "patients": 10}])"));
  EXPECT_EQ(mine.json["swimmers"].size(), 10u);
  EXPECT_EQ(mine.body.find(RegistryFixture::kSiteB), std::string::npos);
  EXPECT_EQ(mine.body.find("DB-"), std::string::npos);
}

TEST_F(RegistryDashboardTest, SwimmersShowLinesAndEventsOfTheMostRecentlyRegistered) {
  const int64_t da0 = ids_["DA-0"];
  AddRecord(da0, "treatment_line",
            {{"line_number", int64_t{2}},
             {"regimen", std::string("FLAG-Ida")},
             {"agents", CodeSet{"fludarabine", "cytarabine", "idarubicin"}},
             {"intensity", std::string("intensive")},
             {"start_date", *Date::Parse("2024-03-02")},
             {"end_date", *Date::Parse("2024-03-28")}});
  AddRecord(da0, "transplant",
            {{"transplant_date", *Date::Parse("2024-05-10")},
             {"donor_type", std::string("matched_unrelated")},
             {"stem_cell_source", std::string("peripheral_blood")},
             {"conditioning", std::string("reduced_intensity")}});
  // A patient registered later than everyone else comes first.
  auto late = RegistryFixture::PatientValues("LATE-1", RegistryFixture::kSiteA);
  late[PatientKind().IndexOf("registered_on")] = *Date::Parse("2025-05-01");
  ASSERT_TRUE(registry_->registry().AddPatient(RegistryFixture::Central(), late).ok());

  auto r = WithToken(admin_, "GET", "/api/v1/registry/dashboard?recent=200");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(r.json["swimmers"].size(), 16u);
  EXPECT_EQ(r.json["swimmers"][0]["pseudonym"], "LATE-1");
  EXPECT_EQ(r.json["swimmers"][1]["pseudonym"], "NB-NOCONS") << "then by id, newest first";
  const auto* s = Swimmer(r.json, "DA-0");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ((*s)["patient_id"], da0);
  EXPECT_EQ((*s)["site"], RegistryFixture::kSiteA);
  EXPECT_EQ((*s)["disease"], "aml");
  EXPECT_EQ((*s)["start"], "2024-01-05");
  EXPECT_EQ((*s)["end"], "2025-05-01");
  EXPECT_EQ((*s)["status"], "alive");
  EXPECT_EQ((*s)["lines"], nlohmann::json::parse(R"([{"line": 2, "regimen": "FLAG-Ida",
                                                      "start": "2024-03-02", "end": "2024-03-28"}])"));
  EXPECT_EQ((*s)["events"], nlohmann::json::parse(R"([
      {"date": "2024-03-31", "type": "response", "label": "CR"},
      {"date": "2024-05-10", "type": "transplant", "label": "allo"},
      {"date": "2024-09-17", "type": "relapse", "label": "haematological"}])"));
  const auto* dead = Swimmer(r.json, "DA-1");
  ASSERT_NE(dead, nullptr);
  EXPECT_EQ((*dead)["status"], "dead");
  EXPECT_EQ((*dead)["end"], "2024-03-22");
  EXPECT_EQ((*dead)["events"][0]["type"], "death");

  auto three = WithToken(admin_, "GET", "/api/v1/registry/dashboard?recent=3");
  ASSERT_EQ(three.status, 200);
  EXPECT_EQ(three.json["swimmers"].size(), 3u);
  EXPECT_EQ(three.json["patients"], 16) << "counts are over the whole registry";
}

TEST_F(RegistryDashboardTest, LimitsAndAccess) {
  for (const std::string bad : {"0", "201", "x"}) {
    auto r = WithToken(admin_, "GET", "/api/v1/registry/dashboard?recent=" + bad);
    EXPECT_EQ(r.status, 422) << bad << ": " << r.body;
    EXPECT_EQ(r.json["error"]["where"], "recent");
  }
  EXPECT_EQ(WithToken(TokenFor("statistician"), "GET", "/api/v1/registry/dashboard").status, 403);
  EXPECT_EQ(WithToken(TokenFor("board_member"), "GET", "/api/v1/registry/dashboard").status, 200);
}

}  // namespace
}  // namespace stream::testing
