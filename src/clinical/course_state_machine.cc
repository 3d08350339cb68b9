// The derivation of the disease state from one day's observations: remission, response,
// relapse (with I-BFM's confirmation of an M2 marrow), MRD relapse (ELN 2022 table 7) and
// conflicting records of the same day.
#include "clinical/course_state_machine.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace stream::clinical {

bool CourseStateMachine::TreatedBefore(Date d) const {
  return std::any_of(h.treatment_lines.begin(), h.treatment_lines.end(),
                     [&](const TreatmentLine& l) { return l.start_date < d; });
}

std::optional<DiseaseState> CourseStateMachine::Next(const Observation& o) const {
  using W = Observation::What;
  const bool in_remission = settled && IsRemission(*settled);
  const bool after_remission = snap.ever_in_remission;
  switch (o.what) {
    case W::kDiagnosis:
      return DiseaseState::kActiveAtDiagnosis;
    case W::kRegisteredRefractory:
      return after_remission ? DiseaseState::kRelapse : DiseaseState::kPrimaryRefractory;
    case W::kRegisteredRelapse:
      return DiseaseState::kRelapse;
    case W::kRelapseRecord:
      if (o.mrd_relapse_record) return std::nullopt;
      return o.extramedullary_only ? DiseaseState::kExtramedullaryRelapse : DiseaseState::kRelapse;
    case W::kLineFailure:
      if (settled &&
          (*settled == DiseaseState::kRelapse || *settled == DiseaseState::kExtramedullaryRelapse))
        return settled;
      return after_remission ? DiseaseState::kRelapse : DiseaseState::kPrimaryRefractory;
    case W::kMrd:
      return std::nullopt;
    case W::kAssessment: {
      const AssessmentReading& r = o.reading;
      if (!r.has_disease) return r.state;
      if (in_remission || (after_remission && settled &&
                           (*settled == DiseaseState::kMlfs || *settled == DiseaseState::kPr))) {
        return r.extramedullary_only ? DiseaseState::kExtramedullaryRelapse
                                     : DiseaseState::kRelapse;
      }
      if (settled &&
          (*settled == DiseaseState::kRelapse || *settled == DiseaseState::kExtramedullaryRelapse ||
           *settled == DiseaseState::kPrimaryRefractory)) {
        // Still active; an extramedullary relapse with marrow disease is now combined.
        if (*settled == DiseaseState::kExtramedullaryRelapse && !r.extramedullary_only)
          return DiseaseState::kRelapse;
        return r.state == DiseaseState::kPr ? DiseaseState::kPr : *settled;
      }
      if (r.state == DiseaseState::kPr) return DiseaseState::kPr;
      if (after_remission) return DiseaseState::kRelapse;
      return TreatedBefore(o.date) ? DiseaseState::kPrimaryRefractory
                                   : DiseaseState::kActiveAtDiagnosis;
    }
  }
  return std::nullopt;
}

void CourseStateMachine::Emit(Date date, CourseEventKind kind, std::optional<DiseaseState> state,
                              std::string description, std::vector<Evidence> evidence) {
  course.events.push_back({date, kind, state, std::move(description), std::move(evidence)});
}

void CourseStateMachine::SetState(Date date, DiseaseState state, std::vector<Evidence> evidence) {
  const bool changed = !snap.state || *snap.state != state;
  if (IsRemission(state) && !(snap.state && IsRemission(*snap.state))) {
    snap.remission_date = date;
    snap.ever_in_remission = true;
    snap.mrd_status.clear();
    snap.mrd_relapse = false;
    snap.mrd_relapse_date.reset();
    last_mrd_value.reset();
    pending_m2 = false;
  }
  if (IsActiveDisease(state)) {
    // Out of remission: the MRD history belonged to the remission that ended.
    snap.mrd_status.clear();
    snap.mrd_relapse = false;
    snap.mrd_relapse_date.reset();
    last_mrd_value.reset();
  }
  if (changed) {
    snap.previous = snap.state;
    snap.since = date;
    snap.evidence = evidence;
    std::string description(Describe(state));
    if ((state == DiseaseState::kRelapse || state == DiseaseState::kExtramedullaryRelapse) &&
        snap.remission_date)
      description += " after the remission of " + snap.remission_date->ToString();
    Emit(date, CourseEventKind::kState, state, description, evidence);
  } else {
    for (auto& e : evidence) snap.evidence.push_back(e);
  }
  snap.state = state;
  snap.confirmed_on = date;
  if (state != DiseaseState::kConflicting) settled = state;
}

void CourseStateMachine::ReadMrd(const ResponseAssessment& a, const Evidence& evidence) {
  if (!snap.state || !IsRemission(*snap.state) || !a.mrd_status) return;
  const std::string& status = *a.mrd_status;
  const bool was_negative = snap.mrd_status == "negative";
  bool relapse = false;
  std::string why;
  if (status == "positive" && was_negative) {
    relapse = true;
    why = "MRD converted from negative to positive";
  } else if (status == "positive" && a.mrd_value && last_mrd_value && *last_mrd_value > 0 &&
             std::log10(*a.mrd_value / *last_mrd_value) >= options.mrd_log_rise) {
    relapse = true;
    why = "MRD rose from " + Percent(*last_mrd_value) + " to " + Percent(*a.mrd_value);
  }
  if (relapse && !snap.mrd_relapse) {
    snap.mrd_relapse = true;
    snap.mrd_relapse_date = a.assessment_date;
    Emit(a.assessment_date, CourseEventKind::kMrdRelapse, std::nullopt, "MRD relapse: " + why,
         {evidence});
  } else if (status == "negative" && snap.mrd_relapse) {
    snap.mrd_relapse = false;
    Emit(a.assessment_date, CourseEventKind::kMrdNegativeAgain, std::nullopt, "MRD negative again",
         {evidence});
  }
  snap.mrd_status = status;
  if (status == "positive" && a.mrd_value) last_mrd_value = a.mrd_value;
  if (status == "negative") last_mrd_value.reset();
}

// All observations of one day.
void CourseStateMachine::Day(Date date, std::vector<const Observation*> day) {
  // Strongest evidence of the day decides; weaker evidence of the same day is ignored.
  Strength top = Strength::kDiagnosis;
  for (const auto* o : day) top = std::max(top, o->strength);
  std::map<DiseaseState, std::vector<Evidence>> proposals;
  const bool in_remission = settled && IsRemission(*settled);
  for (const auto* o : day) {
    if (o->strength != top) continue;
    if (o->what == Observation::What::kAssessment) {
      if (o->reading.needs_confirmation && in_remission && !pending_m2) {
        pending_m2 = true;
        snap.notes.push_back(date.ToString() +
                             ": M2 marrow in remission; a relapse when a second M2 or an M3 "
                             "confirms it");
        continue;
      }
      if (o->reading.state && IsRemission(*o->reading.state)) pending_m2 = false;
    }
    if (o->what == Observation::What::kAssessment && !o->reading.state && !o->reading.has_disease) {
      snap.notes.push_back(date.ToString() + ": " + o->reading.undecided);
      continue;
    }
    if (auto next = Next(*o)) proposals[*next].push_back(o->evidence);
  }
  if (proposals.size() == 1) {
    SetState(date, proposals.begin()->first, proposals.begin()->second);
  } else if (proposals.size() > 1) {
    std::vector<Evidence> all;
    std::string description = "conflicting records:";
    for (const auto& [state, evidence] : proposals) {
      description += std::string(" ") + std::string(ToCode(state));
      for (const auto& e : evidence) all.push_back(e);
    }
    // In the order the records were entered.
    std::sort(all.begin(), all.end(),
              [](const Evidence& a, const Evidence& b) { return a.record_id < b.record_id; });
    SetState(date, DiseaseState::kConflicting, all);
    course.events.back().description = description;
  }
  // MRD relapse records and MRD results are read after the day's state.
  for (const auto* o : day) {
    if (o->what == Observation::What::kRelapseRecord && o->mrd_relapse_record &&
        !snap.mrd_relapse) {
      snap.mrd_relapse = true;
      snap.mrd_relapse_date = date;
      Emit(date, CourseEventKind::kMrdRelapse, std::nullopt, "MRD relapse recorded", {o->evidence});
    }
    if (o->what == Observation::What::kAssessment && o->assessment != nullptr)
      ReadMrd(*o->assessment, o->evidence);
  }
}

}  // namespace stream::clinical
