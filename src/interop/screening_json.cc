#include "interop/screening_json.h"

namespace stream::interop {

std::string VerdictText(rules::Verdict v) {
  return v == rules::Verdict::kMet      ? "eligible"
         : v == rules::Verdict::kNotMet ? "not eligible"
                                        : "unknown";
}

nlohmann::json ScreeningToJson(const service::ProtocolScreening& s) {
  nlohmann::json criteria = nlohmann::json::array();
  for (const auto& c : s.criteria) {
    criteria.push_back(
        {{"id", c.id},
         {"kind", c.kind == protocol::CriterionKind::kInclusion ? "inclusion" : "exclusion"},
         {"wording", c.wording},
         {"qualifies", ToString(c.qualifies)},
         {"missing", c.missing},
         {"explanation", c.explanation}});
  }
  static constexpr const char* kStates[] = {"arm", "randomise", "waiting", "none"};
  nlohmann::json arm_status = nlohmann::json::array();
  for (auto st : s.arm_status) arm_status.push_back(ToString(st));
  nlohmann::json factors = nlohmann::json::array();
  for (const auto& f : s.factors) {
    factors.push_back({{"factor", f.factor}, {"level", f.level}, {"missing", f.missing}});
  }
  nlohmann::json attestations = nlohmann::json::array();
  for (const auto& a : s.attestations) {
    attestations.push_back({{"name", a.name},
                            {"value", a.value},
                            {"criterion", a.criterion},
                            {"protocol_version", a.protocol_version},
                            {"attested_on", a.attested_on.ToString()},
                            {"attested_by", a.attested_by}});
  }
  return {{"protocol", s.protocol_id},
          {"title", s.protocol_title},
          {"version", s.version},
          {"site_state", s.site_state},
          {"verdict", VerdictText(s.eligible)},
          {"can_enrol_now", s.eligible == rules::Verdict::kMet && s.refusals.empty()},
          {"refusals", s.refusals},
          {"attestations", attestations},
          {"criteria", criteria},
          {"assignment",
           {{"state", kStates[static_cast<int>(s.assignment)]},
            {"entry", s.assignment_entry},
            {"arms", s.arms},
            {"arm_status", arm_status},
            {"arm_notes", s.arm_notes},
            {"missing", s.assignment_missing},
            {"factors", factors}}}};
}

nlohmann::json PatientScreeningToJson(const service::PatientScreening& screening) {
  nlohmann::json protocols = nlohmann::json::array();
  for (const auto& s : screening.protocols) protocols.push_back(ScreeningToJson(s));
  return {{"patient_id", screening.patient_id},
          {"pseudonym", screening.pseudonym},
          {"site", screening.site},
          {"on", screening.on.ToString()},
          {"protocols", protocols}};
}

}  // namespace stream::interop
