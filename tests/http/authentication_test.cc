// Authentication, CSRF, sessions and limits: every route refuses a caller without a
// session or token (401), except the committed public allow-list; state-changing
// requests authenticated by cookie need the CSRF token, a same-origin Origin and a JSON
// body; sessions end after the idle and absolute time-outs; failed log-ins are throttled.
#include <gtest/gtest.h>

#include <algorithm>

#include "http/api_fixture.h"
#include "http/router.h"

namespace stream::testing {
namespace {

class AuthenticationTest : public ApiFixture {};

std::string Fill(std::string path) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"{id}", "1"},
                                                        {"{kind}", "diagnosis"},
                                                        {"{protocol}", "hem-ismart"},
                                                        {"{arm}", "a"},
                                                        {"{username}", "someone"}}) {
    for (size_t at = path.find(name); at != std::string::npos; at = path.find(name))
      path.replace(at, name.size(), value);
  }
  return path;
}

TEST_F(AuthenticationTest, EveryRouteButThePublicAllowListNeedsASessionOrToken) {
  // The allow-list is committed here: adding a public route must change this test.
  const std::vector<std::string> expected = {"POST /api/v1/session", "GET /api/v1/openapi.json"};
  EXPECT_EQ(http::PublicRoutes(), expected);
  int routes = 0;
  for (const auto& route : http::AllRoutes()) {
    const std::string key = route.method + " " + route.path;
    const bool is_public = std::find(expected.begin(), expected.end(), key) != expected.end();
    EXPECT_EQ(route.is_public, is_public) << key;
    auto r = Send(route.method, Fill(route.path),
                  route.method == "GET" ? nlohmann::json() : nlohmann::json::object(),
                  {{"content-type", "application/json"}});
    if (is_public) {
      EXPECT_NE(r.status, 401) << key;
    } else {
      EXPECT_EQ(r.status, 401) << key << ": " << r.body;
      EXPECT_EQ(r.json["error"]["code"], "unauthenticated") << key;
    }
    auto forged = Send(route.method, Fill(route.path), nullptr,
                       {{"cookie", std::string(http::kSessionCookie) + "=forged"},
                        {"authorization", "Bearer stk_forged"}});
    if (!is_public) {
      EXPECT_EQ(forged.status, 401) << key;
    }
    ++routes;
  }
  EXPECT_GE(routes, 35);
}

TEST_F(AuthenticationTest, CsrfRefusesMissingOrWrongTokensForeignOriginsAndNonJsonBodies) {
  Browser b = LogIn("administrator");
  const std::string cookie = std::string(http::kSessionCookie) + "=" + b.cookie;
  const nlohmann::json site = {{"code", "NL-AM-01"}, {"name", "Amsterdam"}, {"country", "NL"}};
  auto no_token = Send("POST", "/api/v1/sites", site,
                       {{"cookie", cookie}, {"content-type", "application/json"}});
  EXPECT_EQ(no_token.status, 403);
  EXPECT_EQ(no_token.json["error"]["where"], "X-CSRF-Token");
  auto wrong = Send(
      "POST", "/api/v1/sites", site,
      {{"cookie", cookie}, {"content-type", "application/json"}, {"x-csrf-token", b.csrf + "x"}});
  EXPECT_EQ(wrong.status, 403);
  auto foreign = Send("POST", "/api/v1/sites", site,
                      {{"cookie", cookie},
                       {"content-type", "application/json"},
                       {"x-csrf-token", b.csrf},
                       {"origin", "https://evil.example"}});
  EXPECT_EQ(foreign.status, 403);
  EXPECT_EQ(foreign.json["error"]["where"], "Origin");
  auto cross_site = Send("POST", "/api/v1/sites", site,
                         {{"cookie", cookie},
                          {"content-type", "application/json"},
                          {"x-csrf-token", b.csrf},
                          {"sec-fetch-site", "cross-site"}});
  EXPECT_EQ(cross_site.status, 403);
  auto text = Send("POST", "/api/v1/sites", site,
                   {{"cookie", cookie},
                    {"content-type", "text/plain"},
                    {"x-csrf-token", b.csrf},
                    {"origin", "http://127.0.0.1:8080"}});
  EXPECT_EQ(text.status, 415);
  auto login_cross =
      Send("POST", "/api/v1/session", {{"username", "a"}, {"password", "b"}},
           {{"content-type", "application/json"}, {"origin", "https://evil.example"}});
  EXPECT_EQ(login_cross.status, 403) << "log-in CSRF is refused too";
  auto sites = WithToken(TokenFor("administrator"), "GET", "/api/v1/sites");
  EXPECT_EQ(sites.json["items"].size(), 2u) << "none of the refused requests added a site";
  EXPECT_EQ(WithBrowser(b, "POST", "/api/v1/sites", site).status, 201);
}

TEST_F(AuthenticationTest, SessionsAreFreshAtLogInAndEndAfterIdleAndAbsoluteTimeOuts) {
  Browser first = LogIn("monitor");
  Browser second = LogIn("monitor");
  EXPECT_NE(first.cookie, second.cookie);
  auto login = Send("POST", "/api/v1/session",
                    {{"username", "monitor-1"}, {"password", passwords_["monitor-1"]}},
                    {{"content-type", "application/json"}});
  ASSERT_EQ(login.status, 201);
  const std::string cookie = login.headers["set-cookie"];
  for (const char* attribute :
       {"__Host-stream_session=", "; Path=/", "; Secure", "; HttpOnly", "; SameSite=Strict"})
    EXPECT_NE(cookie.find(attribute), std::string::npos) << attribute;
  EXPECT_EQ(cookie.find("Domain"), std::string::npos);

  auto& clock = registry_->clock();
  clock.Set(Timestamp::FromMillis(clock.Now().millis() + 29 * 60 * 1000));
  EXPECT_EQ(WithBrowser(first, "GET", "/api/v1/session").status, 200) << "29 minutes idle";
  for (int i = 0; i < 24; ++i) {  // active every 29 minutes for almost 12 hours
    clock.Set(Timestamp::FromMillis(clock.Now().millis() + 29 * 60 * 1000));
    if (i < 23) {
      EXPECT_EQ(WithBrowser(first, "GET", "/api/v1/session").status, 200) << i;
    }
  }
  EXPECT_EQ(WithBrowser(first, "GET", "/api/v1/session").status, 401) << "past 12 hours";
  EXPECT_EQ(WithBrowser(second, "GET", "/api/v1/session").status, 401) << "idle for hours";
}

TEST_F(AuthenticationTest, FailedLogInsAreThrottledAndLookTheSame) {
  Browser b = LogIn("monitor");
  (void)b;
  auto unknown = Send("POST", "/api/v1/session", {{"username", "nobody"}, {"password", "x"}},
                      {{"content-type", "application/json"}});
  auto wrong = Send("POST", "/api/v1/session", {{"username", "monitor-1"}, {"password", "x"}},
                    {{"content-type", "application/json"}});
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.json["error"]["message"], wrong.json["error"]["message"]);
  for (int i = 0; i < 4; ++i) {
    Send("POST", "/api/v1/session", {{"username", "monitor-1"}, {"password", "x"}},
         {{"content-type", "application/json"}});
  }
  auto locked = Send("POST", "/api/v1/session",
                     {{"username", "monitor-1"}, {"password", passwords_["monitor-1"]}},
                     {{"content-type", "application/json"}});
  EXPECT_EQ(locked.status, 429) << "even the right password waits";
  auto& clock = registry_->clock();
  clock.Set(Timestamp::FromMillis(clock.Now().millis() + 16 * 60 * 1000));
  auto later = Send("POST", "/api/v1/session",
                    {{"username", "monitor-1"}, {"password", passwords_["monitor-1"]}},
                    {{"content-type", "application/json"}});
  EXPECT_EQ(later.status, 201);
}

TEST_F(AuthenticationTest, BodiesAreBoundedInDepthAndPagesInSize) {
  const std::string token = TokenFor("administrator");
  std::string deep;
  for (int i = 0; i < 40; ++i) deep += "[";
  for (int i = 0; i < 40; ++i) deep += "]";
  http::ApiRequest req;
  req.method = "POST";
  req.path = "/api/v1/sites";
  req.headers = {{"authorization", "Bearer " + token}, {"content-type", "application/json"}};
  req.body = deep;
  auto r = stack_->router().Handle(req);
  EXPECT_EQ(r.status, 422);
  EXPECT_NE(r.body.find("nested deeper"), std::string::npos);
  req.body = "{not json";
  EXPECT_EQ(stack_->router().Handle(req).status, 422);
  EXPECT_EQ(WithToken(token, "GET", "/api/v1/patients?limit=100000").status, 422);
  EXPECT_EQ(WithToken(token, "GET", "/api/v1/patients?limit=abc").status, 422);
  EXPECT_EQ(WithToken(token, "GET", "/api/v1/nothing-here").status, 404);
  EXPECT_EQ(WithToken(token, "PUT", "/api/v1/sites").status, 405);
  auto any = WithToken(token, "GET", "/api/v1/sites");
  EXPECT_EQ(any.headers["cache-control"], "no-store");
}

}  // namespace
}  // namespace stream::testing

namespace stream::testing {
namespace {

// Issue #15.5: log-ins, failed log-ins (with their cause), the lock-out and log-outs are
// security events in the audit trail, read by the administrator.
class SecurityEventsTest : public ApiFixture {};

TEST_F(SecurityEventsTest, LogInsFailuresLockOutAndLogOutAreAudited) {
  Browser b = LogIn("monitor");
  ASSERT_EQ(WithBrowser(b, "DELETE", "/api/v1/session").status, 204);
  for (int i = 0; i < 5; ++i) {
    Send("POST", "/api/v1/session", {{"username", "monitor-1"}, {"password", "wrong"}},
         {{"content-type", "application/json"}});
  }
  EXPECT_EQ(Send("POST", "/api/v1/session", {{"username", "monitor-1"}, {"password", "wrong"}},
                 {{"content-type", "application/json"}})
                .status,
            429);
  auto audit =
      WithToken(TokenFor("administrator"), "GET", "/api/v1/audit?entity=session&limit=100");
  ASSERT_EQ(audit.status, 200) << audit.body;
  std::map<std::string, int> actions;
  for (const auto& row : audit.json["items"]) {
    EXPECT_EQ(row["actor"], "monitor-1");
    ++actions[row["action"].get<std::string>()];
    if (row["action"] == "login_failed") {
      EXPECT_EQ(row["reason"], "wrong password");
    }
    EXPECT_EQ(row["new_value"], "address=127.0.0.1");
  }
  EXPECT_EQ(actions, (std::map<std::string, int>{
                         {"login", 1}, {"logout", 1}, {"login_failed", 5}, {"lockout", 1}}))
      << "the attempt refused while locked out is not written";
  EXPECT_EQ(WithToken(TokenFor("investigator", RegistryFixture::kSiteA), "GET",
                      "/api/v1/audit?entity=session")
                .json["items"]
                .size(),
            0u)
      << "site roles read their site's trail only";
}

}  // namespace
}  // namespace stream::testing
