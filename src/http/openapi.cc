#include "http/openapi.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "http/openapi_schemas.h"
#include "http/router.h"
#include "http/routes.h"

namespace stream::http {
namespace {

using json = nlohmann::json;
using openapi::Int;
using openapi::Ref;
using openapi::Str;

json Response(const Route& r) {
  if (r.produces.empty()) return {{"description", "Done (no content)"}};
  if (r.produces.find('/') != std::string::npos) {
    json content = {{r.produces, {{"schema", Str()}}}};
    const bool json_too = std::any_of(r.query.begin(), r.query.end(),
                                      [](const QueryParam& q) { return q.name == "format"; });
    if (json_too) content["application/json"] = {{"schema", Ref("Export")}};
    return {{"description", "The export"}, {"content", content}};
  }
  return {{"description", "Success"},
          {"content", {{"application/json", {{"schema", Ref(r.produces)}}}}}};
}

// Creating routes answer 201 (a site's activation, suspension or closure is a new row);
// changes of state (an arm's status, unblinding, ending an enrolment) and checks 200.
std::string SuccessStatus(const Route& r) {
  if (r.produces.empty()) return "204";
  const bool changes_state =
      (r.path.ends_with("/status") && r.path.find("/arms/") != std::string::npos) ||
      r.path.ends_with("/unblind") || r.path.ends_with("/validation") || r.path.ends_with("/end");
  return r.method == "POST" && !changes_state ? "201" : "200";
}

bool TakesBody(const Route& r) {
  return r.method == "POST" || r.method == "PATCH" || r.method == "PUT" || r.method == "DELETE";
}

// Every error status an operation can answer, by the checks of http/router.h and the
// server's limits, each a shared response of components/responses.
std::vector<std::pair<std::string, std::string>> ErrorStatuses(const Route& r) {
  std::vector<std::pair<std::string, std::string>> out = {{"400", "MalformedRequest"}};
  if (!r.is_public) {
    out.emplace_back("401", "Unauthenticated");
    out.emplace_back("403", "PermissionDenied");
  } else if (TakesBody(r)) {
    out.emplace_back("401", "Unauthenticated");  // a wrong user name or password
  }
  if (r.path.find('{') != std::string::npos) out.emplace_back("404", "NotFound");
  if (TakesBody(r)) {
    out.emplace_back("409", "Conflict");
    out.emplace_back("413", "PayloadTooLarge");
    out.emplace_back("415", "UnsupportedMediaType");
  }
  if (TakesBody(r) || !r.query.empty()) out.emplace_back("422", "InvalidArgument");
  if (r.is_public && TakesBody(r)) out.emplace_back("429", "RateLimited");
  out.emplace_back("500", "ServerError");
  out.emplace_back("503", "Unavailable");
  if (TakesBody(r)) out.emplace_back("507", "StorageFull");
  return out;
}

json ErrorResponses() {
  auto error = [](const std::string& description) {
    return json{{"description", description},
                {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
  };
  return {
      {"MalformedRequest",
       error("malformed_request: an unreadable body, a body on a GET, a bad transfer coding")},
      {"Unauthenticated", error("unauthenticated: no valid session or token, or a wrong "
                                "user name or password")},
      {"PermissionDenied",
       error("permission_denied: the role may not do this, or a missing CSRF token")},
      {"NotFound", error("not_found: no such object, or one the caller may not see (another "
                         "site's patient is answered exactly as a missing one)")},
      {"Conflict", error("conflict or already_exists: the object changed meanwhile (stale "
                         "version), the state forbids the change, or a unique value is taken")},
      {"PayloadTooLarge", error("payload_too_large: a body over the server's limit")},
      {"UnsupportedMediaType",
       error("unsupported_media_type: a body that is not application/json, or compressed")},
      {"InvalidArgument", error("invalid_argument or reason_required: a member, field or "
                                "query parameter is missing, unknown, of the wrong type or "
                                "out of range (`where` names it)")},
      {"RateLimited", error("rate_limited: too many failed log-ins; wait and try again")},
      {"ServerError", error("storage_error, integrity_violation, crypto_error or internal")},
      {"Unavailable", error("busy, serialization_failure (both safe to retry), "
                            "schema_outdated or schema_too_new")},
      {"StorageFull", error("storage_full: the disk is full; nothing was written")},
  };
}

// getPatientsByIdRecordsByKind for GET /api/v1/patients/{id}/records/{kind}: unique, as
// method and path are.
std::string OperationId(const Route& r) {
  std::string id;
  for (char c : r.method) id += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string path = r.path.substr(std::string("/api/v1").size());
  bool upper = true;
  for (char c : path) {
    if (c == '/' || c == '}') {
      upper = true;
    } else if (c == '{') {
      id += "By";
      upper = true;
    } else if (c == '_' || c == '-' || c == '.') {
      upper = true;
    } else {
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return id;
}

std::string Description(const Route& r) {
  std::string out = r.summary + ".";
  for (const auto& q : r.query) out += " `" + q.name + "`: " + q.description + ".";
  if (r.is_public) out += " Answers without authentication.";
  return out;
}

// The members an answer may leave out, by schema (at any depth of it): omitted for a role
// (statisticians get no patient ids), present only in a state (an ended enrolment), or
// filled in for one kind of row. Every other member of an answer's object is always there
// and declared required, so that generated clients type it as present; the contract
// test (tests/contract/run.mjs) holds the server to it.
const std::map<std::string, std::set<std::string>>& OptionalAnswerMembers() {
  static const std::map<std::string, std::set<std::string>> optional = {
      {"Enrolment", {"id", "patient_id", "stratum", "off_study_date", "off_study_reason"}},
      {"EnrolmentOutcome", {"enrolment", "reasons"}},
      {"Screening", {"patient_id", "pseudonym", "site", "attestations", "refusals"}},
      {"SchemaField",
       {"codes", "code_labels", "min", "max", "format", "format_description", "not_before"}},
      {"ProtocolDashboard",
       {"target", "cap", "landmark_days", "follow_up_days", "first", "last", "days", "competing"}},
      {"Survival", {"competing"}},
      {"RegistryDashboard", {"patient_id"}},
      {"Protocol", {"accrual", "cap", "sponsor", "population", "eudract_id", "criteria"}},
      {"AuditEntry", {"patient_id", "field", "reason", "request_id", "site"}},
      {"Session", {"expires_at"}},
      {"User", {"site"}},
      {"Token", {"site"}},
  };
  return optional;
}

void RequireMembers(json& schema, const std::set<std::string>& optional) {
  if (schema.contains("items")) RequireMembers(schema["items"], optional);
  if (!schema.contains("properties")) return;
  std::vector<std::string> required;
  for (auto& [name, member] : schema["properties"].items()) {
    RequireMembers(member, optional);
    if (!optional.count(name)) required.push_back(name);
  }
  if (!schema.contains("required") && !required.empty()) schema["required"] = required;
}

// An example of each request body, as a client would send it (OpenAPI `example`).
void AddRequestExamples(json& schemas) {
  const std::map<std::string, json> examples = {
      {"Credentials", {{"username", "investigator.it-fo-01"}, {"password", "a long passphrase"}}},
      {"NewToken", {{"label", "nightly export"}}},
      {"NewUser",
       {{"username", "monitor.de-dd-01"},
        {"role", "monitor"},
        {"site", "DE-DD-01"},
        {"password", "at least twelve characters"}}},
      {"UserChange", {{"role", "data_manager"}, {"disabled", false}}},
      {"Site", {{"code", "IT-FO-01"}, {"name", "Forlì"}, {"country", "IT"}}},
      {"Change",
       {{"version", 1},
        {"reason", "source document verified"},
        {"changes", {{"marrow_blasts", 3.5}}}}},
      {"Deletion", {{"version", 2}, {"reason", "entered for the wrong patient"}}},
      {"Reason", {{"reason", "anaphylaxis: the treating team must know the arm"}}},
      {"ArmStatus", {{"status", "closed"}, {"reason", "futility at the interim analysis"}}},
      {"EnrolmentRequest",
       {{"patient_id", 7},
        {"idempotency_key", "2026-11-21-001"},
        {"attestations", {{"fit_for_intensive_chemotherapy", true}}}}},
      {"EnrolmentEnding",
       {{"off_study_date", "2026-03-01"},
        {"reason", "progression"},
        {"note", "relapse on day 84"}}},
      {"SiteActivationRequest",
       {{"status", "active"},
        {"effective_on", "2026-01-15"},
        {"approval_reference", "EC-2026-014"}}},
      {"AttestationRequest",
       {{"protocol", "impact-aml-rpct"},
        {"attestations", {{"fit_for_intensive_chemotherapy", true}}}}},
      {"RecordCheck",
       {{"patient_id", 7},
        {"fields", {{"assessment_date", "2026-02-01"}, {"marrow_blasts", 3.5}}}}},
      {"ProtocolSource", {{"yaml", "id: my-trial\nversion: \"1.0\"\n..."}}},
  };
  for (const auto& [name, example] : examples) {
    if (schemas.contains(name)) schemas[name]["example"] = example;
  }
}

// The schemas as published: request bodies with an example and the required members
// written with them; every answer's members required but the optional ones.
json CompletedSchemas(json schemas, const std::vector<Route>& routes) {
  AddRequestExamples(schemas);
  std::set<std::string> bodies;
  for (const auto& r : routes) bodies.insert(r.body);
  for (auto& [name, schema] : schemas.items()) {
    if (bodies.count(name) || name.ends_with("Record")) continue;  // records: from the model
    const auto it = OptionalAnswerMembers().find(name);
    RequireMembers(schema,
                   it == OptionalAnswerMembers().end() ? std::set<std::string>() : it->second);
  }
  return schemas;
}

}  // namespace

json OpenApiDocument(const std::vector<Route>& routes) {
  json paths = json::object();
  std::set<std::string> tags;
  for (const auto& r : routes) {
    std::string method = r.method;
    for (auto& ch : method) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    json op = {{"operationId", OperationId(r)},
               {"summary", r.summary},
               {"description", Description(r)},
               {"tags", {r.tag}}};
    tags.insert(r.tag);
    json params = json::array();
    for (size_t at = r.path.find('{'); at != std::string::npos; at = r.path.find('{', at + 1)) {
      const std::string name = r.path.substr(at + 1, r.path.find('}', at) - at - 1);
      const bool numeric = name == "id";
      params.push_back({{"name", name},
                        {"in", "path"},
                        {"required", true},
                        {"schema", numeric ? Int() : Str()}});
    }
    for (const auto& q : r.query) {
      params.push_back({{"name", q.name},
                        {"in", "query"},
                        {"required", false},
                        {"description", q.description},
                        {"schema", q.type == "integer" ? Int() : Str()}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (!r.body.empty()) {
      op["requestBody"] = {{"required", true},
                           {"content", {{"application/json", {{"schema", Ref(r.body)}}}}}};
    }
    const std::string ok = SuccessStatus(r);
    json responses = {{ok, Response(r)}};
    if (r.body == "EnrolmentRequest") {
      // A replayed key, or a refusal (not eligible, arm closed or full): outcomes, not errors.
      responses["200"] = {
          {"description", "Replayed (the original allocation) or refused (with the reasons)"},
          {"content", {{"application/json", {{"schema", Ref("EnrolmentOutcome")}}}}}};
    }
    for (const auto& [status, name] : ErrorStatuses(r)) {
      responses[status] = {{"$ref", "#/components/responses/" + name}};
    }
    op["responses"] = responses;
    if (r.is_public) op["security"] = json::array();
    paths[r.path][method] = op;
  }
  json tag_list = json::array();
  for (const auto& t : tags) tag_list.push_back({{"name", t}});
  return {
      {"openapi", "3.0.3"},
      {"info",
       {{"title", "STREAM API"},
        {"version", "1"},
        {"description",
         "The registry and master-protocol engine for relapsed/refractory acute leukaemia. "
         "Authenticate with the session cookie (POST /api/v1/session) and send the CSRF token "
         "as X-CSRF-Token on state-changing requests, or with an API token (Authorization: "
         "Bearer stk_…). Bodies are JSON; errors have one shape (Error)."}}},
      {"servers", json::array({{{"url", "/"}}})},
      {"tags", tag_list},
      {"paths", paths},
      {"components",
       {{"schemas", CompletedSchemas(openapi::ComponentSchemas(), routes)},
        {"responses", ErrorResponses()},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", json::array({{{"session", json::array()}}, {{"token", json::array()}}})},
  };
}

const json& OpenApiSchemas() {
  static const json schemas = CompletedSchemas(openapi::ComponentSchemas(), AllRoutes());
  return schemas;
}

std::string ApiReferenceMarkdown(const std::vector<Route>& routes) {
  std::string out =
      "# API reference\n\n"
      "<!-- Generated from the route table by `stream api reference`; do not edit. "
      "A test fails when this file differs. -->\n\n"
      "Every route is under `/api/v1`. Bodies are JSON (`Content-Type: application/json`). "
      "Authenticate with the session cookie from `POST /api/v1/session` (and send its "
      "`csrf_token` as `X-CSRF-Token` on every POST, PATCH and DELETE), or with an API token "
      "as `Authorization: Bearer stk_…`. Errors always have the shape "
      "`{\"error\": {\"code\", \"message\", \"where\", \"request_id\"}}`; the codes are those "
      "of the error catalogue (`not_found` 404, `invalid_argument` 422, `unauthenticated` 401, "
      "`permission_denied` 403, `conflict` 409, `reason_required` 422, `rate_limited` 429, "
      "`malformed_request` 400, `method_not_allowed` 405, `payload_too_large` 413, "
      "`unsupported_media_type` 415; `where` names the member, field, query parameter or "
      "header at fault, empty when none is). A request body must be the JSON object its "
      "schema describes: an unknown member, a member of the wrong type or a missing required "
      "one is refused with 422 naming it. "
      "Another site's patient or record is always answered exactly as a missing one (404). "
      "The machine-readable description is `GET /api/v1/openapi.json` "
      "([openapi.json](openapi.json)): every operation with its `operationId`, every status it "
      "can answer and one schema per record kind; `tests/contract/run.mjs` holds the server to "
      "it. From R and Python use the clients in the repository, "
      "[clients/r](../clients/r/README.md) and [clients/python](../clients/python/README.md) "
      "(a five-line example of each is in the user guide, \"From R and Python\").\n";
  std::string tag;
  for (const auto& r : routes) {
    if (r.tag != tag) {
      tag = r.tag;
      out += "\n## " + tag + "\n\n| method | path | what it does | auth |\n|---|---|---|---|\n";
    }
    std::string summary = r.summary;
    for (const auto& q : r.query) summary += "; `?" + q.name + "=` " + q.description;
    if (!r.body.empty()) summary += " (body: " + r.body + ")";
    std::string escaped;
    for (char c : summary) escaped += c == '|' ? std::string("\\|") : std::string(1, c);
    out += "| " + r.method + " | `" + r.path + "` | " + escaped + " | " +
           (r.is_public ? "public" : "session or token") + " |\n";
  }
  return out;
}

void AddOpenApiRoute(std::vector<Route>& routes) {
  routes.push_back({"GET",
                    "/api/v1/openapi.json",
                    "meta",
                    "This API's OpenAPI 3 description",
                    true,
                    {},
                    "",
                    "OpenApi",
                    [](Call&) -> Result<Reply> {
                      static const json document =
                          OpenApiDocument(AllRoutes());  // the same every time
                      return Reply::Json(document);
                    }});
}

}  // namespace stream::http
