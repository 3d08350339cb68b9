// The disease course assembled: the observations and the dated side events (transplant,
// death, follow-up) merged in date order through the state machine, up to a date or
// whole; and the course's vocabulary (codes, descriptions, which rules apply).
#include "clinical/disease_course.h"

#include <algorithm>

#include "clinical/course_observation.h"
#include "clinical/course_state_machine.h"

namespace stream::clinical {
namespace {

bool IsLymphoid(const Diagnosis& d) {
  return d.disease == "all" ||
         (d.disease == "mpal" && d.lineage && (*d.lineage == "b_cell" || *d.lineage == "t_cell"));
}

void Run(const PatientHistory& h, std::optional<Date> until, const CourseOptions& options,
         DiseaseSnapshot& snap, DiseaseCourse& course) {
  const CourseRules rules = RulesFor(h);
  const auto observations = Observe(h, rules, options);
  CourseStateMachine m{h, options, {}, {}, std::nullopt, std::nullopt};
  m.snap.rules = rules;
  m.course.rules = rules;

  // Transplants, deaths and follow-up are dated events beside the disease state.
  struct Side {
    Date date;
    CourseEventKind kind;
    std::string description;
    Evidence evidence;
  };
  std::vector<Side> side;
  for (const auto& t : h.transplants)
    side.push_back({t.transplant_date, CourseEventKind::kTransplant,
                    "transplant (" + t.donor_type + ")",
                    EvidenceOf("transplant", t.record_id, t.transplant_date, t.donor_type)});
  for (const auto& d : h.deaths)
    side.push_back({d.death_date, CourseEventKind::kDeath, "death (" + d.cause + ")",
                    EvidenceOf("death", d.record_id, d.death_date, d.cause)});
  for (const auto& f : h.follow_ups) {
    if (f.vital_status == "dead" && h.deaths.empty())
      side.push_back({f.contact_date, CourseEventKind::kDeath, "death (reported at follow-up)",
                      EvidenceOf("follow_up", f.record_id, f.contact_date, "vital status: dead")});
    if (f.vital_status == "lost_to_follow_up")
      side.push_back({f.contact_date, CourseEventKind::kLostToFollowUp, "lost to follow-up",
                      EvidenceOf("follow_up", f.record_id, f.contact_date, "lost to follow-up")});
  }
  std::stable_sort(side.begin(), side.end(),
                   [](const Side& a, const Side& b) { return a.date < b.date; });

  size_t i = 0, s = 0;
  auto in_scope = [&](Date d) { return !until || d <= *until; };
  while (true) {
    const bool more_obs = i < observations.size() && in_scope(observations[i].date);
    const bool more_side = s < side.size() && in_scope(side[s].date);
    if (!more_obs && !more_side) break;
    if (more_obs && (!more_side || observations[i].date <= side[s].date)) {
      const Date date = observations[i].date;
      std::vector<const Observation*> day;
      while (i < observations.size() && observations[i].date == date)
        day.push_back(&observations[i++]);
      m.Day(date, std::move(day));
      continue;
    }
    const Side& e = side[s++];
    switch (e.kind) {
      case CourseEventKind::kTransplant:
        m.snap.last_transplant = e.date;
        break;
      case CourseEventKind::kDeath:
        if (m.snap.death_date) continue;  // one death
        m.snap.death_date = e.date;
        break;
      case CourseEventKind::kLostToFollowUp:
        m.snap.lost_to_follow_up = true;
        break;
      default:
        break;
    }
    m.Emit(e.date, e.kind, std::nullopt, e.description, {e.evidence});
  }
  // A contact after the patient was reported lost ends "lost to follow-up".
  if (m.snap.lost_to_follow_up) {
    Date lost;
    for (const auto& f : h.follow_ups)
      if (f.vital_status == "lost_to_follow_up" && in_scope(f.contact_date)) lost = f.contact_date;
    for (const auto& f : h.follow_ups)
      if (f.vital_status == "alive" && f.contact_date > lost && in_scope(f.contact_date))
        m.snap.lost_to_follow_up = false;
  }
  snap = std::move(m.snap);
  course = std::move(m.course);
}

}  // namespace

std::string_view ToCode(DiseaseState state) {
  switch (state) {
    case DiseaseState::kActiveAtDiagnosis:
      return "active_at_diagnosis";
    case DiseaseState::kPrimaryRefractory:
      return "primary_refractory";
    case DiseaseState::kRelapse:
      return "relapse";
    case DiseaseState::kExtramedullaryRelapse:
      return "extramedullary_relapse";
    case DiseaseState::kCr:
      return "cr";
    case DiseaseState::kCrh:
      return "crh";
    case DiseaseState::kCri:
      return "cri";
    case DiseaseState::kMlfs:
      return "mlfs";
    case DiseaseState::kPr:
      return "pr";
    case DiseaseState::kConflicting:
      return "conflicting";
  }
  return "conflicting";
}

std::string_view Describe(DiseaseState state) {
  switch (state) {
    case DiseaseState::kActiveAtDiagnosis:
      return "active disease at diagnosis";
    case DiseaseState::kPrimaryRefractory:
      return "primary refractory disease";
    case DiseaseState::kRelapse:
      return "relapse";
    case DiseaseState::kExtramedullaryRelapse:
      return "isolated extramedullary relapse";
    case DiseaseState::kCr:
      return "complete remission (CR)";
    case DiseaseState::kCrh:
      return "CR with partial haematological recovery (CRh)";
    case DiseaseState::kCri:
      return "CR with incomplete haematological recovery (CRi)";
    case DiseaseState::kMlfs:
      return "morphologic leukaemia-free state (MLFS)";
    case DiseaseState::kPr:
      return "partial remission (PR)";
    case DiseaseState::kConflicting:
      return "conflicting records";
  }
  return "";
}

bool IsRemission(DiseaseState state) {
  return state == DiseaseState::kCr || state == DiseaseState::kCrh || state == DiseaseState::kCri;
}

bool IsActiveDisease(DiseaseState state) {
  return state == DiseaseState::kActiveAtDiagnosis || state == DiseaseState::kPrimaryRefractory ||
         state == DiseaseState::kRelapse || state == DiseaseState::kExtramedullaryRelapse;
}

bool IsRelapsedOrRefractory(const DiseaseSnapshot& s, bool treated) {
  if (!s.state) return false;
  switch (*s.state) {
    case DiseaseState::kPrimaryRefractory:
    case DiseaseState::kRelapse:
    case DiseaseState::kExtramedullaryRelapse:
      return true;
    case DiseaseState::kPr:
      return treated || s.ever_in_remission;
    case DiseaseState::kMlfs:
      if (s.previous && IsRemission(*s.previous)) return false;
      return treated || s.ever_in_remission;
    default:
      return false;
  }
}

std::string_view ToCode(CourseRules rules) {
  return rules == CourseRules::kAllIbfm ? "all_ibfm" : "aml_eln2022";
}

std::string_view ToCode(CourseEventKind kind) {
  switch (kind) {
    case CourseEventKind::kState:
      return "state";
    case CourseEventKind::kMrdRelapse:
      return "mrd_relapse";
    case CourseEventKind::kMrdNegativeAgain:
      return "mrd_negative_again";
    case CourseEventKind::kTransplant:
      return "transplant";
    case CourseEventKind::kDeath:
      return "death";
    case CourseEventKind::kLostToFollowUp:
      return "lost_to_follow_up";
  }
  return "state";
}

CourseRules RulesFor(const PatientHistory& history) {
  if (!history.diagnoses.empty() && IsLymphoid(history.diagnoses.back()))
    return CourseRules::kAllIbfm;
  return CourseRules::kAmlEln2022;
}

DiseaseCourse BuildDiseaseCourse(const PatientHistory& history, const CourseOptions& options) {
  DiseaseSnapshot snap;
  DiseaseCourse course;
  Run(history, std::nullopt, options, snap, course);
  return course;
}

DiseaseSnapshot DiseaseStateAsOf(const PatientHistory& history, Date on,
                                 const CourseOptions& options) {
  DiseaseSnapshot snap;
  DiseaseCourse course;
  Run(history, on, options, snap, course);
  snap.as_of = on;
  return snap;
}

}  // namespace stream::clinical
