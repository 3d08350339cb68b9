// POST /session (log in), GET /session (who am I, and the CSRF token), DELETE /session.
#include "http/routes.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

std::string SessionCookie(const std::string& value, bool clear) {
  // __Host-: Secure, Path=/ and no Domain, so no sub-domain can plant or read it.
  return std::string(kSessionCookie) + "=" + value + "; Path=/; Secure; HttpOnly; SameSite=Strict" +
         (clear ? "; Max-Age=0" : "");
}

nlohmann::json SessionJson(const service::SessionInfo& s) {
  nlohmann::json permissions = nlohmann::json::array();
  for (auto p : service::PermissionsOf(s.actor.role)) permissions.push_back(service::Name(p));
  return {{"username", s.actor.username}, {"role", s.actor.role},
          {"site", s.actor.site},         {"permissions", permissions},
          {"csrf_token", s.csrf_token},   {"expires_at", s.expires_at.ToString()}};
}

}  // namespace

void AddSessionRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"POST",
       "/api/v1/session",
       "session",
       "Log in with a user name and password; sets the session cookie and returns the CSRF "
       "token",
       true,
       {},
       "Credentials",
       "Session",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(auto username, c.Text("username"));
         STREAM_ASSIGN_OR_RETURN(auto password, c.Text("password"));
         STREAM_ASSIGN_OR_RETURN(
             auto user, c.services.accounts.LogIn(username, password, c.request.remote_address));
         // A new session id at every log-in; a session presented with the request ends.
         const std::string old = c.request.Cookie(kSessionCookie);
         if (!old.empty()) c.services.sessions.End(old);
         auto session = c.services.sessions.Start(user);
         Reply r = Reply::Json(SessionJson(session.info), 201);
         r.headers.emplace_back("Set-Cookie", SessionCookie(session.id, false));
         return r;
       }});
  routes.push_back({"GET",
                    "/api/v1/session",
                    "session",
                    "The signed-in user, their role and site, and the CSRF token",
                    false,
                    {},
                    "",
                    "Session",
                    [](Call& c) -> Result<Reply> {
                      if (c.session_id.empty()) {
                        return Reply::Json({{"username", c.actor.username},
                                            {"role", c.actor.role},
                                            {"site", c.actor.site},
                                            {"token", true}});
                      }
                      auto s = c.services.sessions.Find(c.session_id);
                      if (!s) return Fail(ErrorCode::kUnauthenticated, "the session has ended");
                      return Reply::Json(SessionJson(*s));
                    }});
  routes.push_back({"DELETE",
                    "/api/v1/session",
                    "session",
                    "Log out: ends the session",
                    false,
                    {},
                    "",
                    "",
                    [](Call& c) -> Result<Reply> {
                      if (!c.session_id.empty()) {
                        if (auto s = c.services.sessions.Find(c.session_id)) {
                          STREAM_RETURN_IF_ERROR(
                              c.services.accounts.LogOut(s->actor, c.request.remote_address));
                        }
                        c.services.sessions.End(c.session_id);
                      }
                      Reply r;
                      r.status = 204;
                      r.headers.emplace_back("Set-Cookie", SessionCookie("", true));
                      return r;
                    }});
}

}  // namespace stream::http
