#include "http/router.h"

#include <sodium.h>

#include <algorithm>

#include "http/body_contract.h"
#include "http/openapi.h"
#include "http/routes.h"
#include "interop/strict_json.h"

namespace stream::http {
namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool Match(const std::string& pattern, const std::string& path,
           std::map<std::string, std::string>& params) {
  const auto want = Segments(pattern), got = Segments(path);
  if (want.size() != got.size()) return false;
  std::map<std::string, std::string> found;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (got[i].empty()) return false;
      found[want[i].substr(1, want[i].size() - 2)] = got[i];
    } else if (want[i] != got[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

bool ChangesState(const std::string& method) { return method != "GET" && method != "HEAD"; }

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && !a.empty() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

Status CheckOrigin(const ApiRequest& request, const std::string& public_origin) {
  const std::string origin = request.Header("origin");
  if (request.Header("sec-fetch-site") == "cross-site")
    return Fail(ErrorCode::kPermissionDenied, "cross-site request refused", "Origin");
  if (origin.empty()) return Ok();  // not a browser, or a same-origin GET-like request
  const std::string host = request.Header("host");
  const bool same = public_origin.empty()
                        ? (origin == "http://" + host || origin == "https://" + host)
                        : origin == public_origin;
  if (!same) return Fail(ErrorCode::kPermissionDenied, "request from a foreign origin", "Origin");
  return Ok();
}

}  // namespace

std::string ApiRequest::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  return it == headers.end() ? std::string() : it->second;
}

std::optional<std::string> ApiRequest::Query(const std::string& name) const {
  auto it = query.find(name);
  if (it == query.end()) return std::nullopt;
  return it->second;
}

std::string ApiRequest::Cookie(const std::string& name) const {
  const std::string header = Header("cookie");
  size_t at = 0;
  while (at < header.size()) {
    size_t end = header.find(';', at);
    if (end == std::string::npos) end = header.size();
    std::string pair = header.substr(at, end - at);
    pair.erase(0, pair.find_first_not_of(' '));
    if (pair.rfind(name + "=", 0) == 0) return pair.substr(name.size() + 1);
    at = end + 1;
  }
  return {};
}

Result<int64_t> Call::IdParam(const std::string& name) const {
  auto it = params.find(name);
  const std::string text = it == params.end() ? "" : it->second;
  int64_t value = 0;
  if (text.empty() || text.size() > 18 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Fail(ErrorCode::kNotFound, "no such " + name + " '" + text + "'");
  }
  value = std::stoll(text);
  if (value <= 0) return Fail(ErrorCode::kNotFound, "no such " + name + " '" + text + "'");
  return value;
}

Result<int64_t> Call::IntQuery(const std::string& name, int64_t fallback, int64_t min,
                               int64_t max) const {
  auto text = request.Query(name);
  if (!text) return fallback;
  const bool digits = !text->empty() && text->size() <= 18 &&
                      std::all_of(text->begin() + (text->front() == '-' ? 1 : 0), text->end(),
                                  [](char c) { return c >= '0' && c <= '9'; });
  if (!digits) return Fail(ErrorCode::kInvalidArgument, "expected an integer", name);
  const int64_t value = std::stoll(*text);
  if (value < min || value > max) {
    return Fail(ErrorCode::kInvalidArgument,
                "must be between " + std::to_string(min) + " and " + std::to_string(max), name);
  }
  return value;
}

Result<std::string> Call::Text(const std::string& member, bool required) const {
  if (!body.is_object() || !body.contains(member) || body[member].is_null()) {
    if (required) return Fail(ErrorCode::kInvalidArgument, "is required", member);
    return std::string();
  }
  if (!body[member].is_string())
    return Fail(ErrorCode::kInvalidArgument, "expected a string", member);
  return body[member].get<std::string>();
}

ApiResponse ErrorResponse(const Error& error, const std::string& request_id) {
  const ErrorInfo& info = Describe(error.code);
  ApiResponse r;
  r.status = info.http_status;
  nlohmann::json e = {{"code", info.name},
                      {"message", error.message},
                      {"where", error.where},
                      {"request_id", request_id}};
  r.body = nlohmann::json{{"error", e}}.dump();
  return r;
}

const std::vector<std::string>& PublicRoutes() {
  static const std::vector<std::string> routes = {
      "POST /api/v1/session",
      "GET /api/v1/openapi.json",
  };
  return routes;
}

std::vector<Route> AllRoutes() {
  std::vector<Route> routes;
  AddSessionRoutes(routes);
  AddAccountRoutes(routes);
  AddFormRoutes(routes);
  AddRegistryRoutes(routes);
  AddProtocolRoutes(routes);
  AddDashboardRoutes(routes);
  AddAuditRoutes(routes);
  AddExportRoutes(routes);
  AddOpenApiRoute(routes);
  return routes;
}

Router::Router(ApiServices& services) : services_(services), routes_(AllRoutes()) {}

ApiResponse Router::Handle(const ApiRequest& request) const {
  auto fail = [&](const Error& e) {
    ApiResponse r = ErrorResponse(e, request.request_id);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
  };
  const Route* route = nullptr;
  std::map<std::string, std::string> params;
  bool path_known = false;
  for (const auto& r : routes_) {
    std::map<std::string, std::string> p;
    if (!Match(r.path, request.path, p)) continue;
    path_known = true;
    if (r.method == request.method) {
      route = &r;
      params = std::move(p);
      break;
    }
  }
  if (!route && path_known) {
    return fail(Fail(ErrorCode::kMethodNotAllowed,
                     "method " + request.method + " is not allowed here", "method"));
  }
  if (!route) return fail(Fail(ErrorCode::kNotFound, "no such API route", request.path));

  // 1–2. The body: JSON only, bounded depth.
  nlohmann::json body;
  if (!request.body.empty()) {
    const std::string type = request.Header("content-type");
    if (type.rfind("application/json", 0) != 0) {
      return fail(Fail(ErrorCode::kUnsupportedMediaType, "request bodies must be application/json",
                       "Content-Type"));
    }
    auto parsed = interop::ParseStrictJson(request.body, kMaxJsonDepth, "body");
    if (!parsed.ok()) return fail(parsed.error());
    body = std::move(*parsed);
  }

  // 3. Who asks.
  service::Actor actor;
  std::string session_id;
  bool by_cookie = false;
  std::string csrf_token;
  if (!route->is_public) {
    const std::string authorization = request.Header("authorization");
    if (authorization.rfind("Bearer ", 0) == 0) {
      auto a = services_.accounts.ActorForToken(authorization.substr(7));
      if (!a.ok()) return fail(a.error());
      actor = *a;
    } else {
      session_id = request.Cookie(kSessionCookie);
      auto session = services_.sessions.Find(session_id);
      if (!session) {
        return fail(Fail(ErrorCode::kUnauthenticated, "log in first (no valid session or token)"));
      }
      // Live permissions: the account as it is now, not as it was at log-in.
      auto live = services_.accounts.ActorForSession(session->actor, session->credential_stamp);
      if (!live.ok()) {
        if (live.error().code == ErrorCode::kUnauthenticated) services_.sessions.End(session_id);
        return fail(live.error());
      }
      actor = *live;
      csrf_token = session->csrf_token;
      by_cookie = true;
    }
  }
  actor.request_id = request.request_id;

  // 4. CSRF: the browser's ambient cookie must not be enough to change anything.
  if (ChangesState(request.method)) {
    if (Status s = CheckOrigin(request, services_.public_origin); !s.ok()) return fail(s.error());
    if (by_cookie && !SameSecret(request.Header("x-csrf-token"), csrf_token)) {
      return fail(
          Fail(ErrorCode::kPermissionDenied, "missing or wrong CSRF token", "X-CSRF-Token"));
    }
  }

  // 5. The body as its schema in the OpenAPI document declares it.
  if (!route->body.empty()) {
    if (Status s = CheckBody(body, OpenApiSchemas(), route->body); !s.ok()) return fail(s.error());
  } else if (!body.is_null() && !(body.is_object() && body.empty())) {
    return fail(Fail(ErrorCode::kInvalidArgument, "this operation takes no body", "body"));
  }

  Call call{request, std::move(params), std::move(body), actor, session_id, services_};
  Result<Reply> reply = Error{};
  try {
    reply = route->handler(call);
  } catch (const std::exception& e) {
    reply = Fail(ErrorCode::kInternal, "unexpected failure");
  }
  if (!reply.ok()) return fail(reply.error());
  ApiResponse out;
  out.status = reply->status;
  out.headers = std::move(reply->headers);
  out.headers.emplace_back("Cache-Control", "no-store");
  if (reply->text) {
    out.content_type = reply->content_type;
    out.body = std::move(*reply->text);
  } else {
    out.body = reply->status == 204 ? std::string() : reply->json.dump();
  }
  return out;
}

}  // namespace stream::http
