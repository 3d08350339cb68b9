// Issue 15, live permissions: an API token or a browser session acts as its account is
// now. After the account is demoted, moved to another site, deactivated or given a new
// password, its old tokens and sessions answer 401 — whether the change came through the
// API (PATCH /users/{username}) or from elsewhere (the command line, another server),
// which is modelled by calling the account service directly.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <random>

#include "http/api_fixture.h"
#include "http/router.h"

namespace stream::testing {
namespace {

service::Actor AccountAdmin() { return service::Actor{"setup", "administrator", "", ""}; }

class LivePermissionsTest : public ApiFixture {
 protected:
  void SetUp() override {
    ApiFixture::SetUp();
    patient_a_ = AddPatient("LIVE-A", RegistryFixture::kSiteA);
    admin_ = TokenFor("administrator");
  }

  // An account with an API token and a browser session, both checked to work.
  struct Account {
    std::string username;
    std::string password;
    std::string token;
    Browser browser;
  };
  Account Make(const std::string& username, const std::string& role, const std::string& site) {
    Account a{username, "password-of-" + username, "", {}};
    auto user = stack_->accounts().AddAccount(AccountAdmin(), {username, role, site, a.password});
    EXPECT_TRUE(user.ok()) << user.error().ToString();
    auto token =
        stack_->accounts().IssueToken(service::Actor{username, role, site, ""}, "script", "", "");
    EXPECT_TRUE(token.ok()) << token.error().ToString();
    a.token = token.ok() ? token->secret : "";
    a.browser = SignIn(username, a.password);
    return a;
  }
  Browser SignIn(const std::string& username, const std::string& password) {
    ApiCall r = Send("POST", "/api/v1/session", {{"username", username}, {"password", password}},
                     {{"content-type", "application/json"}});
    EXPECT_EQ(r.status, 201) << r.body;
    Browser b;
    const std::string set_cookie = r.headers["set-cookie"];
    const size_t eq = set_cookie.find('=');
    b.cookie = set_cookie.substr(eq + 1, set_cookie.find(';') - eq - 1);
    b.csrf = r.json.value("csrf_token", "");
    return b;
  }
  std::string PatientA() const { return "/api/v1/patients/" + std::to_string(patient_a_); }
  void Change(const std::string& username, const service::AccountChange& change) {
    auto changed = stack_->accounts().ChangeAccount(AccountAdmin(), username, change);
    ASSERT_TRUE(changed.ok()) << changed.error().ToString();
  }
  void ExpectEnded(const Account& a, const std::string& target) {
    auto by_token = WithToken(a.token, "GET", target);
    EXPECT_EQ(by_token.status, 401) << "token still works: " << by_token.body;
    auto by_browser = WithBrowser(a.browser, "GET", target);
    EXPECT_EQ(by_browser.status, 401) << "session still works: " << by_browser.body;
    EXPECT_EQ(by_browser.json["error"]["code"], "unauthenticated");
  }

  int64_t patient_a_ = 0;
  std::string admin_;
};

TEST_F(LivePermissionsTest, ADemotedAdministratorLosesAdministrationAtOnce) {
  Account a = Make("demoted.admin", "administrator", "");
  ASSERT_EQ(WithToken(a.token, "GET", "/api/v1/users").status, 200);
  ASSERT_EQ(WithBrowser(a.browser, "GET", "/api/v1/users").status, 200);
  Change(a.username, {.role = std::string("monitor")});
  ExpectEnded(a, "/api/v1/users");
  // Signing in again gives the new role, with its permissions only.
  Browser again = SignIn(a.username, a.password);
  EXPECT_EQ(WithBrowser(again, "GET", "/api/v1/session").json["role"], "monitor");
  EXPECT_EQ(WithBrowser(again, "GET", "/api/v1/users").status, 403);
  EXPECT_EQ(WithBrowser(again, "GET", PatientA()).status, 200);
}

TEST_F(LivePermissionsTest, AUserMovedToAnotherSiteNoLongerSeesTheOldSite) {
  Account a = Make("moved.investigator", "investigator", RegistryFixture::kSiteA);
  ASSERT_EQ(WithToken(a.token, "GET", PatientA()).status, 200);
  ASSERT_EQ(WithBrowser(a.browser, "GET", PatientA()).status, 200);
  Change(a.username, {.site = std::string(RegistryFixture::kSiteB)});
  ExpectEnded(a, PatientA());
  Browser again = SignIn(a.username, a.password);
  EXPECT_EQ(WithBrowser(again, "GET", PatientA()).status, 404) << "site A is foreign now";
}

TEST_F(LivePermissionsTest, ADeactivatedUserIsOutAtOnce) {
  Account a = Make("leaving.entry", "data_entry", RegistryFixture::kSiteA);
  ASSERT_EQ(WithToken(a.token, "GET", PatientA()).status, 200);
  ASSERT_EQ(WithBrowser(a.browser, "GET", PatientA()).status, 200);
  Change(a.username, {.disabled = true});
  ExpectEnded(a, PatientA());
  // Enabling the account again does not bring the old token back.
  Change(a.username, {.disabled = false});
  EXPECT_EQ(WithToken(a.token, "GET", PatientA()).status, 401);
}

TEST_F(LivePermissionsTest, ANewPasswordEndsOldSessionsAndTokens) {
  Account a = Make("careful.monitor", "monitor", "");
  ASSERT_EQ(WithToken(a.token, "GET", PatientA()).status, 200);
  ASSERT_EQ(WithBrowser(a.browser, "GET", PatientA()).status, 200);
  Change(a.username, {.password = std::string("a-brand-new-password")});
  ExpectEnded(a, PatientA());
  Browser again = SignIn(a.username, "a-brand-new-password");
  EXPECT_EQ(WithBrowser(again, "GET", PatientA()).status, 200);
}

// The same through the API, with the revocations in the audit trail and the token list.
TEST_F(LivePermissionsTest, ADemotionThroughTheApiRevokesTokensVisiblyAndAudited) {
  Account a = Make("api.demoted", "data_manager", "");
  ASSERT_EQ(WithToken(a.token, "GET", "/api/v1/tokens").status, 200);
  auto demoted = WithToken(admin_, "PATCH", "/api/v1/users/" + a.username,
                           {{"role", "investigator"}, {"site", RegistryFixture::kSiteA}});
  ASSERT_EQ(demoted.status, 200) << demoted.body;
  ExpectEnded(a, "/api/v1/tokens");
  auto tokens = WithToken(admin_, "GET", "/api/v1/tokens");
  ASSERT_EQ(tokens.status, 200);
  int revoked = 0;
  for (const auto& t : tokens.json["items"]) {
    if (t["username"] == a.username) {
      EXPECT_TRUE(t["revoked"].get<bool>()) << t.dump();
      ++revoked;
    }
  }
  EXPECT_EQ(revoked, 1);
  auto audit = WithToken(admin_, "GET", "/api/v1/audit?entity=api_token");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_NE(audit.body.find("owner's account changed: role changed, site changed"),
            std::string::npos)
      << audit.body;
}

// A change that changes nothing (the same role) leaves tokens and sessions alone.
TEST_F(LivePermissionsTest, AChangeThatChangesNothingKeepsTokensAndSessions) {
  Account a = Make("steady.monitor", "monitor", "");
  Change(a.username, {.role = std::string("monitor")});
  EXPECT_EQ(WithToken(a.token, "GET", PatientA()).status, 200);
  EXPECT_EQ(WithBrowser(a.browser, "GET", PatientA()).status, 200);
}

// Randomised: accounts are demoted, promoted, moved, disabled, enabled and given new
// passwords, in the service and through the API, while every credential ever issued is
// tried again after each change. A credential issued before an effective change of its
// account must answer 401 on every route; a current one must keep working. Prints its
// seed; at least 10,000 attempts.
TEST_F(LivePermissionsTest, NoStaleCredentialIsAcceptedAcrossRandomAccountChanges) {
  const uint32_t seed = std::random_device{}();
  std::printf("LivePermissionsTest seed %u\n", seed);
  std::mt19937 rng(seed);
  const int64_t patient_b = AddPatient("LIVE-B", RegistryFixture::kSiteB);
  const std::vector<std::string> targets = {PatientA(),
                                            "/api/v1/patients/" + std::to_string(patient_b),
                                            "/api/v1/users", "/api/v1/session"};
  struct State {
    std::string role, site, password;
    bool disabled = false;
    int epoch = 0;
  };
  struct Credential {
    std::string username;
    int epoch;
    bool token;
    std::string secret;
    Browser browser;
    bool ended = false;  // a session ended by PATCH /users/{username}, effective or not
  };
  std::map<std::string, State> accounts;
  std::vector<Credential> credentials;
  auto issue = [&](const std::string& username) {
    const State& s = accounts[username];
    if (s.disabled) return;
    auto token = stack_->accounts().IssueToken(service::Actor{username, s.role, s.site, ""},
                                               "random", "", "");
    ASSERT_TRUE(token.ok()) << token.error().ToString();
    credentials.push_back({username, s.epoch, true, token->secret, {}});
    credentials.push_back({username, s.epoch, false, "", SignIn(username, s.password)});
  };
  const std::vector<std::pair<std::string, std::string>> places = {
      {"administrator", ""},
      {"data_manager", ""},
      {"monitor", ""},
      {"investigator", RegistryFixture::kSiteA},
      {"investigator", RegistryFixture::kSiteB},
      {"data_entry", RegistryFixture::kSiteA}};
  for (int i = 0; i < 3; ++i) {
    const std::string username = "random." + std::to_string(i);
    const auto& [role, site] = places[static_cast<size_t>(i) * 2 % places.size()];
    accounts[username] = {role, site, "first-password-" + username, false, 0};
    auto user = stack_->accounts().AddAccount(AccountAdmin(),
                                              {username, role, site, accounts[username].password});
    ASSERT_TRUE(user.ok()) << user.error().ToString();
    issue(username);
  }
  int attempts = 0, stale_accepted = 0, current_refused = 0, changes = 0;
  while (attempts < 10000) {
    // One change of a random account, through the service or the API.
    auto it = accounts.begin();
    std::advance(it, rng() % accounts.size());
    const std::string username = it->first;
    State& s = it->second;
    service::AccountChange change;
    nlohmann::json patch = nlohmann::json::object();
    bool effective = true;
    switch (rng() % 5) {
      case 0: {  // a new role and site (possibly the same: no effect)
        const auto& [role, site] = places[rng() % places.size()];
        effective = role != s.role || site != s.site;
        change.role = role;
        change.site = site;
        patch = {{"role", role}, {"site", site}};
        s.role = role;
        s.site = site;
        break;
      }
      case 1:
        effective = !s.disabled;
        change.disabled = true;
        patch = {{"disabled", true}};
        s.disabled = true;
        break;
      case 2:
        effective = false;  // enabling brings no old credential back
        change.disabled = false;
        patch = {{"disabled", false}};
        s.disabled = false;
        break;
      case 3:
        s.password = "password-" + std::to_string(changes) + "-" + username;
        change.password = s.password;
        patch = {{"password", s.password}};
        break;
      default:
        effective = false;  // nothing changes
        break;
    }
    if (!patch.empty()) {
      if (rng() % 2) {
        auto r = WithToken(admin_, "PATCH", "/api/v1/users/" + username, patch);
        ASSERT_EQ(r.status, 200) << r.body;
        for (auto& c : credentials) {
          if (c.username == username && !c.token) c.ended = true;
        }
      } else {
        Change(username, change);
      }
    }
    ++changes;
    if (effective || (rng() % 4 == 0)) {
      if (effective) ++s.epoch;
      issue(username);
    }
    // Every credential ever issued, on every target.
    for (const auto& c : credentials) {
      const State& now = accounts[c.username];
      const bool stale = c.epoch != now.epoch || now.disabled || c.ended;
      for (const auto& target : targets) {
        const ApiCall r =
            c.token ? WithToken(c.secret, "GET", target) : WithBrowser(c.browser, "GET", target);
        ++attempts;
        if (stale && r.status != 401) {
          ++stale_accepted;
          ADD_FAILURE() << "stale credential of " << c.username << " got " << r.status << " on "
                        << target << " (seed " << seed << ")";
        }
        if (!stale && target == "/api/v1/session" && r.status != 200) ++current_refused;
      }
      if (stale_accepted > 10) break;
    }
    if (stale_accepted > 10 || changes > 400) break;
  }
  std::printf("%d attempts after %d changes: %d stale credentials accepted\n", attempts, changes,
              stale_accepted);
  EXPECT_GE(attempts, 10000);
  EXPECT_EQ(stale_accepted, 0);
  EXPECT_EQ(current_refused, 0) << "a current credential was refused";
}

}  // namespace
}  // namespace stream::testing
