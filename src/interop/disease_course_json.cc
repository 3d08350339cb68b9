#include "interop/disease_course_json.h"

#include "clinical/disease_course.h"
#include "clinical/eln2022_genetic_risk.h"
#include "clinical/endpoints.h"

namespace stream::interop {
namespace {

using nlohmann::json;

json Optional(const std::optional<Date>& d) { return d ? json(d->ToString()) : json(); }

json EvidenceJson(const std::vector<clinical::Evidence>& evidence) {
  json out = json::array();
  for (const auto& e : evidence) {
    out.push_back({{"kind", e.kind},
                   {"record_id", e.record_id},
                   {"date", e.date.ToString()},
                   {"summary", e.summary}});
  }
  return out;
}

json GeneticRiskJson(const PatientHistory& h, Date as_of) {
  if (h.diagnoses.empty() || h.diagnoses.back().disease != "aml") {
    return {{"category", nullptr},
            {"applies", false},
            {"reasons", json::array({"ELN 2022 genetic risk applies to AML only"})},
            {"missing", json::array()}};
  }
  const auto risk = clinical::ClassifyEln2022GeneticRisk(h, as_of);
  json category = risk.category == clinical::GeneticRisk::kUnknown
                      ? json()
                      : json(std::string(clinical::ToString(risk.category)));
  return {{"category", category},
          {"applies", true},
          {"reasons", risk.reasons},
          {"missing", risk.missing}};
}

// Each assessment's category as STREAM derives it under the patient's rules, beside the
// site's entry.
json AssessmentsJson(const PatientHistory& h, Date as_of) {
  const auto rules = clinical::RulesFor(h);
  json out = json::array();
  for (const auto& a : h.responses) {
    if (a.assessment_date > as_of) continue;
    const auto reading = clinical::ReadAssessment(a, rules);
    std::optional<std::string> derived;
    if (reading.state) {
      derived = std::string(clinical::ToCode(*reading.state));
    } else if (reading.has_disease) {
      derived = "no_response";
    }
    const bool disagree =
        derived && a.eln2022_category && *a.eln2022_category != *derived &&
        // ELN 2017 codes keep their meaning for CR, CRi, MLFS and PR
        clinical::ParseResponseCode(*a.eln2022_category) != clinical::ParseResponseCode(*derived);
    out.push_back({{"record_id", a.record_id},
                   {"date", a.assessment_date.ToString()},
                   {"entered", a.eln2022_category ? json(*a.eln2022_category) : json()},
                   {"derived", derived ? json(*derived) : json()},
                   {"disagrees", disagree},
                   {"reading", reading.summary.empty() ? reading.undecided : reading.summary},
                   {"mrd_status", a.mrd_status ? json(*a.mrd_status) : json()}});
  }
  return out;
}

}  // namespace

json DiseaseCourseJson(const PatientHistory& h, Date as_of) {
  const auto snap = clinical::DiseaseStateAsOf(h, as_of);
  const auto course = clinical::BuildDiseaseCourse(h);
  json state = nullptr;
  if (snap.state) {
    state = {{"code", clinical::ToCode(*snap.state)},
             {"description", clinical::Describe(*snap.state)},
             {"since", Optional(snap.since)},
             {"confirmed_on", Optional(snap.confirmed_on)},
             {"evidence", EvidenceJson(snap.evidence)}};
  }
  json events = json::array();
  for (const auto& e : course.events) {
    if (e.date > as_of) continue;
    events.push_back({{"date", e.date.ToString()},
                      {"kind", clinical::ToCode(e.kind)},
                      {"state", e.state ? json(std::string(clinical::ToCode(*e.state))) : json()},
                      {"description", e.description},
                      {"evidence", EvidenceJson(e.evidence)}});
  }
  return {{"as_of", as_of.ToString()},
          {"rules", clinical::ToCode(snap.rules)},
          {"state", state},
          {"remission_date", Optional(snap.remission_date)},
          {"mrd",
           {{"status", snap.mrd_status.empty() ? json() : json(snap.mrd_status)},
            {"relapse", snap.mrd_relapse},
            {"relapse_date", Optional(snap.mrd_relapse_date)}}},
          {"last_transplant", Optional(snap.last_transplant)},
          {"vital",
           {{"alive", !snap.death_date.has_value()},
            {"death_date", Optional(snap.death_date)},
            {"lost_to_follow_up", snap.lost_to_follow_up}}},
          {"events", events},
          {"genetic_risk", GeneticRiskJson(h, as_of)},
          {"assessments", AssessmentsJson(h, as_of)},
          {"notes", snap.notes}};
}

}  // namespace stream::interop
