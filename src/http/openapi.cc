#include "http/openapi.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "http/openapi_records.h"
#include "http/router.h"
#include "http/routes.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

using json = nlohmann::json;

json Str(const char* description = "") {
  json s = {{"type", "string"}};
  if (*description) s["description"] = description;
  return s;
}
json Int(const char* description = "") {
  json s = {{"type", "integer"}, {"format", "int64"}};
  if (*description) s["description"] = description;
  return s;
}
json Bool() { return {{"type", "boolean"}}; }
json Num(const char* description = "") {
  json s = {{"type", "number"}};
  if (*description) s["description"] = description;
  return s;
}
json Nullable(json schema) {
  schema["nullable"] = true;
  return schema;
}
json Obj(json properties, std::vector<std::string> required = {}, const char* description = "") {
  json s = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) s["required"] = required;
  if (*description) s["description"] = description;
  return s;
}
json Enum(const std::vector<std::string>& values, const char* description) {
  return {{"type", "string"}, {"enum", values}, {"description", description}};
}
std::vector<std::string> PermissionNames() {
  std::vector<std::string> names;
  for (auto p : service::AllPermissions()) names.emplace_back(service::Name(p));
  return names;
}
json Ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }
json ArrayOf(json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
json Items(const std::string& name) { return Obj({{"items", ArrayOf(Ref(name))}}); }

json Count(const char* key) { return Obj({{key, Str()}, {"patients", Int()}}); }
json CriterionCounts() {
  return ArrayOf(Obj({{"criterion", Str()}, {"wording", Str()}, {"patients", Int()}}));
}

// The dashboards' views (http/dashboard_json.h); the browser app is written against them.
json DashboardSchemas() {
  json arm_rate = Obj({{"arm", Str()},
                       {"responders", Int()},
                       {"evaluable", Int()},
                       {"rate", Nullable(Num())},
                       {"lower", Nullable(Num("Clopper–Pearson 95 %"))},
                       {"upper", Nullable(Num())}});
  json consort_arm = Obj({{"arm", Str()},
                          {"allocated", Int()},
                          {"died", Int()},
                          {"relapsed", Int()},
                          {"lost_to_follow_up", Int()},
                          {"consent_withdrawn", Int()},
                          {"analysed", Int("rows of the primary endpoint's dataset")}});
  json point = Obj({{"time", Num("days")},
                    {"estimate", Num("survival, or cumulative incidence of relapse")},
                    {"lower", Nullable(Num())},
                    {"upper", Nullable(Num())},
                    {"at_risk", Int()},
                    {"events", Int()},
                    {"censored", Int()},
                    {"competing", Int("cir only: deaths without relapse")}});
  json swimmer = Obj(
      {{"patient_id", Int("omitted for statisticians")},
       {"pseudonym", Str()},
       {"site", Str()},
       {"disease", Str()},
       {"start", Str("diagnosis date")},
       {"end", Str("death date or last information")},
       {"status", Str("alive, dead or lost_to_follow_up")},
       {"lines",
        ArrayOf(Obj(
            {{"line", Int()}, {"regimen", Str()}, {"start", Str()}, {"end", Nullable(Str())}}))},
       {"events", ArrayOf(Obj({{"date", Str()},
                               {"type", Str("transplant, dli, response, relapse or death")},
                               {"label", Str("e.g. CR (ELN 2022), allo")}}))}});
  return {
      {"ProtocolDashboard",
       Obj({{"protocol", Str()},
            {"title", Str()},
            {"blinded", Bool()},
            {"target", Nullable(Obj({{"patients", Int()}, {"start", Str()}, {"end", Str()}}))},
            {"enrolments",
             ArrayOf(Obj(
                 {{"date", Str()}, {"site", Str()}, {"arm", Str("(blinded) for blinded roles")}}))},
            {"arms", ArrayOf(Obj({{"id", Str()},
                                  {"name", Str()},
                                  {"status", Str("open, closed or suspended")},
                                  {"cap", Nullable(Int())},
                                  {"enrolled", Int()}}))},
            {"consort", Obj({{"assessed", Int()},
                             {"not_eligible", Int()},
                             {"unknown", Int()},
                             {"eligible_not_enrolled", Int()},
                             {"enrolled", Int()},
                             {"not_eligible_reasons", CriterionCounts()},
                             {"missing_data", CriterionCounts()},
                             {"arms", ArrayOf(consort_arm)}})},
            {"responses", ArrayOf(Obj({{"endpoint", Str()},
                                       {"definition", Str()},
                                       {"wording", Str()},
                                       {"role", Str()},
                                       {"landmark_days", Nullable(Int())},
                                       {"conf_level", Num()},
                                       {"arms", ArrayOf(arm_rate)}}))},
            {"endpoints",
             ArrayOf(Obj({{"id", Str()},
                          {"definition", Str()},
                          {"role", Str("primary or secondary")},
                          {"wording", Str()},
                          {"time_to_event", Bool()},
                          {"origin", Str("enrolment, registration, diagnosis or remission")},
                          {"population", Str("all, reached_remission or in_remission_at_origin")},
                          {"follow_up_days", Nullable(Int())}}))},
            {"remission_spans", ArrayOf(Obj({{"endpoint", Str()},
                                             {"wording", Str()},
                                             {"enrolled", Int()},
                                             {"in_remission", Int()},
                                             {"first", Nullable(Str("date"))},
                                             {"last", Nullable(Str("date"))},
                                             {"days", Nullable(Int())}}))}})},
      {"Survival",
       Obj({{"protocol", Str()},
            {"endpoint", Str()},
            {"definition", Str("os, efs, rfs or cir")},
            {"wording", Str()},
            {"kind", Str("survival or cumulative_incidence")},
            {"unit", Str("days")},
            {"conf_level", Num()},
            {"conf_type", Str("log")},
            {"blinded", Bool()},
            {"arms", ArrayOf(Obj({{"arm", Str()},
                                  {"name", Str()},
                                  {"n", Int()},
                                  {"events", Int("cir: relapses")},
                                  {"competing", Int("cir only: deaths without relapse")},
                                  {"median", Nullable(Num())},
                                  {"median_lower", Nullable(Num())},
                                  {"median_upper", Nullable(Num())},
                                  {"curve", ArrayOf(point)}}))},
            {"at_risk",
             Obj({{"times", ArrayOf(Num())},
                  {"arms", ArrayOf(Obj({{"arm", Str()}, {"counts", ArrayOf(Int())}}))}})},
            {"log_rank", Nullable(Obj({{"chisq", Num()}, {"df", Int()}, {"p", Num()}}))},
            {"test", Nullable(Str("log_rank, or gray for cir"))},
            {"not_applicable", Int()},
            {"analysed", Int("patients with a row in the analysis")},
            {"excluded", ArrayOf(Obj({{"reason", Str()}, {"patients", Int()}}))}})},
      {"RegistryDashboard", Obj({{"patients", Int()},
                                 {"by_disease", ArrayOf(Count("disease"))},
                                 {"by_status", ArrayOf(Count("status"))},
                                 {"by_site", ArrayOf(Count("site"))},
                                 {"by_disease_status", ArrayOf(Count("status"))},
                                 {"swimmers", ArrayOf(swimmer)}})},
  };
}

// The schemas the routes name, written once here.
json Schemas() {
  const json evidence = Obj({{"kind", Str("record kind")},
                             {"record_id", Int()},
                             {"date", Str("YYYY-MM-DD")},
                             {"summary", Str()}});
  json record = {{"type", "object"},
                 {"description",
                  "A record of one kind of the data model (GET /api/v1/schema): id, patient_id, "
                  "version and the kind's fields by their snake_case names. Dates are "
                  "YYYY-MM-DD, code sets arrays of codes, null is 'not recorded'."},
                 {"additionalProperties", true}};
  json s = {
      {"Error", Obj({{"error", Obj({{"code", Str("the error catalogue's name, e.g. not_found")},
                                    {"message", Str()},
                                    {"where", Str("the field, member, query parameter or "
                                                  "header at fault; empty when none is")},
                                    {"request_id", Str("also in the X-Request-Id header")}},
                                   {"code", "message", "where", "request_id"})}},
                    {"error"})},
      {"Credentials", Obj({{"username", Str()}, {"password", Str()}}, {"username", "password"})},
      {"Session", Obj({{"username", Str()},
                       {"role", Ref("Role")},
                       {"site", Str("empty for central roles")},
                       {"permissions", ArrayOf(Ref("Permission"))},
                       {"csrf_token", Str("send as X-CSRF-Token on every state-changing request")},
                       {"expires_at", Str("idle or absolute time-out, whichever is first")}},
                      {"username", "role", "site", "permissions", "csrf_token", "expires_at"},
                      "Who is signed in, and what the role may do (docs/access-control.md)")},
      {"Role", Enum(service::Roles(), "a role of docs/access-control.md")},
      {"Permission", Enum(PermissionNames(), "what a role may do (docs/access-control.md)")},
      {"Site", Obj({{"id", Int()},
                    {"code", Str("e.g. IT-FO-01")},
                    {"name", Str()},
                    {"country", Str("ISO 3166-1 alpha-2")}},
                   {"code", "name", "country"})},
      {"SiteList", Items("Site")},
      {"User", Obj({{"id", Int()},
                    {"username", Str()},
                    {"role", Str()},
                    {"site", Str()},
                    {"disabled", Bool()}})},
      {"UserList", Items("User")},
      {"NewUser", Obj({{"username", Str()},
                       {"role", Str()},
                       {"site", Str("for site roles")},
                       {"password", Str("at least 12 characters")}},
                      {"username", "role", "password"})},
      {"UserChange",
       Obj({{"role", Str()}, {"site", Str()}, {"password", Str()}, {"disabled", Bool()}})},
      {"NewToken",
       Obj({{"label", Str()}, {"role", Str("default: yours")}, {"site", Str("default: yours")}},
           {"label"})},
      {"Token", Obj({{"id", Int()},
                     {"label", Str()},
                     {"username", Str()},
                     {"role", Str()},
                     {"site", Str()},
                     {"created_at", Str()},
                     {"revoked", Bool()}})},
      {"IssuedToken", Obj({{"id", Int()},
                           {"label", Str()},
                           {"username", Str()},
                           {"role", Str()},
                           {"site", Str()},
                           {"created_at", Str()},
                           {"revoked", Bool()},
                           {"secret", Str("shown once: stk_…")}},
                          {"id", "label", "username", "role", "site", "created_at", "secret"})},
      {"TokenList", Items("Token")},
      {"Schema",
       Obj({{"kinds", ArrayOf(Obj({{"name", Str("patient, or a record kind such as diagnosis")},
                                   {"description", Str()},
                                   {"fields", ArrayOf(Ref("SchemaField"))}},
                                  {"name", "description", "fields"}))}},
           {"kinds"})},
      {"SchemaField",
       Obj({{"name", Str()},
            {"type",
             {{"type", "string"},
              {"enum", {"integer", "number", "text", "date", "boolean", "code", "codes"}}}},
            {"required", Bool()},
            {"unit", Str()},
            {"description", Str()},
            {"code_system", Str()},
            {"codes", ArrayOf(Str())},
            {"code_labels",
             {{"type", "object"},
              {"additionalProperties", {{"type", "string"}}},
              {"description", "codes only: each code's human label, for forms and tables"}}},
            {"min", {{"type", "number"}}},
            {"max", {{"type", "number"}}},
            {"format", Str("text with a format only: gene_symbol, fusion, hgvs, iscn, "
                           "meddra_code or country_code")},
            {"format_description", Str("with format: what a value looks like, in the words of "
                                       "the validation message")},
            {"audience",
             {{"type", "string"},
              {"enum", {"every_reader", "care_team"}},
              {"description",
               "who may see the field: every reader, or only the care team "
               "(quasi-identifiers; docs/access-control.md)"}}},
            {"seen_by", ArrayOf(Str())},
            {"not_before", Str("dates only: the field of the same record this date may not "
                               "precede")}},
           {"name", "type", "required", "unit", "description", "code_system"})},
      {"RecordCheck",
       Obj({{"fields", {{"type", "object"}, {"additionalProperties", true}}},
            {"patient_id", Int("also check against this patient's records (clinical kinds)")}},
           {"fields"})},
      {"RecordProblems",
       Obj({{"errors", ArrayOf(Obj({{"field", Str("the field at fault; null for the record")},
                                    {"message", Str("as creating the record would answer")},
                                    {"code", Str("the error catalogue's name")}},
                                   {"field", "message"}))}},
           {"errors"}, "Empty errors: the record would be stored")},
      {"Patient", record},
      {"Record", record},
      {"RecordPage",
       Obj({{"items", ArrayOf(Ref("Record"))},
            {"next_after", Nullable(Int("pass as ?after= for the next page; null at the end"))}})},
      {"PatientRecords", Obj({{"patient", Ref("PatientRecord")}, {"records", Ref("RecordsByKind")}},
                             {"patient", "records"})},
      {"Identity", Obj({{"name", Str()}, {"date_of_birth", Str()}, {"hospital_number", Str()}})},
      {"DiseaseCourse",
       Obj({{"patient", Str("pseudonym")},
            {"as_of", Str("YYYY-MM-DD")},
            {"rules", Enum({"aml_eln2022", "all_ibfm"}, "the rules the course follows")},
            {"state", Nullable(Obj({{"code", Str("active_at_diagnosis, primary_refractory, "
                                                 "relapse, extramedullary_relapse, cr, crh, "
                                                 "cri, mlfs, pr or conflicting")},
                                    {"description", Str()},
                                    {"since", Str("YYYY-MM-DD")},
                                    {"confirmed_on", Str("YYYY-MM-DD")},
                                    {"evidence", ArrayOf(evidence)}}))},
            {"remission_date", Nullable(Str("YYYY-MM-DD"))},
            {"mrd", Obj({{"status", Nullable(Str())},
                         {"relapse", Bool()},
                         {"relapse_date", Nullable(Str())}})},
            {"last_transplant", Nullable(Str("YYYY-MM-DD"))},
            {"vital", Obj({{"alive", Bool()},
                           {"death_date", Nullable(Str())},
                           {"lost_to_follow_up", Bool()}})},
            {"events", ArrayOf(Obj({{"date", Str()},
                                    {"kind", Str("state, mrd_relapse, mrd_negative_again, "
                                                 "transplant, death or lost_to_follow_up")},
                                    {"state", Nullable(Str())},
                                    {"description", Str()},
                                    {"evidence", ArrayOf(evidence)}}))},
            {"genetic_risk", Obj({{"category", Nullable(Str("favourable, intermediate or "
                                                            "adverse; null when undecided"))},
                                  {"applies", Bool()},
                                  {"reasons", ArrayOf(Str())},
                                  {"missing", ArrayOf(Str())}})},
            {"assessments", ArrayOf(Obj({{"record_id", Int()},
                                         {"date", Str()},
                                         {"entered", Nullable(Str())},
                                         {"derived", Nullable(Str())},
                                         {"disagrees", Bool()},
                                         {"reading", Str()},
                                         {"mrd_status", Nullable(Str())}}))},
            {"notes", ArrayOf(Str())}})},
      {"Change", Obj({{"version", Int("the version you read")},
                      {"reason", Str("the reason for change")},
                      {"changes", {{"type", "object"}, {"additionalProperties", true}}}},
                     {"version", "reason", "changes"})},
      {"Deletion", Obj({{"version", Int()}, {"reason", Str()}}, {"version", "reason"})},
      {"Reason", Obj({{"reason", Str()}}, {"reason"})},
      {"ProtocolList", Items("Protocol")},
      {"Protocol",
       Obj({{"id", Str()},
            {"title", Str()},
            {"version", Str()},
            {"nct_id", Str("ClinicalTrials.gov identifier; empty when none")},
            {"phase", Str()},
            {"part_of", Str("the master protocol this one belongs to; empty when none")},
            {"randomised", Bool()},
            {"blinded", Bool()},
            {"arms",
             ArrayOf(Obj({{"id", Str()},
                          {"name", Str()},
                          {"description", Str()},
                          {"status", Enum({"open", "closed", "suspended"}, "the arm's status")},
                          {"cap", Int("the arm's patient cap; omitted when none")}}))},
            {"sponsor", Str("detail only")},
            {"population", Str("detail only")},
            {"eudract_id", Str("detail only")},
            {"criteria",
             ArrayOf(Obj({{"id", Str()},
                          {"kind", Enum({"inclusion", "exclusion"}, "inclusion or exclusion")},
                          {"wording", Str()}},
                         {}, "detail only"))},
            {"accrual", Nullable(Obj({{"target", Int("planned number of patients")},
                                      {"start", Str("YYYY-MM-DD")},
                                      {"end", Str("YYYY-MM-DD")}},
                                     {}, "the planned accrual (detail only); null when none"))}})},
      {"ProtocolSource", Obj({{"yaml", Str("the protocol file's text")}}, {"yaml"})},
      {"ProtocolVersion",
       Obj({{"protocol", Str()}, {"version", Str()}, {"loaded_at", Str()}, {"loaded_by", Str()}})},
      {"ArmStatus", Obj({{"status", Str("open, closed or suspended")}, {"reason", Str()}},
                        {"status", "reason"})},
      {"ArmStatusChange", Obj({{"protocol", Str()},
                               {"arm", Str()},
                               {"status", Str()},
                               {"reason", Str()},
                               {"changed_at", Str()},
                               {"changed_by", Str()}})},
      {"Screening",
       Obj({{"protocol", Str()},
            {"title", Str()},
            {"version", Str("the version in force at the patient's site")},
            {"site_state", Enum({"not_activated", "active", "suspended", "closed"},
                                "the protocol's standing at the patient's site")},
            {"verdict", Enum({"eligible", "not eligible", "unknown"}, "eligibility")},
            {"can_enrol_now", Bool()},
            {"refusals", ArrayOf(Str("a gate that refuses the patient now"))},
            {"attestations", ArrayOf({{"type", "object"}})},
            {"criteria",
             ArrayOf(Obj({{"id", Str()},
                          {"kind", Enum({"inclusion", "exclusion"}, "inclusion or exclusion")},
                          {"wording", Str()},
                          {"qualifies", Enum({"met", "not met", "unknown"},
                                             "the criterion's "
                                             "verdict")},
                          {"missing", ArrayOf(Str())},
                          {"explanation", Str()}}))},
            {"assignment", Obj({{"state", Enum({"arm", "randomise", "waiting", "none"},
                                               "what assignment would do now")},
                                {"entry", Str("the assignment entry that applies")},
                                {"arms", ArrayOf(Str())},
                                {"arm_status", ArrayOf(Str())},
                                {"arm_notes", ArrayOf(Str())},
                                {"missing", ArrayOf(Str())},
                                {"factors", ArrayOf(Obj({{"factor", Str()},
                                                         {"level", Str()},
                                                         {"missing", ArrayOf(Str())}}))}})},
            {"patient_id", Int("candidate lists only; omitted for statisticians")},
            {"pseudonym", Str("candidate lists only")},
            {"site", Str("candidate lists only")}})},
      {"PatientScreening", Obj({{"patient_id", Int()},
                                {"pseudonym", Str()},
                                {"site", Str()},
                                {"on", Str("the screening date, YYYY-MM-DD")},
                                {"protocols", ArrayOf(Ref("Screening"))}})},
      {"Candidates",
       Obj({{"items", ArrayOf(Ref("Screening"))}, {"on", Str("the screening date, YYYY-MM-DD")}})},
      {"EnrolmentRequest",
       Obj({{"patient_id", Int()},
            {"idempotency_key", Str("a replay with the same key returns the original")},
            {"attestations", {{"type", "object"}, {"additionalProperties", Bool()}}}},
           {"patient_id", "idempotency_key"})},
      {"Enrolment",
       Obj({{"id", Int()},
            {"protocol", Str()},
            {"protocol_version", Str("the protocol's version the patient was enrolled under")},
            {"patient_id", Int("omitted for statisticians")},
            {"patient", Str("the pseudonym (per study for statisticians)")},
            {"arm", Str("(blinded) for blinded roles")},
            {"method", Str("randomisation method or assignment rule")},
            {"stratum", Str("the randomisation stratum; omitted when the arm is blinded")},
            {"enrolled_at", Str()},
            {"enrolled_by", Str()},
            {"off_study_date", Str("YYYY-MM-DD, once the enrolment ended")},
            {"off_study_reason", Str()}},
           {"protocol", "protocol_version", "patient", "arm", "method", "enrolled_at",
            "enrolled_by"})},
      {"EnrolmentOutcome", Obj({{"status", Str("enrolled, replayed or refused")},
                                {"enrolment", Ref("Enrolment")},
                                {"reasons", ArrayOf(Str())}})},
      {"EnrolmentList",
       Obj({{"items", ArrayOf(Ref("Enrolment"))},
            {"next_offset",
             Nullable(Int("pass as ?offset= for the next page; null at the end"))}})},
      {"SiteActivationRequest",
       Obj({{"status", Str("active, suspended or closed")},
            {"effective_on", Str("YYYY-MM-DD")},
            {"protocol_version", Str("active: the version approved (default: current)")},
            {"approval_reference", Str("active: ethics approval / contract reference")},
            {"reason", Str("suspended, closed: why")}},
           {"status", "effective_on"})},
      {"SiteActivation", Obj({{"id", Int()},
                              {"protocol", Str()},
                              {"site", Str()},
                              {"status", Enum({"active", "suspended", "closed"}, "the change")},
                              {"effective_on", Str()},
                              {"protocol_version", Str()},
                              {"approval_reference", Str()},
                              {"reason", Str()},
                              {"changed_at", Str()},
                              {"changed_by", Str()}})},
      {"SiteActivationList", Items("SiteActivation")},
      {"RecruitmentStatus",
       Obj({{"protocol", Str()},
            {"current_version", Str()},
            {"versions", ArrayOf(Str())},
            {"active_sites", Int()},
            {"enrolled_by_version", {{"type", "object"}, {"additionalProperties", Int()}}},
            {"sites",
             ArrayOf(Obj({{"site", Str()},
                          {"standing",
                           Obj({{"state", Enum({"not_activated", "active", "suspended", "closed"},
                                               "the protocol's standing at the site")},
                                {"since", Nullable(Str("YYYY-MM-DD"))},
                                {"version", Str("the version in force")},
                                {"approval_reference", Str()},
                                {"reason", Str()}})},
                          {"enrolled", Int()},
                          {"on_study", Int()},
                          {"enrolled_by_version", {{"type", "object"}}},
                          {"reconsent_due", ArrayOf(Int())}}))}})},
      {"EnrolmentEnding",
       Obj({{"off_study_date", Str("YYYY-MM-DD")},
            {"reason",
             Str("completed, toxicity, progression, withdrawal, death or investigator_decision")},
            {"note", Str()}},
           {"off_study_date", "reason"})},
      {"EnrolmentEnded", Obj({{"protocol", Str()},
                              {"patient_id", Int()},
                              {"enrolment_id", Int()},
                              {"protocol_version", Str()},
                              {"off_study_date", Str("YYYY-MM-DD")},
                              {"off_study_reason", Str()}},
                             {"protocol", "patient_id", "enrolment_id", "protocol_version",
                              "off_study_date", "off_study_reason"})},
      {"AttestationRequest",
       Obj({{"protocol", Str()},
            {"attestations", {{"type", "object"}, {"additionalProperties", Bool()}}}},
           {"protocol", "attestations"})},
      {"Attestation", Obj({{"id", Int()},
                           {"protocol", Str()},
                           {"protocol_version", Str()},
                           {"criterion", Str()},
                           {"name", Str()},
                           {"value", Bool()},
                           {"attested_on", Str()},
                           {"attested_at", Str()},
                           {"attested_by", Str()},
                           {"site", Str()}})},
      {"AttestationList", Items("Attestation")},
      {"AuditEntry", Obj({{"seq", Int()},
                          {"at", Str()},
                          {"actor", Str()},
                          {"site", Str()},
                          {"entity", Str()},
                          {"entity_id", Int()},
                          {"patient_id", Int()},
                          {"action", Str()},
                          {"field", Str()},
                          {"old_value", Nullable(Str("null when created"))},
                          {"new_value", Nullable(Str("null when deleted"))},
                          {"reason", Str()},
                          {"request_id", Str()}})},
      {"AuditPage",
       Obj({{"items", ArrayOf(Ref("AuditEntry"))},
            {"next_before", Nullable(Int("pass as ?before= for the next page; null at the end"))}},
           {"items", "next_before"})},
      {"OpenApi", {{"type", "object"}}},
      {"Export",
       Obj({{"kind", Str()},
            {"items",
             ArrayOf({{"type", "object"},
                      {"additionalProperties", true},
                      {"description",
                       "one record: the kind's fields as in <Kind>Record, with `patient` (the "
                       "pseudonym; per study for statisticians, who get no `id` or "
                       "`patient_id`) and `version`"}})},
            {"withheld_after_consent_withdrawal",
             Int("records left out because they are dated on or after the patient's "
                 "withdrawal of registry consent")}},
           {"kind", "items", "withheld_after_consent_withdrawal"})},
  };
  s.update(DashboardSchemas());
  s.update(RecordKindSchemas());
  return s;
}

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
       {{"schemas", CompletedSchemas(Schemas(), routes)},
        {"responses", ErrorResponses()},
        {"securitySchemes",
         {{"session", {{"type", "apiKey"}, {"in", "cookie"}, {"name", kSessionCookie}}},
          {"token", {{"type", "http"}, {"scheme", "bearer"}}}}}}},
      {"security", json::array({{{"session", json::array()}}, {{"token", json::array()}}})},
  };
}

const json& OpenApiSchemas() {
  static const json schemas = CompletedSchemas(Schemas(), AllRoutes());
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
  routes.push_back(
      {"GET",
       "/api/v1/openapi.json",
       "meta",
       "This API's OpenAPI 3 description",
       true,
       {},
       "",
       "OpenApi",
       [](Call&) -> Result<Reply> { return Reply::Json(OpenApiDocument(AllRoutes())); }});
}

}  // namespace stream::http
