// What the browser app's forms need: the data model with every fact a form checks
// (types, units, codes, bounds, text formats, date orders), and a check of a record as
// entered that answers every problem at once, with the messages the create routes give.
#include "core/validation.h"
#include "http/routes.h"
#include "interop/codebook.h"
#include "interop/record_json.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

// The members of a create body that are not fields (registry_routes.cc ignores the same).
const std::vector<std::string> kEnvelope = {"version", "reason", "identity"};

nlohmann::json FieldJson(const FieldSpec& f) {
  nlohmann::json field = {
      {"name", f.name}, {"type", ToString(f.type)},     {"required", f.required},
      {"unit", f.unit}, {"description", f.description}, {"code_system", f.code_system}};
  if (!f.codes.empty()) {
    field["codes"] = std::vector<std::string>(f.codes.begin(), f.codes.end());
    for (auto c : f.codes) field["code_labels"][std::string(c)] = CodeLabel(c);
  }
  if (f.min) field["min"] = *f.min;
  if (f.max) field["max"] = *f.max;
  if (f.format != TextFormat::kFree) {
    field["format"] = ToString(f.format);
    field["format_description"] = Describe(f.format);
  }
  if (!f.not_before.empty()) field["not_before"] = f.not_before;
  // Who may see the field; a reader outside `seen_by` gets records without it.
  field["audience"] = ToString(f.audience);
  field["seen_by"] = service::RolesSeeing(f.audience);
  return field;
}

nlohmann::json KindJson(const KindSpec& kind) {
  nlohmann::json fields = nlohmann::json::array();
  for (const auto& f : kind.fields) fields.push_back(FieldJson(f));
  return {{"name", kind.name}, {"description", kind.description}, {"fields", fields}};
}

Result<const KindSpec*> AnyKind(const Call& c) {
  const std::string name = c.params.at("kind");
  if (name == PatientKind().name) return &PatientKind();
  const KindSpec* kind = FindKind(name);
  if (!kind) return Fail(ErrorCode::kNotFound, "no record kind '" + name + "'", "kind");
  return kind;
}

// {"fields": {...}, "patient_id": n}: anything else is named as the error.
Result<std::optional<int64_t>> CheckedBody(const nlohmann::json& body) {
  if (!body.is_object())
    return Fail(ErrorCode::kInvalidArgument, "expected {\"fields\": {...}, \"patient_id\": n}",
                "body");
  for (const auto& [key, value] : body.items()) {
    if (key != "fields" && key != "patient_id")
      return Fail(ErrorCode::kInvalidArgument, "unknown member; expected fields and patient_id",
                  key);
  }
  if (!body.contains("fields") || !body["fields"].is_object())
    return Fail(ErrorCode::kInvalidArgument, "expected an object of field values", "fields");
  if (!body.contains("patient_id") || body["patient_id"].is_null()) return std::optional<int64_t>();
  const auto& id = body["patient_id"];
  if (!id.is_number_integer() || id.get<int64_t>() <= 0)
    return Fail(ErrorCode::kInvalidArgument, "expected a patient id (a positive integer)",
                "patient_id");
  return std::optional<int64_t>(id.get<int64_t>());
}

// An error as one entry of the answer: the field it names (a JSON pointer "/vaf" is the
// field vaf), or null for the record as a whole.
nlohmann::json ProblemJson(const Error& e) {
  std::string field = e.where;
  if (!field.empty() && field.front() == '/') field.erase(0, 1);
  return {{"field", field.empty() ? nlohmann::json(nullptr) : nlohmann::json(field)},
          {"message", e.message},
          {"code", Describe(e.code).name}};
}

Result<Reply> CheckRecord(Call& c) {
  STREAM_ASSIGN_OR_RETURN(auto kind, AnyKind(c));
  STREAM_ASSIGN_OR_RETURN(auto patient_id, CheckedBody(c.body));
  const nlohmann::json& fields = c.body["fields"];
  STREAM_ASSIGN_OR_RETURN(auto read, interop::ReadJsonRecord(*kind, fields, kEnvelope));
  STREAM_ASSIGN_OR_RETURN(auto problems,
                          c.services.registry.CheckRecord(c.actor, *kind, read.fields, patient_id));
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : read.unknown) errors.push_back(ProblemJson(e));
  if (kind == &PatientKind() && fields.contains("identity") && !fields["identity"].is_object())
    errors.push_back(
        ProblemJson(Fail(ErrorCode::kInvalidArgument, "expected an object", "identity")));
  for (const auto& e : problems) errors.push_back(ProblemJson(e));
  return Reply::Json({{"errors", errors}});
}

}  // namespace

void AddFormRoutes(std::vector<Route>& routes) {
  routes.push_back({"GET",
                    "/api/v1/schema",
                    "registry",
                    "The data model: every record kind with its fields, types, units, codes, "
                    "text formats and date orders",
                    false,
                    {},
                    "",
                    "Schema",
                    [](Call&) -> Result<Reply> {
                      nlohmann::json kinds = nlohmann::json::array();
                      kinds.push_back(KindJson(PatientKind()));
                      for (const auto& k : RecordKinds()) kinds.push_back(KindJson(k));
                      return Reply::Json({{"kinds", kinds}});
                    }});
  routes.push_back({"GET",
                    "/api/v1/schema/codebook",
                    "registry",
                    "The codebook of the exports as CSV: every field of every kind with its "
                    "type, unit, bounds, format, code system and codes",
                    false,
                    {},
                    "",
                    "text/csv",
                    [](Call&) -> Result<Reply> {
                      Reply r;
                      r.text = interop::CodebookCsv();
                      r.content_type = "text/csv; charset=utf-8";
                      r.headers.emplace_back("Content-Disposition",
                                             "attachment; filename=\"codebook.csv\"");
                      return r;
                    }});
  routes.push_back({"POST",
                    "/api/v1/records/{kind}/validation",
                    "registry",
                    "Check a record as entered (kind: a record kind or patient) without "
                    "storing it: {fields, patient_id?} answers every problem, with the "
                    "messages creating it would give; with patient_id also the checks against "
                    "that patient's history",
                    false,
                    {},
                    "RecordCheck",
                    "RecordProblems",
                    CheckRecord});
}

}  // namespace stream::http
