#include "http/api_fixture.h"

#include <sodium.h>

#include "service/protocol_catalogue.h"

namespace stream::testing {

std::set<std::string>& CalledRoutes() {
  static std::set<std::string> called;
  return called;
}

void ApiFixture::SetUp() {
  registry_ = std::make_unique<RegistryFixture>();
  app::ApiStackOptions options;
  options.identity_key = std::string(32, 'k');
  options.randomisation_key = std::string(32, 'r');
  auto catalogue = service::ProtocolCatalogue::Load(std::string(STREAM_SOURCE_DIR) + "/protocols");
  ASSERT_TRUE(catalogue.ok()) << catalogue.error().ToString();
  for (const auto& p : catalogue->protocols()) options.protocols.push_back(*p);
  auto stack = app::ApiStack::Create(registry_->store(), registry_->clock(), std::move(options));
  ASSERT_TRUE(stack.ok()) << stack.error().ToString();
  stack_ = std::move(*stack);
}

namespace {

bool Matches(const std::string& pattern, const std::string& path) {
  size_t p = 0, q = 0;
  while (p < pattern.size() && q < path.size()) {
    if (pattern[p] == '{') {
      p = pattern.find('}', p) + 1;
      const size_t end = path.find('/', q);
      q = end == std::string::npos ? path.size() : end;
      continue;
    }
    if (pattern[p] != path[q]) return false;
    ++p, ++q;
  }
  return p == pattern.size() && q == path.size();
}

service::Actor Admin() { return service::Actor{"setup", "administrator", "", ""}; }

}  // namespace

std::string ApiFixture::TokenFor(const std::string& role, const std::string& site) {
  const std::string username = role + "-" + std::to_string(++users_);
  auto user = stack_->accounts().AddAccount(Admin(), {username, role, site, "a-long-password-1"});
  EXPECT_TRUE(user.ok()) << user.error().ToString();
  auto token =
      stack_->accounts().IssueToken(service::Actor{username, role, site, ""}, "test", "", "");
  EXPECT_TRUE(token.ok()) << token.error().ToString();
  return token.ok() ? token->secret : std::string();
}

ApiFixture::Browser ApiFixture::LogIn(const std::string& role, const std::string& site) {
  const std::string username = role + "-" + std::to_string(++users_);
  const std::string password = "browser-password-" + std::to_string(users_);
  auto user = stack_->accounts().AddAccount(Admin(), {username, role, site, password});
  EXPECT_TRUE(user.ok()) << user.error().ToString();
  passwords_[username] = password;
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

ApiCall ApiFixture::Send(const std::string& method, const std::string& target,
                         const nlohmann::json& body,
                         const std::map<std::string, std::string>& headers) {
  http::ApiRequest req;
  req.method = method;
  const size_t q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string rest = target.substr(q + 1);
    size_t at = 0;
    while (at <= rest.size()) {
      size_t end = rest.find('&', at);
      if (end == std::string::npos) end = rest.size();
      const std::string pair = rest.substr(at, end - at);
      const size_t eq = pair.find('=');
      if (!pair.empty())
        req.query.emplace(pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1));
      at = end + 1;
    }
  }
  req.headers = headers;
  req.headers.emplace("host", "127.0.0.1:8080");
  if (!body.is_null()) req.body = body.dump();
  req.remote_address = "127.0.0.1";
  req.request_id = "test-request";
  http::ApiResponse res = stack_->router().Handle(req);
  // Only calls the router let through to a handler count (not 401s before it).
  for (const auto& route : stack_->router().routes()) {
    if (res.status != 401 && route.method == method && Matches(route.path, req.path)) {
      CalledRoutes().insert(method + " " + route.path);
      break;
    }
  }
  ApiCall out;
  out.status = res.status;
  out.body = res.body;
  out.content_type = res.content_type;
  for (const auto& [k, v] : res.headers) {
    std::string name = k;
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = v;
  }
  if (res.content_type == "application/json" && !res.body.empty())
    out.json = nlohmann::json::parse(res.body, nullptr, false);
  return out;
}

ApiCall ApiFixture::WithToken(const std::string& token, const std::string& method,
                              const std::string& target, const nlohmann::json& body) {
  std::map<std::string, std::string> headers = {{"authorization", "Bearer " + token}};
  if (!body.is_null()) headers["content-type"] = "application/json";
  return Send(method, target, body, headers);
}

ApiCall ApiFixture::WithBrowser(const Browser& browser, const std::string& method,
                                const std::string& target, const nlohmann::json& body) {
  std::map<std::string, std::string> headers = {
      {"cookie", std::string(http::kSessionCookie) + "=" + browser.cookie},
      {"x-csrf-token", browser.csrf},
      {"origin", "http://127.0.0.1:8080"}};
  if (!body.is_null()) headers["content-type"] = "application/json";
  return Send(method, target, body, headers);
}

int64_t ApiFixture::AddPatient(const std::string& pseudonym, const std::string& site) {
  return registry_->AddAmlPatient(pseudonym, site).id;
}

void ApiFixture::ActivateProtocol(const std::string& protocol) {
  const std::string admin = TokenFor("administrator");
  for (const char* site : {RegistryFixture::kSiteA, RegistryFixture::kSiteB}) {
    auto r =
        WithToken(admin, "POST", "/api/v1/protocols/" + protocol + "/sites/" + site + "/status",
                  {{"status", "active"},
                   {"effective_on", "2000-01-01"},
                   {"approval_reference", "EC-fixture"}});
    ASSERT_EQ(r.status, 201) << r.body;
  }
}

}  // namespace stream::testing
