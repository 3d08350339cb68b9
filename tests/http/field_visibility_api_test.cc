// Issue #14: which role may see each field, end to end through the API. A board member
// reads a patient without the month of birth (the member is absent, not null); a
// statistician's export has no such column; the care team sees it.
#include <gtest/gtest.h>

#include <algorithm>

#include "http/api_fixture.h"

namespace stream::testing {
namespace {

class FieldVisibilityApiTest : public ApiFixture {};

TEST_F(FieldVisibilityApiTest, TheMonthOfBirthIsLeftOutForRolesOutsideTheCareTeam) {
  const int64_t id = AddPatient("P-VIS", RegistryFixture::kSiteA);
  const std::string path = "/api/v1/patients/" + std::to_string(id);

  const auto board = WithToken(TokenFor("board_member"), "GET", path);
  ASSERT_EQ(board.status, 200) << board.body;
  EXPECT_FALSE(board.json.contains("birth_month")) << board.body;
  EXPECT_EQ(board.json.at("birth_year"), 1970);

  const auto list = WithToken(TokenFor("board_member"), "GET", "/api/v1/patients");
  ASSERT_EQ(list.status, 200);
  ASSERT_FALSE(list.json.at("items").empty());
  EXPECT_FALSE(list.json.at("items")[0].contains("birth_month"));

  const auto monitor = WithToken(TokenFor("monitor"), "GET", path);
  ASSERT_EQ(monitor.status, 200);
  EXPECT_EQ(monitor.json.at("birth_month"), 3);

  const auto stats =
      WithToken(TokenFor("statistician"), "GET", "/api/v1/exports/patient?study=registry");
  ASSERT_EQ(stats.status, 200) << stats.body;
  EXPECT_EQ(stats.body.substr(0, stats.body.find('\n')),
            "pseudonym,site,sex,birth_year,registered_on");
  const auto stats_json = WithToken(TokenFor("statistician"), "GET",
                                    "/api/v1/exports/patient?study=registry&format=json");
  ASSERT_EQ(stats_json.status, 200);
  EXPECT_FALSE(stats_json.json.at("items")[0].contains("birth_month"));

  const auto manager = WithToken(TokenFor("data_manager"), "GET", "/api/v1/exports/patient");
  ASSERT_EQ(manager.status, 200);
  EXPECT_NE(manager.body.find("birth_month"), std::string::npos);
}

TEST_F(FieldVisibilityApiTest, TheSessionAndTheSchemaSayWhoSeesWhat) {
  const auto session = WithBrowser(LogIn("board_member"), "GET", "/api/v1/session");
  ASSERT_EQ(session.status, 200) << session.body;
  const auto& permissions = session.json.at("permissions");
  EXPECT_EQ(std::find(permissions.begin(), permissions.end(), "read_quasi_identifiers"),
            permissions.end());
  const auto investigator =
      WithBrowser(LogIn("investigator", RegistryFixture::kSiteA), "GET", "/api/v1/session");
  const auto& granted = investigator.json.at("permissions");
  EXPECT_NE(std::find(granted.begin(), granted.end(), "read_quasi_identifiers"), granted.end());

  const auto openapi = WithToken(TokenFor("board_member"), "GET", "/api/v1/openapi.json");
  ASSERT_EQ(openapi.status, 200);
  const auto& patient = openapi.json.at("components").at("schemas").at("PatientRecord");
  EXPECT_EQ(patient.at("properties").at("birth_month").at("x-audience"), "care_team");
  const auto& required = patient.at("required");
  EXPECT_EQ(std::find(required.begin(), required.end(), "birth_month"), required.end());
  EXPECT_NE(std::find(required.begin(), required.end(), "birth_year"), required.end());
}

}  // namespace
}  // namespace stream::testing
