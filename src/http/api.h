// The REST API's vocabulary (issue #5): a request as the router sees it, the reply a
// handler gives, and the services handlers call. Nothing here knows cpp-httplib, so the
// router is tested in-process and the server only translates.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "service/account_service.h"
#include "service/actor.h"
#include "service/audit_query.h"
#include "service/dashboard_service.h"
#include "service/enrolment_service.h"
#include "service/export_service.h"
#include "service/protocol_service.h"
#include "service/registry_service.h"
#include "service/session_registry.h"
#include "service/study_pseudonyms.h"

namespace stream::http {

inline constexpr char kApiPrefix[] = "/api/v1";
inline constexpr char kSessionCookie[] = "__Host-stream_session";

struct ApiRequest {
  std::string method;  // GET, POST, PATCH, DELETE
  std::string path;    // without the query string
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  std::string remote_address;
  std::string request_id;

  std::string Header(const std::string& lower_name) const;
  std::optional<std::string> Query(const std::string& name) const;
  std::string Cookie(const std::string& name) const;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

// What a handler returns: JSON (the usual), or text of another type (CSV exports).
struct Reply {
  int status = 200;
  nlohmann::json json;
  std::optional<std::string> text;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;

  static Reply Json(nlohmann::json body, int status = 200) {
    Reply r;
    r.json = std::move(body);
    r.status = status;
    return r;
  }
};

// The services behind the API, owned by the composition root (app).
struct ApiServices {
  service::RegistryService& registry;
  service::AccountService& accounts;
  service::SessionRegistry& sessions;
  service::ProtocolService& protocols;
  service::EnrolmentService& enrolments;
  service::ExportService& exports;
  service::AuditQuery& audit;
  service::DashboardService& dashboards;
  const service::StudyPseudonyms& pseudonyms;
  const Clock& clock;
  // The origin browsers must send on state-changing requests, e.g. "https://stream.example";
  // empty: derived from the Host header.
  std::string public_origin;
};

// One call of a handler: the request, its path parameters, its JSON body and the actor.
struct Call {
  const ApiRequest& request;
  std::map<std::string, std::string> params;
  nlohmann::json body;  // null when the request has no body
  service::Actor actor;
  std::string session_id;  // when authenticated by cookie
  ApiServices& services;

  // Path parameter as an id; kNotFound when it is not a positive integer.
  Result<int64_t> IdParam(const std::string& name) const;
  // Query parameter as an integer within [min, max], or `fallback` when absent.
  Result<int64_t> IntQuery(const std::string& name, int64_t fallback, int64_t min,
                           int64_t max) const;
  // Body member as a string (required or not).
  Result<std::string> Text(const std::string& member, bool required = true) const;
};

using Handler = std::function<Result<Reply>(Call&)>;

struct QueryParam {
  std::string name;
  std::string type;  // integer | string | boolean
  std::string description;
};

struct Route {
  std::string method;
  std::string path;  // "/api/v1/patients/{id}"; {name} segments are parameters
  std::string tag;
  std::string summary;
  bool is_public = false;
  std::vector<QueryParam> query;
  // The request body's schema in the OpenAPI description; the router checks every body
  // against it (http/body_contract.h). "" when the route takes none.
  std::string body;
  std::string produces;  // the response: a schema name, or "text/csv" etc.
  Handler handler;
};

}  // namespace stream::http
