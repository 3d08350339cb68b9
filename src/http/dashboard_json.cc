#include "http/dashboard_json.h"

#include <cmath>

#include "service/endpoint_dataset.h"

namespace stream::http {
namespace {

using json = nlohmann::json;

// Whole days as integers (0, 90), anything else as it is.
json Number(double v) {
  if (std::isnan(v)) return nullptr;
  if (v == std::floor(v) && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}
json Number(const std::optional<double>& v) { return v ? Number(*v) : json(); }

std::string_view Role(protocol::EndpointRole role) {
  return role == protocol::EndpointRole::kPrimary ? "primary" : "secondary";
}

json Counts(const std::vector<service::CriterionCount>& counts) {
  json out = json::array();
  for (const auto& c : counts)
    out.push_back({{"criterion", c.criterion}, {"wording", c.wording}, {"patients", c.patients}});
  return out;
}

json ConsortJson(const service::Consort& c) {
  json arms = json::array();
  for (const auto& a : c.arms) {
    arms.push_back({{"arm", a.arm},
                    {"allocated", a.allocated},
                    {"died", a.died},
                    {"relapsed", a.relapsed},
                    {"lost_to_follow_up", a.lost_to_follow_up},
                    {"consent_withdrawn", a.consent_withdrawn},
                    {"analysed", a.analysed}});
  }
  return {{"assessed", c.assessed},
          {"not_eligible", c.not_eligible},
          {"unknown", c.unknown},
          {"eligible_not_enrolled", c.eligible_not_enrolled},
          {"enrolled", c.enrolled},
          {"not_eligible_reasons", Counts(c.not_eligible_reasons)},
          {"missing_data", Counts(c.missing_data)},
          {"arms", arms}};
}

json ResponsesJson(const std::vector<service::EndpointRates>& responses) {
  json out = json::array();
  for (const auto& r : responses) {
    json arms = json::array();
    for (const auto& a : r.arms) {
      const auto& e = a.estimate;
      arms.push_back({{"arm", a.arm},
                      {"responders", e.responders},
                      {"evaluable", e.evaluable},
                      {"rate", Number(e.rate)},
                      {"lower", Number(e.lower)},
                      {"upper", Number(e.upper)}});
    }
    out.push_back(
        {{"endpoint", r.endpoint->id},
         {"definition", protocol::ToString(r.endpoint->definition)},
         {"wording", r.endpoint->wording},
         {"role", Role(r.endpoint->role)},
         {"landmark_days", r.endpoint->landmark_days ? json(*r.endpoint->landmark_days) : json()},
         {"conf_level", 0.95},
         {"arms", arms}});
  }
  return out;
}

json EndpointsJson(const protocol::Protocol& p) {
  json out = json::array();
  for (const auto& e : p.endpoints) {
    out.push_back({{"id", e.id},
                   {"definition", protocol::ToString(e.definition)},
                   {"role", Role(e.role)},
                   {"wording", e.wording},
                   {"time_to_event", service::TimeToEventKind(e.definition).has_value()},
                   {"origin", protocol::ToString(e.origin)},
                   {"population", protocol::ToString(e.population)},
                   {"follow_up_days", e.follow_up_days ? json(*e.follow_up_days) : json()}});
  }
  return out;
}

json RemissionSpansJson(const std::vector<service::RemissionSpan>& spans) {
  json out = json::array();
  for (const auto& s : spans) {
    out.push_back({{"endpoint", s.endpoint->id},
                   {"wording", s.endpoint->wording},
                   {"enrolled", s.enrolled},
                   {"in_remission", s.in_remission},
                   {"first", s.first ? json(s.first->ToString()) : json()},
                   {"last", s.last ? json(s.last->ToString()) : json()},
                   {"days", s.days ? json(*s.days) : json()}});
  }
  return out;
}

json ExcludedJson(const std::vector<std::pair<std::string, int64_t>>& excluded) {
  json out = json::array();
  for (const auto& [reason, n] : excluded) out.push_back({{"reason", reason}, {"patients", n}});
  return out;
}

json Named(const std::vector<service::CategoryCount>& counts, const char* key) {
  json out = json::array();
  for (const auto& c : counts) out.push_back({{key, c.category}, {"patients", c.patients}});
  return out;
}

json SwimmerJson(const service::Swimmer& s, bool with_id) {
  json lines = json::array();
  for (const auto& l : s.lines) {
    lines.push_back({{"line", l.line},
                     {"regimen", l.regimen},
                     {"start", l.start.ToString()},
                     {"end", l.end ? json(l.end->ToString()) : json()}});
  }
  json events = json::array();
  for (const auto& e : s.events)
    events.push_back({{"date", e.date.ToString()}, {"type", e.type}, {"label", e.label}});
  json out = {{"pseudonym", s.pseudonym}, {"site", s.site},
              {"disease", s.disease},     {"start", s.start.ToString()},
              {"end", s.end.ToString()},  {"status", s.status},
              {"lines", lines},           {"events", events}};
  if (with_id) out["patient_id"] = s.patient_id;
  return out;
}

}  // namespace

json ProtocolDashboardJson(const protocol::Protocol& p, const service::ProtocolDashboard& d) {
  json target = nullptr;
  if (p.accrual) {
    target = {{"patients", p.accrual->target},
              {"start", p.accrual->start.ToString()},
              {"end", p.accrual->end.ToString()}};
  }
  json enrolments = json::array();
  for (const auto& e : d.enrolments)
    enrolments.push_back({{"date", e.date.ToString()}, {"site", e.site}, {"arm", e.arm}});
  json arms = json::array();
  for (const auto& a : d.arms) {
    arms.push_back({{"id", a.id},
                    {"name", a.name},
                    {"status", protocol::ToString(a.status)},
                    {"cap", a.cap ? json(*a.cap) : json()},
                    {"enrolled", a.enrolled}});
  }
  return {{"protocol", p.id},
          {"title", p.title},
          {"blinded", d.blinded},
          {"target", target},
          {"enrolments", enrolments},
          {"arms", arms},
          {"consort", ConsortJson(d.consort)},
          {"responses", ResponsesJson(d.responses)},
          {"remission_spans", RemissionSpansJson(d.remission_spans)},
          {"endpoints", EndpointsJson(p)}};
}

json SurvivalJson(const protocol::Protocol& p, const service::SurvivalReport& r) {
  const bool cir = r.kind == service::EndpointKind::kCir;
  json arms = json::array();
  for (const auto& a : r.arms) {
    json curve = json::array();
    for (const auto& pt : a.curve) {
      json point = {{"time", Number(pt.time)},   {"estimate", Number(pt.estimate)},
                    {"lower", Number(pt.lower)}, {"upper", Number(pt.upper)},
                    {"at_risk", pt.at_risk},     {"events", pt.events},
                    {"censored", pt.censored}};
      if (cir) point["competing"] = pt.competing;
      curve.push_back(point);
    }
    arms.push_back({{"arm", a.arm},
                    {"name", a.name},
                    {"n", a.n},
                    {"events", a.events},
                    {"median", Number(a.median)},
                    {"median_lower", Number(a.median_lower)},
                    {"median_upper", Number(a.median_upper)},
                    {"curve", curve}});
    if (cir) arms.back()["competing"] = a.competing;
  }
  json times = json::array();
  for (double t : r.at_risk.times) times.push_back(Number(t));
  json at_risk_arms = json::array();
  for (size_t i = 0; i < r.arms.size(); ++i)
    at_risk_arms.push_back({{"arm", r.arms[i].arm}, {"counts", r.at_risk.counts[i]}});
  json test = nullptr;
  if (r.test) test = {{"chisq", r.test->chisq}, {"df", r.test->df}, {"p", r.test->p}};
  return {{"protocol", p.id},
          {"endpoint", r.endpoint->id},
          {"definition", protocol::ToString(r.endpoint->definition)},
          {"wording", r.endpoint->wording},
          {"kind", cir ? "cumulative_incidence" : "survival"},
          {"unit", "days"},
          {"conf_level", r.conf_level},
          {"conf_type", "log"},
          {"blinded", r.blinded},
          {"arms", arms},
          {"at_risk", {{"times", times}, {"arms", at_risk_arms}}},
          {"log_rank", test},
          {"test", r.test ? json(cir ? "gray" : "log_rank") : json()},
          {"not_applicable", r.not_applicable},
          {"analysed", r.analysed},
          {"excluded", ExcludedJson(r.excluded)}};
}

json RegistryDashboardJson(const service::RegistryDashboard& d) {
  json swimmers = json::array();
  for (const auto& s : d.swimmers) swimmers.push_back(SwimmerJson(s, !d.pseudonymised));
  return {{"patients", d.patients},
          {"by_disease", Named(d.by_disease, "disease")},
          {"by_status", Named(d.by_status, "status")},
          {"by_site", Named(d.by_site, "site")},
          {"by_disease_status", Named(d.by_disease_status, "status")},
          {"swimmers", swimmers}};
}

}  // namespace stream::http
