// Protocols and their arms, screening, enrolment with allocation, and emergency
// unblinding.
#include <algorithm>

#include "http/routes.h"
#include "interop/screening_json.h"
#include "service/access_policy.h"
#include "service/screening_service.h"

namespace stream::http {

Result<const protocol::Protocol*> FindProtocol(const service::ProtocolCatalogue& catalogue,
                                               const Call& c) {
  const std::string id = c.params.at("protocol");
  const auto* p = catalogue.Find(id);
  if (!p) return Fail(ErrorCode::kNotFound, "no protocol '" + id + "'", "protocol");
  return p;
}

namespace {

nlohmann::json ArmsJson(const protocol::Protocol& p) {
  nlohmann::json arms = nlohmann::json::array();
  for (const auto& a : p.arms) {
    nlohmann::json arm = {{"id", a.id},
                          {"name", a.name},
                          {"description", a.description},
                          {"status", protocol::ToString(a.status)}};
    if (a.cap) arm["cap"] = *a.cap;
    arms.push_back(arm);
  }
  return arms;
}

nlohmann::json SummaryJson(const service::CataloguedProtocol& entry) {
  const auto& p = entry.protocol;
  return {{"id", p.id},
          {"title", p.title},
          {"version", p.version},
          {"nct_id", p.nct_id},
          {"phase", p.phase},
          {"part_of", p.part_of},
          {"randomised", p.randomisation.has_value()},
          {"blinded", p.randomisation && p.randomisation->blinded},
          {"arms", ArmsJson(p)}};
}

nlohmann::json DetailJson(const service::CataloguedProtocol& entry) {
  const auto& p = entry.protocol;
  nlohmann::json out = SummaryJson(entry);
  out["sponsor"] = p.sponsor;
  out["population"] = p.population;
  out["eudract_id"] = p.eudract_id;
  nlohmann::json criteria = nlohmann::json::array();
  for (const auto& c : p.criteria) {
    criteria.push_back(
        {{"id", c.id},
         {"kind", c.kind == protocol::CriterionKind::kInclusion ? "inclusion" : "exclusion"},
         {"wording", c.wording}});
  }
  out["criteria"] = criteria;
  nlohmann::json assignment = nlohmann::json::array();
  for (const auto& a : p.assignment) {
    nlohmann::json entry_json = {{"id", a.id}};
    if (!a.arm.empty()) entry_json["arm"] = a.arm;
    if (!a.randomise.empty()) entry_json["randomise"] = a.randomise;
    assignment.push_back(entry_json);
  }
  out["assignment"] = assignment;
  nlohmann::json endpoints = nlohmann::json::array();
  for (const auto& e : p.endpoints) {
    endpoints.push_back(
        {{"id", e.id},
         {"role", e.role == protocol::EndpointRole::kPrimary ? "primary" : "secondary"},
         {"definition", protocol::ToString(e.definition)},
         {"wording", e.wording}});
  }
  out["endpoints"] = endpoints;
  out["accrual"] = nullptr;
  if (p.accrual) {
    out["accrual"] = {{"target", p.accrual->target},
                      {"start", p.accrual->start.ToString()},
                      {"end", p.accrual->end.ToString()}};
  }
  nlohmann::json excludes = nlohmann::json::array();
  for (const auto& x : p.operations.co_enrolment)
    excludes.push_back({{"protocol", x.protocol_id}, {"washout_days", x.washout_days}});
  out["co_enrolment"] = excludes;
  out["amendment"] = nullptr;
  if (p.operations.amendment) {
    out["amendment"] = {{"summary", p.operations.amendment->summary},
                        {"reconsent", p.operations.amendment->reconsent}};
  }
  out["attestation_valid_days"] = p.operations.attestation_valid_days
                                      ? nlohmann::json(*p.operations.attestation_valid_days)
                                      : nlohmann::json();
  out["file"] = entry.file;
  return out;
}

Result<rules::Attestations> Attestations(const nlohmann::json& body) {
  rules::Attestations out;
  if (!body.is_object() || !body.contains("attestations")) return out;
  const auto& a = body["attestations"];
  if (!a.is_object())
    return Fail(ErrorCode::kInvalidArgument, "expected an object of true/false", "attestations");
  for (const auto& [name, value] : a.items()) {
    if (!value.is_boolean())
      return Fail(ErrorCode::kInvalidArgument, "expected true or false", "/attestations/" + name);
    out[name] = value.get<bool>();
  }
  return out;
}

nlohmann::json EnrolmentJson(const Enrolment& e, const std::string& patient) {
  nlohmann::json out = {{"protocol", e.protocol_id},
                        {"protocol_version", e.protocol_version},
                        {"patient", patient},
                        {"arm", e.arm},
                        {"method", e.method},
                        {"stratum", e.stratum},
                        {"enrolled_at", e.enrolled_at.ToString()},
                        {"enrolled_by", e.enrolled_by}};
  if (e.id) out["id"] = e.id;
  if (e.patient_id) out["patient_id"] = e.patient_id;
  if (e.off_study_date) {
    out["off_study_date"] = e.off_study_date->ToString();
    out["off_study_reason"] = e.off_study_reason;
  }
  if (e.arm == service::kBlindedArm)
    out.erase("stratum");  // the stratum's list position could hint
  return out;
}

// The optional `as_of` query parameter (YYYY-MM-DD) of the screening routes.
Result<std::optional<Date>> AsOfQuery(const Call& c) {
  const auto text = c.request.Query("as_of");
  if (!text || text->empty()) return std::optional<Date>();
  const auto date = Date::Parse(*text);
  if (!date) return Fail(ErrorCode::kInvalidArgument, "expected a date YYYY-MM-DD", "as_of");
  return std::optional<Date>(*date);
}

}  // namespace

void AddProtocolRoutes(std::vector<Route>& routes) {
  AddEnrolmentGateRoutes(routes);
  routes.push_back({"GET",
                    "/api/v1/protocols",
                    "protocols",
                    "Every protocol running, with its arms and their status",
                    false,
                    {},
                    "",
                    "ProtocolList",
                    [](Call& c) -> Result<Reply> {
                      STREAM_RETURN_IF_ERROR(Require(c.actor, service::Permission::kReadProtocols));
                      auto catalogue = c.services.protocols.Current();
                      nlohmann::json items = nlohmann::json::array();
                      for (const auto& p : catalogue->protocols()) items.push_back(SummaryJson(*p));
                      return Reply::Json({{"items", items}});
                    }});
  routes.push_back({"POST",
                    "/api/v1/protocols",
                    "protocols",
                    "Load a protocol version from its YAML text: {yaml}",
                    false,
                    {},
                    "ProtocolSource",
                    "ProtocolVersion",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto yaml, c.Text("yaml"));
                      STREAM_ASSIGN_OR_RETURN(auto v,
                                              c.services.protocols.LoadVersion(c.actor, yaml));
                      return Reply::Json({{"protocol", v.protocol_id},
                                          {"version", v.version},
                                          {"loaded_at", v.loaded_at.ToString()},
                                          {"loaded_by", v.loaded_by}},
                                         201);
                    }});
  routes.push_back({"GET",
                    "/api/v1/protocols/{protocol}",
                    "protocols",
                    "One protocol: criteria, arms, assignment list and endpoints",
                    false,
                    {},
                    "",
                    "Protocol",
                    [](Call& c) -> Result<Reply> {
                      STREAM_RETURN_IF_ERROR(Require(c.actor, service::Permission::kReadProtocols));
                      auto catalogue = c.services.protocols.Current();
                      const std::string id = c.params.at("protocol");
                      for (const auto& p : catalogue->protocols())
                        if (p->protocol.id == id) return Reply::Json(DetailJson(*p));
                      return Fail(ErrorCode::kNotFound, "no protocol '" + id + "'", "protocol");
                    }});
  routes.push_back({"POST",
                    "/api/v1/protocols/{protocol}/arms/{arm}/status",
                    "protocols",
                    "Open, close or suspend an arm: {status: open|closed|suspended, reason}",
                    false,
                    {},
                    "ArmStatus",
                    "ArmStatusChange",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto status, c.Text("status"));
                      STREAM_ASSIGN_OR_RETURN(auto reason, c.Text("reason", false));
                      STREAM_ASSIGN_OR_RETURN(auto change, c.services.protocols.SetArmStatus(
                                                               c.actor, c.params.at("protocol"),
                                                               c.params.at("arm"), status, reason));
                      return Reply::Json({{"protocol", change.protocol_id},
                                          {"arm", change.arm},
                                          {"status", change.status},
                                          {"reason", change.reason},
                                          {"changed_at", change.changed_at.ToString()},
                                          {"changed_by", change.changed_by}});
                    }});
  routes.push_back({"GET",
                    "/api/v1/patients/{id}/screening",
                    "screening",
                    "Screen one patient against every protocol: each criterion met, not met or "
                    "unknown, with what is missing",
                    false,
                    {{"as_of", "string", "screen on this date, YYYY-MM-DD (default today)"}},
                    "",
                    "PatientScreening",
                    [](Call& c) -> Result<Reply> {
                      STREAM_RETURN_IF_ERROR(Require(c.actor, service::Permission::kScreen));
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      auto catalogue = c.services.protocols.Current();
                      service::ScreeningService screening(c.services.registry, *catalogue,
                                                          c.services.clock, &c.services.enrolments);
                      STREAM_ASSIGN_OR_RETURN(auto as_of, AsOfQuery(c));
                      STREAM_ASSIGN_OR_RETURN(auto result,
                                              screening.ScreenPatient(c.actor, id, {}, as_of));
                      return Reply::Json(interop::PatientScreeningToJson(result));
                    }});
  routes.push_back(
      {"GET",
       "/api/v1/protocols/{protocol}/candidates",
       "screening",
       "Screen the registry (the patients you may see) against one protocol",
       false,
       {{"verdict", "string", "eligible (default), unknown or all"},
        {"as_of", "string", "screen on this date, YYYY-MM-DD (default today)"}},
       "",
       "Candidates",
       [](Call& c) -> Result<Reply> {
         STREAM_RETURN_IF_ERROR(Require(c.actor, service::Permission::kScreen));
         const std::string verdict = c.request.Query("verdict").value_or("eligible");
         service::VerdictFilter filter = service::VerdictFilter::kEligible;
         if (verdict == "unknown") {
           filter = service::VerdictFilter::kUnknown;
         } else if (verdict == "all") {
           filter = service::VerdictFilter::kAll;
         } else if (verdict != "eligible") {
           return Fail(ErrorCode::kInvalidArgument, "expected eligible, unknown or all", "verdict");
         }
         auto catalogue = c.services.protocols.Current();
         service::ScreeningService screening(c.services.registry, *catalogue, c.services.clock,
                                             &c.services.enrolments);
         STREAM_ASSIGN_OR_RETURN(auto as_of, AsOfQuery(c));
         STREAM_ASSIGN_OR_RETURN(
             auto rows,
             screening.ScreenRegistry(c.actor, c.params.at("protocol"), filter, 500, as_of));
         nlohmann::json items = nlohmann::json::array();
         for (const auto& p : rows) {
           nlohmann::json row = interop::ScreeningToJson(p.protocols.front());
           row["patient_id"] = p.patient_id;
           row["pseudonym"] = p.pseudonym;
           row["site"] = p.site;
           items.push_back(row);
         }
         return Reply::Json({{"items", items},
                             {"on", (as_of ? *as_of : c.services.clock.Now().date()).ToString()}});
       }});
  routes.push_back(
      {"POST",
       "/api/v1/protocols/{protocol}/enrolments",
       "enrolment",
       "Enrol a patient and allocate an arm: {patient_id, idempotency_key, attestations}. "
       "Replaying a key returns the original allocation.",
       false,
       {},
       "EnrolmentRequest",
       "EnrolmentOutcome",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         service::EnrolmentRequest request;
         request.protocol_id = protocol->id;
         if (!c.body.is_object() || !c.body.contains("patient_id") ||
             !c.body["patient_id"].is_number_integer()) {
           return Fail(ErrorCode::kInvalidArgument, "is required (an integer)", "patient_id");
         }
         request.patient_id = c.body["patient_id"].get<int64_t>();
         STREAM_ASSIGN_OR_RETURN(request.idempotency_key, c.Text("idempotency_key"));
         STREAM_ASSIGN_OR_RETURN(request.attestations, Attestations(c.body));
         request.find_version = [&](const std::string& version) {
           return catalogue->FindVersion(protocol->id, version);
         };
         STREAM_ASSIGN_OR_RETURN(auto outcome,
                                 c.services.enrolments.Enrol(c.actor, *protocol, request));
         static constexpr const char* kStatus[] = {"enrolled", "replayed", "refused"};
         nlohmann::json body = {{"status", kStatus[static_cast<int>(outcome.status)]}};
         if (outcome.status == service::EnrolmentStatus::kRefused) {
           body["reasons"] = outcome.reasons;
           return Reply::Json(body, 200);
         }
         body["enrolment"] = EnrolmentJson(outcome.enrolment, outcome.pseudonym);
         return Reply::Json(body,
                            outcome.status == service::EnrolmentStatus::kEnrolled ? 201 : 200);
       }});
  routes.push_back(
      {"GET",
       "/api/v1/protocols/{protocol}/enrolments",
       "enrolment",
       "The protocol's allocations you may see (arms masked for blinded roles), "
       "in enrolment order",
       false,
       {{"offset", "integer", "skip this many (the previous page's next_offset)"},
        {"limit", "integer", "page size, 1 to 1000 (default 1000)"}},
       "",
       "EnrolmentList",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         const std::string study = protocol->id;
         auto& pseudonyms = c.services.pseudonyms;
         STREAM_ASSIGN_OR_RETURN(auto views, c.services.enrolments.ListAllocations(
                                                 c.actor, *protocol, [&](const std::string& p) {
                                                   return pseudonyms.For(study, p);
                                                 }));
         STREAM_ASSIGN_OR_RETURN(auto offset, c.IntQuery("offset", 0, 0, INT64_MAX / 2));
         STREAM_ASSIGN_OR_RETURN(auto limit, c.IntQuery("limit", 1000, 1, 1000));
         const int64_t total = std::ssize(views);
         nlohmann::json items = nlohmann::json::array();
         for (int64_t i = std::min(offset, total); i < total && i < offset + limit; ++i) {
           const auto& v = views[static_cast<size_t>(i)];
           items.push_back(EnrolmentJson(v.enrolment, v.patient));
         }
         const int64_t next = offset + static_cast<int64_t>(items.size());
         return Reply::Json(
             {{"items", items},
              {"next_offset", next < total ? nlohmann::json(next) : nlohmann::json()}});
       }});
  routes.push_back(
      {"POST",
       "/api/v1/protocols/{protocol}/enrolments/{id}/unblind",
       "enrolment",
       "Emergency unblinding of one enrolled patient (by patient id): {reason}; audited",
       false,
       {},
       "Reason",
       "Enrolment",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         STREAM_ASSIGN_OR_RETURN(auto patient_id, c.IdParam("id"));
         STREAM_ASSIGN_OR_RETURN(auto reason, c.Text("reason", false));
         STREAM_ASSIGN_OR_RETURN(
             auto e, c.services.enrolments.Unblind(c.actor, *protocol, patient_id, reason));
         return Reply::Json(EnrolmentJson(e, ""));
       }});
}

}  // namespace stream::http
