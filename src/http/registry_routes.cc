// Patients and clinical records: create, read, correct with a reason, soft delete, list
// with filters and keyset pagination. The data model and form checks: form_routes.cc.
#include "http/routes.h"
#include "interop/disease_course_json.h"
#include "interop/record_json.h"

namespace stream::http {
namespace {

const std::vector<std::string> kEnvelope = {"version", "reason", "identity"};

Result<const KindSpec*> ClinicalKind(const Call& c) {
  const std::string name = c.params.at("kind");
  const KindSpec* kind = FindKind(name);
  if (!kind || kind == &PatientKind())
    return Fail(ErrorCode::kNotFound, "no record kind '" + name + "'", "kind");
  return kind;
}

Result<int64_t> Version(const Call& c) {
  if (!c.body.is_object() || !c.body.contains("version") || !c.body["version"].is_number_integer())
    return Fail(ErrorCode::kInvalidArgument, "the version you read is required", "version");
  return c.body["version"].get<int64_t>();
}

Result<RecordFilter> ListFilter(const Call& c) {
  RecordFilter f;
  STREAM_ASSIGN_OR_RETURN(f.after_id, c.IntQuery("after", 0, 0, INT64_MAX / 2));
  STREAM_ASSIGN_OR_RETURN(f.limit, c.IntQuery("limit", 100, 1, 1000));
  if (auto site = c.request.Query("site")) f.site = *site;  // narrowed again for site users
  return f;
}

nlohmann::json RecordPage(const KindSpec& kind, const std::vector<Record>& records, int64_t limit) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& r : records) items.push_back(interop::RecordToJson(kind, r));
  return Page(items, limit, records.empty() ? 0 : records.back().id);
}

// The stored record with `changes` laid over it: what a PATCH asks to store.
Result<std::vector<Value>> Merged(const KindSpec& kind, const Record& stored,
                                  const nlohmann::json& changes) {
  if (!changes.is_object())
    return Fail(ErrorCode::kInvalidArgument, "expected an object of field values", "changes");
  nlohmann::json merged = interop::RecordToJson(kind, stored);
  for (const char* envelope : {"id", "patient_id", "version"}) merged.erase(envelope);
  for (const auto& [field, value] : changes.items()) merged[field] = value;
  return interop::ValuesFromJson(kind, merged);
}

Result<Reply> Update(Call& c, const KindSpec& kind, int64_t id) {
  STREAM_ASSIGN_OR_RETURN(auto version, Version(c));
  STREAM_ASSIGN_OR_RETURN(auto reason, c.Text("reason"));
  STREAM_ASSIGN_OR_RETURN(auto stored, c.services.registry.GetRecord(c.actor, kind, id));
  STREAM_ASSIGN_OR_RETURN(auto values,
                          Merged(kind, stored, c.body.value("changes", nlohmann::json())));
  STREAM_ASSIGN_OR_RETURN(auto updated, c.services.registry.UpdateRecord(
                                            c.actor, kind, id, version, std::move(values), reason));
  return Reply::Json(interop::RecordToJson(kind, updated));
}

Result<Reply> Delete(Call& c, const KindSpec& kind, int64_t id) {
  STREAM_ASSIGN_OR_RETURN(auto version, Version(c));
  STREAM_ASSIGN_OR_RETURN(auto reason, c.Text("reason"));
  STREAM_ASSIGN_OR_RETURN(auto deleted,
                          c.services.registry.DeleteRecord(c.actor, kind, id, version, reason));
  return Reply::Json(interop::RecordToJson(kind, deleted));
}

// The `as_of` query parameter (YYYY-MM-DD); today when absent.
Result<Date> AsOf(const Call& c) {
  const auto text = c.request.Query("as_of");
  if (!text || text->empty()) return c.services.clock.Now().date();
  const auto date = Date::Parse(*text);
  if (!date) return Fail(ErrorCode::kInvalidArgument, "expected a date YYYY-MM-DD", "as_of");
  return *date;
}

}  // namespace

nlohmann::json Page(nlohmann::json items, int64_t limit, int64_t last_id) {
  const bool full = static_cast<int64_t>(items.size()) >= limit;
  return {{"items", std::move(items)},
          {"next_after", full ? nlohmann::json(last_id) : nlohmann::json(nullptr)}};
}

void AddRegistryRoutes(std::vector<Route>& routes) {
  const std::vector<QueryParam> paging = {
      {"after", "integer", "return records with an id above this (the previous page's next_after)"},
      {"limit", "integer", "page size, 1 to 1000 (default 100)"}};
  auto with_site = paging;
  with_site.push_back({"site", "string", "only this site's patients (central roles)"});

  routes.push_back({"GET", "/api/v1/patients", "registry", "Patients you may see, in id order",
                    false, with_site, "", "RecordPage", [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto filter, ListFilter(c));
                      if (auto p = c.request.Query("pseudonym")) {
                        STREAM_ASSIGN_OR_RETURN(
                            auto one, c.services.registry.GetPatientByPseudonym(c.actor, *p));
                        return Reply::Json(RecordPage(PatientKind(), {one}, filter.limit));
                      }
                      STREAM_ASSIGN_OR_RETURN(auto list,
                                              c.services.registry.ListPatients(c.actor, filter));
                      return Reply::Json(RecordPage(PatientKind(), list, filter.limit));
                    }});
  routes.back().query.push_back({"pseudonym", "string", "find one patient by pseudonym"});
  routes.push_back(
      {"POST",
       "/api/v1/patients",
       "registry",
       "Register a patient; `identity` (name, date_of_birth, hospital_number) is sealed apart",
       false,
       {},
       "Patient",
       "Patient",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(auto values,
                                 interop::ValuesFromJson(PatientKind(), c.body, kEnvelope));
         std::optional<service::Identity> identity;
         if (c.body.is_object() && c.body.contains("identity")) {
           const auto& id = c.body["identity"];
           if (!id.is_object())
             return Fail(ErrorCode::kInvalidArgument, "expected an object", "identity");
           identity = service::Identity{id.value("name", ""), id.value("date_of_birth", ""),
                                        id.value("hospital_number", "")};
         }
         STREAM_ASSIGN_OR_RETURN(
             auto patient, c.services.registry.AddPatient(c.actor, std::move(values), identity));
         return Reply::Json(interop::RecordToJson(PatientKind(), patient), 201);
       }});
  routes.push_back({"GET",
                    "/api/v1/patients/{id}",
                    "registry",
                    "One patient",
                    false,
                    {},
                    "",
                    "Patient",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      STREAM_ASSIGN_OR_RETURN(auto p, c.services.registry.GetPatient(c.actor, id));
                      return Reply::Json(interop::RecordToJson(PatientKind(), p));
                    }});
  routes.push_back({"PATCH",
                    "/api/v1/patients/{id}",
                    "registry",
                    "Correct a patient: {version, reason, changes: {field: value}}",
                    false,
                    {},
                    "Change",
                    "Patient",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      return Update(c, PatientKind(), id);
                    }});
  routes.push_back({"DELETE",
                    "/api/v1/patients/{id}",
                    "registry",
                    "Soft-delete a patient: {version, reason}",
                    false,
                    {},
                    "Deletion",
                    "Patient",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      return Delete(c, PatientKind(), id);
                    }});
  routes.push_back(
      {"GET",
       "/api/v1/patients/{id}/disease-course",
       "registry",
       "The derived picture of a patient: disease state on a date with its evidence, the dated "
       "course, ELN 2022 genetic risk, and each assessment's derived response beside the site's",
       false,
       {{"as_of", "string", "YYYY-MM-DD; the state on this date (default today)"}},
       "",
       "DiseaseCourse",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
         STREAM_ASSIGN_OR_RETURN(auto as_of, AsOf(c));
         STREAM_ASSIGN_OR_RETURN(auto history, c.services.registry.GetHistory(c.actor, id));
         auto out = interop::DiseaseCourseJson(history, as_of);
         out["patient"] = history.pseudonym;
         return Reply::Json(out);
       }});
  routes.push_back({"GET",
                    "/api/v1/patients/{id}/identity",
                    "registry",
                    "The patient's direct identifiers (central data managers)",
                    false,
                    {},
                    "",
                    "Identity",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      STREAM_ASSIGN_OR_RETURN(auto identity,
                                              c.services.registry.GetIdentity(c.actor, id));
                      return Reply::Json({{"name", identity.name},
                                          {"date_of_birth", identity.date_of_birth},
                                          {"hospital_number", identity.hospital_number}});
                    }});
  routes.push_back(
      {"GET",
       "/api/v1/patients/{id}/records",
       "registry",
       "Every clinical record of one patient, by kind",
       false,
       {},
       "",
       "PatientRecords",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
         STREAM_ASSIGN_OR_RETURN(auto patient, c.services.registry.GetPatient(c.actor, id));
         nlohmann::json kinds = nlohmann::json::object();
         for (const auto& kind : RecordKinds()) {
           RecordFilter f;
           f.patient_id = id;
           f.limit = 10000;
           STREAM_ASSIGN_OR_RETURN(auto list, c.services.registry.ListRecords(c.actor, kind, f));
           nlohmann::json items = nlohmann::json::array();
           for (const auto& r : list) items.push_back(interop::RecordToJson(kind, r));
           kinds[std::string(kind.name)] = items;
         }
         return Reply::Json(
             {{"patient", interop::RecordToJson(PatientKind(), patient)}, {"records", kinds}});
       }});
  routes.push_back({"GET", "/api/v1/patients/{id}/records/{kind}", "registry",
                    "One patient's records of one kind", false, paging, "", "RecordPage",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      STREAM_ASSIGN_OR_RETURN(auto kind, ClinicalKind(c));
                      STREAM_ASSIGN_OR_RETURN(auto patient,
                                              c.services.registry.GetPatient(c.actor, id));
                      (void)patient;  // a foreign or missing patient is 404 before any listing
                      STREAM_ASSIGN_OR_RETURN(auto filter, ListFilter(c));
                      filter.patient_id = id;
                      STREAM_ASSIGN_OR_RETURN(
                          auto list, c.services.registry.ListRecords(c.actor, *kind, filter));
                      return Reply::Json(RecordPage(*kind, list, filter.limit));
                    }});
  routes.push_back(
      {"POST",
       "/api/v1/patients/{id}/records/{kind}",
       "registry",
       "Add a clinical record of one kind to a patient",
       false,
       {},
       "Record",
       "Record",
       [](Call& c) -> Result<Reply> {
         STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
         STREAM_ASSIGN_OR_RETURN(auto kind, ClinicalKind(c));
         STREAM_ASSIGN_OR_RETURN(auto values, interop::ValuesFromJson(*kind, c.body, kEnvelope));
         STREAM_ASSIGN_OR_RETURN(
             auto rec, c.services.registry.AddRecord(c.actor, *kind, id, std::move(values)));
         return Reply::Json(interop::RecordToJson(*kind, rec), 201);
       }});
  routes.push_back({"GET", "/api/v1/records/{kind}", "registry",
                    "Records of one kind across the patients you may see", false, with_site, "",
                    "RecordPage", [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto kind, ClinicalKind(c));
                      STREAM_ASSIGN_OR_RETURN(auto filter, ListFilter(c));
                      STREAM_ASSIGN_OR_RETURN(
                          auto list, c.services.registry.ListRecords(c.actor, *kind, filter));
                      return Reply::Json(RecordPage(*kind, list, filter.limit));
                    }});
  routes.push_back({"GET",
                    "/api/v1/records/{kind}/{id}",
                    "registry",
                    "One clinical record",
                    false,
                    {},
                    "",
                    "Record",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto kind, ClinicalKind(c));
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      STREAM_ASSIGN_OR_RETURN(auto rec,
                                              c.services.registry.GetRecord(c.actor, *kind, id));
                      return Reply::Json(interop::RecordToJson(*kind, rec));
                    }});
  routes.push_back({"PATCH",
                    "/api/v1/records/{kind}/{id}",
                    "registry",
                    "Correct a record: {version, reason, changes: {field: value}}",
                    false,
                    {},
                    "Change",
                    "Record",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto kind, ClinicalKind(c));
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      return Update(c, *kind, id);
                    }});
  routes.push_back({"DELETE",
                    "/api/v1/records/{kind}/{id}",
                    "registry",
                    "Soft-delete a record: {version, reason}",
                    false,
                    {},
                    "Deletion",
                    "Record",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto kind, ClinicalKind(c));
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      return Delete(c, *kind, id);
                    }});
}

}  // namespace stream::http
