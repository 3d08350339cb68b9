// Sites, user accounts and API tokens.
#include "http/routes.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

nlohmann::json TokenJson(const ApiToken& t) {
  return {{"id", t.id},          {"label", t.label}, {"username", t.username},
          {"role", t.role},      {"site", t.site},   {"created_at", t.created_at.ToString()},
          {"revoked", t.revoked}};
}

Result<std::optional<std::string>> OptionalText(const Call& c, const std::string& member) {
  if (!c.body.is_object() || !c.body.contains(member)) return std::optional<std::string>();
  if (!c.body[member].is_string())
    return Fail(ErrorCode::kInvalidArgument, "expected a string", member);
  return std::optional<std::string>(c.body[member].get<std::string>());
}

}  // namespace

nlohmann::json UserJson(const User& u) {
  return {{"id", u.id},
          {"username", u.username},
          {"role", u.role},
          {"site", u.site},
          {"disabled", u.disabled}};
}

nlohmann::json SiteJson(const Site& s) {
  return {{"id", s.id}, {"code", s.code}, {"name", s.name}, {"country", s.country}};
}

void AddAccountRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET",
                    "/api/v1/sites",
                    "sites",
                    "Every site of the registry",
                    false,
                    {},
                    "",
                    "SiteList",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto sites, c.services.registry.ListSites(c.actor));
                      nlohmann::json items = nlohmann::json::array();
                      for (const auto& s : sites) items.push_back(SiteJson(s));
                      return Reply::Json({{"items", items}});
                    }});
  routes.push_back({"POST",
                    "/api/v1/sites",
                    "sites",
                    "Add a site (administrators)",
                    false,
                    {},
                    "Site",
                    "Site",
                    [](Call& c) -> Result<Reply> {
                      Site site;
                      STREAM_ASSIGN_OR_RETURN(site.code, c.Text("code"));
                      STREAM_ASSIGN_OR_RETURN(site.name, c.Text("name"));
                      STREAM_ASSIGN_OR_RETURN(site.country, c.Text("country"));
                      STREAM_ASSIGN_OR_RETURN(auto added,
                                              c.services.registry.AddSite(c.actor, site));
                      return Reply::Json(SiteJson(added), 201);
                    }});
  routes.push_back({"GET",
                    "/api/v1/users",
                    "users",
                    "Every account (administrators)",
                    false,
                    {},
                    "",
                    "UserList",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto users,
                                              c.services.accounts.ListAccounts(c.actor));
                      nlohmann::json items = nlohmann::json::array();
                      for (const auto& u : users) items.push_back(UserJson(u));
                      return Reply::Json({{"items", items}, {"roles", service::Roles()}});
                    }});
  routes.push_back({"POST",
                    "/api/v1/users",
                    "users",
                    "Add an account with a role (and a site for site roles)",
                    false,
                    {},
                    "NewUser",
                    "User",
                    [](Call& c) -> Result<Reply> {
                      service::NewAccount a;
                      STREAM_ASSIGN_OR_RETURN(a.username, c.Text("username"));
                      STREAM_ASSIGN_OR_RETURN(a.role, c.Text("role"));
                      STREAM_ASSIGN_OR_RETURN(a.site, c.Text("site", false));
                      STREAM_ASSIGN_OR_RETURN(a.password, c.Text("password"));
                      STREAM_ASSIGN_OR_RETURN(auto user,
                                              c.services.accounts.AddAccount(c.actor, a));
                      return Reply::Json(UserJson(user), 201);
                    }});
  routes.push_back({"PATCH",
                    "/api/v1/users/{username}",
                    "users",
                    "Change an account's role, site, password or disabled flag; ends its sessions",
                    false,
                    {},
                    "UserChange",
                    "User",
                    [](Call& c) -> Result<Reply> {
                      service::AccountChange change;
                      STREAM_ASSIGN_OR_RETURN(change.role, OptionalText(c, "role"));
                      STREAM_ASSIGN_OR_RETURN(change.site, OptionalText(c, "site"));
                      STREAM_ASSIGN_OR_RETURN(change.password, OptionalText(c, "password"));
                      if (c.body.is_object() && c.body.contains("disabled")) {
                        if (!c.body["disabled"].is_boolean())
                          return Fail(ErrorCode::kInvalidArgument, "expected true or false",
                                      "disabled");
                        change.disabled = c.body["disabled"].get<bool>();
                      }
                      const std::string username = c.params.at("username");
                      STREAM_ASSIGN_OR_RETURN(
                          auto user, c.services.accounts.ChangeAccount(c.actor, username, change));
                      c.services.sessions.EndAllOf(username);
                      return Reply::Json(UserJson(user));
                    }});
  routes.push_back({"GET",
                    "/api/v1/tokens",
                    "tokens",
                    "Your API tokens (administrators: every token)",
                    false,
                    {},
                    "",
                    "TokenList",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto tokens, c.services.accounts.ListTokens(c.actor));
                      nlohmann::json items = nlohmann::json::array();
                      for (const auto& t : tokens) items.push_back(TokenJson(t));
                      return Reply::Json({{"items", items}});
                    }});
  routes.push_back({"POST",
                    "/api/v1/tokens",
                    "tokens",
                    "Issue an API token for scripts; the secret is in this response only",
                    false,
                    {},
                    "NewToken",
                    "IssuedToken",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto label, c.Text("label"));
                      STREAM_ASSIGN_OR_RETURN(auto role, c.Text("role", false));
                      STREAM_ASSIGN_OR_RETURN(auto site, c.Text("site", false));
                      STREAM_ASSIGN_OR_RETURN(
                          auto issued, c.services.accounts.IssueToken(c.actor, label, role, site));
                      nlohmann::json body = TokenJson(issued.token);
                      body["secret"] = issued.secret;
                      return Reply::Json(body, 201);
                    }});
  routes.push_back({"DELETE",
                    "/api/v1/tokens/{id}",
                    "tokens",
                    "Revoke an API token",
                    false,
                    {},
                    "",
                    "",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      STREAM_RETURN_IF_ERROR(c.services.accounts.RevokeToken(c.actor, id));
                      Reply r;
                      r.status = 204;
                      return r;
                    }});
}

}  // namespace stream::http
