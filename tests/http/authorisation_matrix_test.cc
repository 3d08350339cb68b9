// Reliability promise 2 as a matrix: every role × every route that names an object, with
// another site's ids and with ids that do not exist. A user bound to a site must get
// exactly the same answer for both (404, same body), see no foreign row in any listing
// or export even with `site` injected into the query or the body, and change nothing of
// the other site. Central roles get 403 for what their role may not do.
#include <gtest/gtest.h>

#include "http/api_fixture.h"
#include "http/router.h"
#include "service/access_policy.h"

namespace stream::testing {
namespace {

constexpr char kOpenTrial[] = R"yaml(
id: open-trial
title: Open-label test trial
version: "1.0"
criteria:
  inclusion:
    - id: aml
      wording: Acute myeloid leukaemia
      rule: disease == "aml"
arms:
  - id: std
    name: Standard
assignment:
  - id: all
    rule: "true"
    arm: std
endpoints:
  primary:
    - definition: os
)yaml";

const char* kSiteA = RegistryFixture::kSiteA;
const char* kSiteB = RegistryFixture::kSiteB;

class AuthorisationMatrixTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    admin_ = TokenFor("administrator");
    ASSERT_EQ(WithToken(admin_, "POST", "/api/v1/protocols", {{"yaml", kOpenTrial}}).status, 201);
    patient_a_ = AddPatient("A-1", kSiteA);
    patient_b_ = AddPatient("B-1", kSiteB);
    auto dx = WithToken(admin_, "GET",
                        "/api/v1/patients/" + std::to_string(patient_b_) + "/records/diagnosis");
    record_b_ = dx.json["items"][0]["id"];
    auto enrol = WithToken(admin_, "POST", "/api/v1/protocols/open-trial/enrolments",
                           {{"patient_id", patient_b_}, {"idempotency_key", "b"}});
    ASSERT_EQ(enrol.status, 200) << enrol.body;  // refused: no trial consent; nothing written
    other_token_ = TokenFor("investigator", kSiteB);
    auto tokens = WithToken(admin_, "GET", "/api/v1/tokens");
    token_b_ = tokens.json["items"].back()["id"];
  }

  // Fills a route's parameters with the other site's objects, or with missing ones.
  std::string Target(const std::string& pattern, bool foreign) {
    std::string path = pattern;
    auto fill = [&](const std::string& name, const std::string& value) {
      for (size_t at = path.find(name); at != std::string::npos; at = path.find(name))
        path.replace(at, name.size(), value);
    };
    const bool record_route = pattern.find("/records/{kind}/{id}") != std::string::npos;
    const bool token_route = pattern.find("/tokens/") != std::string::npos;
    std::string id = std::to_string(foreign ? patient_b_ : 999999);
    if (record_route) id = std::to_string(foreign ? record_b_ : 999999);
    if (token_route) id = std::to_string(foreign ? token_b_ : 999999);
    fill("{id}", id);
    fill("{kind}", "diagnosis");
    fill("{protocol}", "open-trial");
    fill("{arm}", "std");
    fill("{username}", foreign ? "investigator-3" : "nobody");
    return path;
  }

  nlohmann::json BodyFor(const http::Route& route) {
    if (route.method == "GET" || (route.method == "DELETE" && route.body.empty())) return nullptr;
    return {{"version", 1},
            {"reason", "matrix"},
            {"changes", {{"sex", "male"}}},
            {"patient_id", patient_b_},
            {"idempotency_key", "matrix"},
            {"disease", "aml"},
            {"diagnosis_date", "2024-01-02"},
            {"origin", "de_novo"},
            {"status_at_registration", "first_relapse"},
            {"status", "closed"},
            {"site", kSiteB}};
  }

  // Everything of site B a change could touch, as the central administrator reads it.
  std::string SiteBState() {
    std::string state =
        WithToken(admin_, "GET", "/api/v1/patients/" + std::to_string(patient_b_) + "/records")
            .body;
    state += WithToken(admin_, "GET", "/api/v1/patients?site=" + std::string(kSiteB)).body;
    state +=
        WithToken(admin_, "GET", "/api/v1/patients/" + std::to_string(patient_b_) + "/audit").body;
    return state;
  }

  std::string admin_, other_token_;
  int64_t patient_a_ = 0, patient_b_ = 0, record_b_ = 0, token_b_ = 0;
};

nlohmann::json WithoutRequestId(nlohmann::json body) {
  if (body.contains("error")) body["error"].erase("request_id");
  if (body.contains("error") && body["error"].contains("message")) {
    // The message names the id asked for; the code and the place must be identical.
    body["error"].erase("message");
  }
  return body;
}

TEST_F(AuthorisationMatrixTest, SiteUsersGetTheAnswerForAMissingObjectForEveryForeignId) {
  const std::string before = SiteBState();
  int checked = 0;
  for (const auto& role : service::Roles()) {
    if (!service::IsSiteRole(role)) continue;
    const std::string token = TokenFor(role, kSiteA);
    for (const auto& route : http::AllRoutes()) {
      if (route.path.find("{id}") == std::string::npos &&
          route.path.find("{username}") == std::string::npos)
        continue;
      const auto body = BodyFor(route);
      auto foreign = WithToken(token, route.method, Target(route.path, true), body);
      auto missing = WithToken(token, route.method, Target(route.path, false), body);
      EXPECT_EQ(foreign.status, missing.status)
          << role << " " << route.method << " " << route.path << "\nforeign: " << foreign.body
          << "\nmissing: " << missing.body;
      EXPECT_NE(foreign.status / 100, 2) << role << " " << route.method << " " << route.path
                                         << " answered a foreign id: " << foreign.body;
      EXPECT_EQ(WithoutRequestId(foreign.json), WithoutRequestId(missing.json))
          << role << " " << route.method << " " << route.path;
      EXPECT_EQ(foreign.body.find("B-1"), std::string::npos) << route.path;
      ++checked;
    }
  }
  EXPECT_GT(checked, 30);
  EXPECT_EQ(SiteBState(), before) << "a site user changed another site's data";
}

// Routes that take a patient id in the body answer a foreign one as a missing one too.
TEST_F(AuthorisationMatrixTest, PatientIdsInBodiesOfAnotherSiteReadAsMissing) {
  for (const auto& role : service::Roles()) {
    if (!service::IsSiteRole(role) || !service::Allows(role, service::Permission::kWriteRegistry))
      continue;
    const std::string token = TokenFor(role, kSiteA);
    auto check = [&](int64_t patient) {
      return WithToken(token, "POST", "/api/v1/records/relapse/validation",
                       {{"fields", {{"relapse_date", "2023-01-01"}}}, {"patient_id", patient}});
    };
    auto foreign = check(patient_b_);
    auto missing = check(999999);
    EXPECT_EQ(foreign.status, 404) << role << " " << foreign.body;
    EXPECT_EQ(foreign.status, missing.status);
    EXPECT_EQ(WithoutRequestId(foreign.json), WithoutRequestId(missing.json)) << role;
    EXPECT_EQ(foreign.body.find("B-1"), std::string::npos);
    EXPECT_EQ(check(patient_a_).status, 200) << role;
  }
}

TEST_F(AuthorisationMatrixTest, ListingsAndExportsNeverShowForeignRowsEvenWithSiteInjected) {
  for (const auto& role : service::Roles()) {
    if (!service::IsSiteRole(role)) continue;
    const std::string token = TokenFor(role, kSiteA);
    for (const std::string& target : std::vector<std::string>{
             "/api/v1/patients", "/api/v1/patients?site=DE-DD-01", "/api/v1/records/diagnosis",
             "/api/v1/records/diagnosis?site=DE-DD-01", "/api/v1/exports/patient?site=DE-DD-01",
             "/api/v1/exports/diagnosis?format=json",
             "/api/v1/protocols/open-trial/candidates?verdict=all", "/api/v1/audit",
             "/api/v1/audit?patient_id=" + std::to_string(patient_b_),
             "/api/v1/protocols/open-trial/enrolments", "/api/v1/protocols/open-trial/dashboard",
             "/api/v1/protocols/open-trial/survival", "/api/v1/registry/dashboard?recent=200"}) {
      auto r = WithToken(token, "GET", target);
      EXPECT_TRUE(r.status == 200 || r.status == 403 || r.status == 404) << target << r.body;
      EXPECT_EQ(r.body.find("B-1"), std::string::npos) << role << " " << target << ": " << r.body;
      EXPECT_EQ(r.body.find(kSiteB), std::string::npos) << role << " " << target << ": " << r.body;
      if (r.status == 200 && r.json.contains("items")) {
        for (const auto& item : r.json["items"]) {
          EXPECT_NE(item.value("patient_id", int64_t{0}), patient_b_) << target;
        }
      }
    }
  }
  // Looking a foreign patient up by pseudonym reads as a missing one.
  const std::string entry = TokenFor("data_entry", kSiteA);
  auto by_pseudonym = WithToken(entry, "GET", "/api/v1/patients?pseudonym=B-1");
  auto by_missing = WithToken(entry, "GET", "/api/v1/patients?pseudonym=B-9");
  EXPECT_EQ(by_pseudonym.status, 404);
  EXPECT_EQ(by_missing.status, 404);
  EXPECT_EQ(by_pseudonym.json["error"]["code"], by_missing.json["error"]["code"]);

  // Bodies: a patient registered at the other site, or moved there, is refused.
  const std::string inv = TokenFor("investigator", kSiteA);
  auto planted = WithToken(inv, "POST", "/api/v1/patients",
                           {{"pseudonym", "A-2"},
                            {"site", kSiteB},
                            {"sex", "male"},
                            {"birth_year", 1970},
                            {"birth_month", 1},
                            {"registered_on", "2024-01-10"}});
  EXPECT_NE(planted.status / 100, 2) << planted.body;
  auto moved = WithToken(inv, "PATCH", "/api/v1/patients/" + std::to_string(patient_a_),
                         {{"version", 1}, {"reason", "x"}, {"changes", {{"site", kSiteB}}}});
  EXPECT_EQ(moved.status, 404) << moved.body;
  auto list = WithToken(admin_, "GET", "/api/v1/patients?site=" + std::string(kSiteB));
  EXPECT_EQ(list.json["items"].size(), 1u) << "only B-1 is at site B";
}

TEST_F(AuthorisationMatrixTest, EveryRoleGetsForbiddenForWhatItMayNotDo) {
  struct Case {
    std::string method, target;
    service::Permission needs;
    nlohmann::json body = nullptr;
  };
  const std::vector<Case> cases = {
      {"GET", "/api/v1/patients/" + std::to_string(patient_a_), service::Permission::kReadRegistry},
      {"GET", "/api/v1/patients/" + std::to_string(patient_a_) + "/identity",
       service::Permission::kReadIdentity},  // 404 when allowed: no identity was recorded
      {"GET", "/api/v1/users", service::Permission::kManageUsers},
      {"GET", "/api/v1/audit", service::Permission::kReadAudit},
      {"GET", "/api/v1/exports/patient?study=open-trial", service::Permission::kExport},
      {"GET", "/api/v1/patients/" + std::to_string(patient_a_) + "/disease-course",
       service::Permission::kReadRegistry},
      {"GET", "/api/v1/exports/derived/disease-course?study=open-trial",
       service::Permission::kExport},
      {"GET", "/api/v1/exports/derived/attestations?study=open-trial",
       service::Permission::kExport},
      {"GET", "/api/v1/protocols/open-trial/candidates", service::Permission::kScreen},
      {"GET", "/api/v1/protocols/open-trial/enrolments", service::Permission::kReadAllocations},
      {"GET", "/api/v1/protocols/open-trial/dashboard", service::Permission::kReadAllocations},
      {"GET", "/api/v1/protocols/open-trial/survival", service::Permission::kReadAllocations},
      {"GET", "/api/v1/registry/dashboard", service::Permission::kReadRegistry},
      {"GET", "/api/v1/protocols/open-trial/recruitment", service::Permission::kReadProtocols},
      {"GET", "/api/v1/protocols/open-trial/sites", service::Permission::kReadProtocols},
      // Allowed roles reach the service, which answers 404 for the missing site.
      {"POST",
       "/api/v1/protocols/open-trial/sites/XX-00-00/status",
       service::Permission::kManageProtocols,
       {{"status", "active"}, {"effective_on", "2024-01-01"}, {"approval_reference", "EC-1"}}},
      {"GET", "/api/v1/patients/" + std::to_string(patient_a_) + "/attestations",
       service::Permission::kScreen},
      {"POST",
       "/api/v1/records/diagnosis/validation",
       service::Permission::kWriteRegistry,
       {{"fields", {{"disease", "aml"}}}, {"patient_id", patient_a_}}},
  };
  for (const auto& role : service::Roles()) {
    const std::string token = TokenFor(role, service::IsSiteRole(role) ? kSiteA : "");
    for (const auto& c : cases) {
      auto r = WithToken(token, c.method, c.target, c.body);
      if (service::Allows(role, c.needs)) {
        // Allowed: answered (200, or 404 where there is nothing to show), never refused.
        EXPECT_TRUE(r.status == 200 || r.status == 404)
            << role << " " << c.target << ": " << r.body;
      } else {
        EXPECT_EQ(r.status, 403) << role << " " << c.target << ": " << r.body;
        EXPECT_EQ(r.json["error"]["code"], "permission_denied");
      }
    }
  }
}

}  // namespace
}  // namespace stream::testing
