// Who may be enrolled where and when (issue #23, #13.5): site activation per protocol,
// recruitment status, ending an enrolment, and site attestations as records.
#include "http/routes.h"
#include "service/access_policy.h"

namespace stream::http {
namespace {

Result<Date> DateMember(const Call& c, const std::string& member) {
  STREAM_ASSIGN_OR_RETURN(auto text, c.Text(member));
  auto d = Date::Parse(text);
  if (!d) return Fail(ErrorCode::kInvalidArgument, "expected a date YYYY-MM-DD", member);
  return *d;
}

nlohmann::json StandingJson(const protocol::SiteStanding& s) {
  return {{"state", protocol::ToString(s.state)},
          {"since", s.since ? nlohmann::json(s.since->ToString()) : nlohmann::json()},
          {"version", s.version},
          {"approval_reference", s.approval_reference},
          {"reason", s.reason}};
}

nlohmann::json ActivationJson(const SiteActivation& a) {
  return {{"id", a.id},
          {"protocol", a.protocol_id},
          {"site", a.site},
          {"status", a.status},
          {"effective_on", a.effective_on.ToString()},
          {"protocol_version", a.protocol_version},
          {"approval_reference", a.approval_reference},
          {"reason", a.reason},
          {"changed_at", a.changed_at.ToString()},
          {"changed_by", a.changed_by}};
}

nlohmann::json AttestationJson(const Attestation& a) {
  return {{"id", a.id},
          {"protocol", a.protocol_id},
          {"protocol_version", a.protocol_version},
          {"criterion", a.criterion},
          {"name", a.name},
          {"value", a.value},
          {"attested_on", a.attested_on.ToString()},
          {"attested_at", a.attested_at.ToString()},
          {"attested_by", a.attested_by},
          {"site", a.site}};
}

Result<rules::Attestations> AttestationsMember(const nlohmann::json& body) {
  rules::Attestations out;
  if (!body.is_object() || !body.contains("attestations") || !body["attestations"].is_object())
    return Fail(ErrorCode::kInvalidArgument, "expected an object of true/false", "attestations");
  for (const auto& [name, value] : body["attestations"].items()) {
    if (!value.is_boolean())
      return Fail(ErrorCode::kInvalidArgument, "expected true or false", "/attestations/" + name);
    out[name] = value.get<bool>();
  }
  return out;
}

}  // namespace

void AddEnrolmentGateRoutes(std::vector<Route>& routes) {
  routes.push_back(
      {"POST",
       "/api/v1/protocols/{protocol}/sites/{site}/status",
       "protocols",
       "Activate, suspend or close a protocol at a site from a date: {status: "
       "active|suspended|closed, effective_on, protocol_version, approval_reference, reason}",
       false,
       {},
       "SiteActivationRequest",
       "SiteActivation",
       [](Call& c) -> Result<Reply> {
         STREAM_RETURN_IF_ERROR(Require(c.actor, service::Permission::kManageProtocols));
         service::SiteActivationRequest r;
         r.protocol_id = c.params.at("protocol");
         r.site = c.params.at("site");
         STREAM_ASSIGN_OR_RETURN(r.status, c.Text("status"));
         STREAM_ASSIGN_OR_RETURN(r.effective_on, DateMember(c, "effective_on"));
         STREAM_ASSIGN_OR_RETURN(r.protocol_version, c.Text("protocol_version", false));
         STREAM_ASSIGN_OR_RETURN(r.approval_reference, c.Text("approval_reference", false));
         STREAM_ASSIGN_OR_RETURN(r.reason, c.Text("reason", false));
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto a,
                                 c.services.protocols.sites().Change(c.actor, *catalogue, r));
         return Reply::Json(ActivationJson(a), 201);
       }});
  routes.push_back(
      {"GET",
       "/api/v1/protocols/{protocol}/sites",
       "protocols",
       "Every activation, suspension and closure of the protocol at its sites, in order",
       false,
       {},
       "",
       "SiteActivationList",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         STREAM_ASSIGN_OR_RETURN(auto rows,
                                 c.services.protocols.sites().History(c.actor, protocol->id));
         nlohmann::json items = nlohmann::json::array();
         for (const auto& a : rows) items.push_back(ActivationJson(a));
         return Reply::Json({{"items", items}});
       }});
  routes.push_back(
      {"GET",
       "/api/v1/protocols/{protocol}/recruitment",
       "protocols",
       "Recruitment status: per site the standing today, the version in force, enrolments "
       "by version and those due to re-consent after an amendment",
       false,
       {},
       "",
       "RecruitmentStatus",
       [](Call& c) -> Result<Reply> {
         auto catalogue = c.services.protocols.Current();
         STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
         STREAM_ASSIGN_OR_RETURN(auto status, c.services.protocols.sites().Recruitment(
                                                  c.actor, *catalogue, protocol->id));
         nlohmann::json sites = nlohmann::json::array();
         for (const auto& s : status.sites) {
           sites.push_back({{"site", s.site},
                            {"standing", StandingJson(s.standing)},
                            {"enrolled", s.enrolled},
                            {"on_study", s.on_study},
                            {"enrolled_by_version", s.enrolled_by_version},
                            {"reconsent_due", s.reconsent_due}});
         }
         return Reply::Json({{"protocol", status.protocol_id},
                             {"current_version", status.current_version},
                             {"versions", status.versions},
                             {"active_sites", status.active_sites},
                             {"enrolled_by_version", status.enrolled_by_version},
                             {"sites", sites}});
       }});
  routes.push_back({"POST",
                    "/api/v1/protocols/{protocol}/enrolments/{id}/end",
                    "enrolment",
                    "End a patient's enrolment (by patient id): {off_study_date, reason: completed|"
                    "toxicity|progression|withdrawal|death|investigator_decision, note}; audited",
                    false,
                    {},
                    "EnrolmentEnding",
                    "EnrolmentEnded",
                    [](Call& c) -> Result<Reply> {
                      auto catalogue = c.services.protocols.Current();
                      STREAM_ASSIGN_OR_RETURN(auto protocol, FindProtocol(*catalogue, c));
                      service::EndEnrolmentRequest r;
                      STREAM_ASSIGN_OR_RETURN(r.patient_id, c.IdParam("id"));
                      STREAM_ASSIGN_OR_RETURN(r.off_study_date, DateMember(c, "off_study_date"));
                      STREAM_ASSIGN_OR_RETURN(r.reason, c.Text("reason"));
                      STREAM_ASSIGN_OR_RETURN(r.note, c.Text("note", false));
                      STREAM_ASSIGN_OR_RETURN(
                          auto e, c.services.enrolments.EndEnrolment(c.actor, *protocol, r));
                      return Reply::Json({{"protocol", e.protocol_id},
                                          {"patient_id", e.patient_id},
                                          {"enrolment_id", e.id},
                                          {"protocol_version", e.protocol_version},
                                          {"off_study_date", e.off_study_date->ToString()},
                                          {"off_study_reason", e.off_study_reason}});
                    }});
  routes.push_back(
      {"POST",
       "/api/v1/patients/{id}/attestations",
       "screening",
       "Record site attestations for a protocol as dated, attributed records: {protocol, "
       "attestations: {name: true|false}}",
       false,
       {},
       "AttestationRequest",
       "AttestationList",
       [](Call& c) -> Result<Reply> {
         STREAM_RETURN_IF_ERROR(Require(c.actor, service::Permission::kScreen));
         STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
         STREAM_ASSIGN_OR_RETURN(auto protocol_id, c.Text("protocol"));
         auto catalogue = c.services.protocols.Current();
         const auto* protocol = catalogue->Find(protocol_id);
         if (!protocol)
           return Fail(ErrorCode::kInvalidArgument, "no protocol '" + protocol_id + "'",
                       "protocol");
         STREAM_ASSIGN_OR_RETURN(auto given, AttestationsMember(c.body));
         STREAM_ASSIGN_OR_RETURN(
             auto rows, c.services.enrolments.RecordAttestations(c.actor, *protocol, id, given));
         nlohmann::json items = nlohmann::json::array();
         for (const auto& a : rows) items.push_back(AttestationJson(a));
         return Reply::Json({{"items", items}}, 201);
       }});
  routes.push_back({"GET",
                    "/api/v1/patients/{id}/attestations",
                    "screening",
                    "The patient's site attestations: who attested what, when, for which "
                    "protocol version and criterion",
                    false,
                    {},
                    "",
                    "AttestationList",
                    [](Call& c) -> Result<Reply> {
                      STREAM_ASSIGN_OR_RETURN(auto id, c.IdParam("id"));
                      STREAM_ASSIGN_OR_RETURN(auto rows,
                                              c.services.enrolments.ListAttestations(c.actor, id));
                      nlohmann::json items = nlohmann::json::array();
                      for (const auto& a : rows) items.push_back(AttestationJson(a));
                      return Reply::Json({{"items", items}});
                    }});
}

}  // namespace stream::http
