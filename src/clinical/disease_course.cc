#include "clinical/disease_course.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "clinical/endpoints.h"

namespace stream::clinical {
namespace {

std::string Percent(double v) {
  char buf[32];
  const auto end = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general).ptr;
  return std::string(buf, end) + " %";
}

// How strongly a step establishes the state: a record of the disease itself (assessment,
// relapse, failed line) outranks the status the site gave at registration, which
// outranks the diagnosis.
enum class Strength { kDiagnosis = 0, kRegistration = 1, kRecord = 2 };

// One dated observation of the disease before the state machine reads it.
struct Observation {
  Date date;
  Strength strength = Strength::kRecord;
  enum class What {
    kDiagnosis,
    kRegisteredRefractory,
    kRegisteredRelapse,
    kAssessment,
    kRelapseRecord,
    kLineFailure,
    kMrd,  // MRD-only information of an assessment in remission
  } what = What::kAssessment;
  AssessmentReading reading;  // kAssessment
  bool extramedullary_only = false;
  bool mrd_relapse_record = false;
  const ResponseAssessment* assessment = nullptr;
  Evidence evidence;
};

Evidence Of(std::string kind, int64_t id, Date date, std::string summary) {
  return {std::move(kind), id, date, std::move(summary)};
}

bool IsRelapseStatus(const std::string& status) {
  return status == "first_relapse" || status == "second_relapse" || status == "later_relapse" ||
         status == "relapse_after_transplant";
}

bool IsLymphoid(const Diagnosis& d) {
  return d.disease == "all" ||
         (d.disease == "mpal" && d.lineage && (*d.lineage == "b_cell" || *d.lineage == "t_cell"));
}

std::vector<Observation> Observe(const PatientHistory& h, CourseRules rules,
                                 const CourseOptions& options) {
  std::vector<Observation> out;
  for (const auto& d : h.diagnoses) {
    Observation o;
    o.date = d.diagnosis_date;
    o.strength = Strength::kDiagnosis;
    o.what = Observation::What::kDiagnosis;
    o.evidence = Of("diagnosis", d.record_id, d.diagnosis_date, "diagnosis of " + d.disease);
    out.push_back(o);
    if (d.status_at_registration == "primary_refractory" ||
        IsRelapseStatus(d.status_at_registration)) {
      Observation r;
      r.date = std::max(h.registered_on, d.diagnosis_date);
      r.strength = Strength::kRegistration;
      r.what = d.status_at_registration == "primary_refractory"
                   ? Observation::What::kRegisteredRefractory
                   : Observation::What::kRegisteredRelapse;
      r.evidence = Of("diagnosis", d.record_id, r.date,
                      "status at registration: " + d.status_at_registration);
      out.push_back(r);
    }
  }
  for (const auto& a : h.responses) {
    Observation o;
    o.date = a.assessment_date;
    o.what = Observation::What::kAssessment;
    o.reading = ReadAssessment(a, rules, options.response);
    o.assessment = &a;
    o.evidence = Of("response", a.record_id, a.assessment_date,
                    o.reading.summary.empty() ? o.reading.undecided : o.reading.summary);
    out.push_back(o);
  }
  for (const auto& r : h.relapses) {
    Observation o;
    o.date = r.relapse_date;
    o.what = Observation::What::kRelapseRecord;
    o.mrd_relapse_record = r.relapse_type == "mrd";
    const bool marrow = r.relapse_type == "haematological" ||
                        std::find(r.sites.begin(), r.sites.end(), "bone_marrow") != r.sites.end();
    o.extramedullary_only = !o.mrd_relapse_record && !marrow;
    std::string summary = r.relapse_type + " relapse";
    if (!r.sites.empty()) {
      std::string sites;
      for (const auto& s : r.sites) sites += (sites.empty() ? "" : ", ") + s;
      summary += " (" + sites + (r.sites.size() > 1 ? ": combined" : ": isolated") + ")";
    }
    o.evidence = Of("relapse", r.record_id, r.relapse_date, summary);
    out.push_back(o);
  }
  for (const auto& l : h.treatment_lines) {
    if (!l.reason_stopped || (*l.reason_stopped != "refractory" && *l.reason_stopped != "relapse"))
      continue;
    Observation o;
    o.date = l.end_date.value_or(l.start_date);
    o.what = Observation::What::kLineFailure;
    o.evidence = Of("treatment_line", l.record_id, o.date,
                    "line " + std::to_string(l.line_number) + " (" + l.regimen + ") stopped: " +
                        (*l.reason_stopped == "refractory" ? "refractory disease" : "relapse"));
    out.push_back(o);
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Observation& a, const Observation& b) { return a.date < b.date; });
  return out;
}

// The state machine's memory between days.
struct Machine {
  const PatientHistory& h;
  const CourseOptions& options;
  DiseaseSnapshot snap;
  DiseaseCourse course;
  std::optional<DiseaseState> settled;   // the last state that was not conflicting
  std::optional<double> last_mrd_value;  // positive MRD value in this remission
  bool pending_m2 = false;               // ALL: an unconfirmed M2 marrow in remission

  bool TreatedBefore(Date d) const {
    return std::any_of(h.treatment_lines.begin(), h.treatment_lines.end(),
                       [&](const TreatmentLine& l) { return l.start_date < d; });
  }

  // The state an observation leads to from the settled state.
  std::optional<DiseaseState> Next(const Observation& o) const {
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
        return o.extramedullary_only ? DiseaseState::kExtramedullaryRelapse
                                     : DiseaseState::kRelapse;
      case W::kLineFailure:
        if (settled && (*settled == DiseaseState::kRelapse ||
                        *settled == DiseaseState::kExtramedullaryRelapse))
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
        if (settled && (*settled == DiseaseState::kRelapse ||
                        *settled == DiseaseState::kExtramedullaryRelapse ||
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

  void Emit(Date date, CourseEventKind kind, std::optional<DiseaseState> state,
            std::string description, std::vector<Evidence> evidence) {
    course.events.push_back({date, kind, state, std::move(description), std::move(evidence)});
  }

  void SetState(Date date, DiseaseState state, std::vector<Evidence> evidence) {
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

  // MRD of an assessment read in a haematological remission (ELN 2022 table 7).
  void ReadMrd(const ResponseAssessment& a, const Evidence& evidence) {
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
      Emit(a.assessment_date, CourseEventKind::kMrdNegativeAgain, std::nullopt,
           "MRD negative again", {evidence});
    }
    snap.mrd_status = status;
    if (status == "positive" && a.mrd_value) last_mrd_value = a.mrd_value;
    if (status == "negative") last_mrd_value.reset();
  }

  // All observations of one day.
  void Day(Date date, std::vector<const Observation*> day) {
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
      if (o->what == Observation::What::kAssessment && !o->reading.state &&
          !o->reading.has_disease) {
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
        Emit(date, CourseEventKind::kMrdRelapse, std::nullopt, "MRD relapse recorded",
             {o->evidence});
      }
      if (o->what == Observation::What::kAssessment && o->assessment != nullptr)
        ReadMrd(*o->assessment, o->evidence);
    }
  }
};

void Run(const PatientHistory& h, std::optional<Date> until, const CourseOptions& options,
         DiseaseSnapshot& snap, DiseaseCourse& course) {
  const CourseRules rules = RulesFor(h);
  const auto observations = Observe(h, rules, options);
  Machine m{h, options, {}, {}, std::nullopt, std::nullopt};
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
                    Of("transplant", t.record_id, t.transplant_date, t.donor_type)});
  for (const auto& d : h.deaths)
    side.push_back({d.death_date, CourseEventKind::kDeath, "death (" + d.cause + ")",
                    Of("death", d.record_id, d.death_date, d.cause)});
  for (const auto& f : h.follow_ups) {
    if (f.vital_status == "dead" && h.deaths.empty())
      side.push_back({f.contact_date, CourseEventKind::kDeath, "death (reported at follow-up)",
                      Of("follow_up", f.record_id, f.contact_date, "vital status: dead")});
    if (f.vital_status == "lost_to_follow_up")
      side.push_back({f.contact_date, CourseEventKind::kLostToFollowUp, "lost to follow-up",
                      Of("follow_up", f.record_id, f.contact_date, "lost to follow-up")});
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

std::string_view MarrowStatus(double blasts) {
  if (blasts < 5) return "M1";
  if (blasts < 25) return "M2";
  return "M3";
}

AssessmentReading ReadAssessment(const ResponseAssessment& a, CourseRules rules,
                                 const ResponseOptions& options) {
  AssessmentReading r;
  const bool cns_disease = a.cns_status && (*a.cns_status == "cns2" || *a.cns_status == "cns3");
  const bool emd = a.extramedullary_disease.value_or(false) || cns_disease;
  const std::string emd_words =
      cns_disease ? "CNS involvement (" + *a.cns_status + ")" : "extramedullary disease";
  if (rules == CourseRules::kAllIbfm) {
    // I-BFM: M1 marrow without CNS or other extramedullary disease is CR; counts are not
    // needed.
    if (a.marrow_blasts) {
      const std::string marrow = "marrow blasts " + Percent(*a.marrow_blasts) + " (" +
                                 std::string(MarrowStatus(*a.marrow_blasts)) + ")";
      if (*a.marrow_blasts >= 5) {
        r.has_disease = true;
        r.needs_confirmation = *a.marrow_blasts < 25 && !emd;
        r.summary = marrow + (emd ? ", " + emd_words : "");
      } else if (emd) {
        r.has_disease = true;
        r.extramedullary_only = true;
        r.summary = marrow + ", " + emd_words;
      } else {
        r.state = DiseaseState::kCr;
        r.summary = marrow + (a.cns_status ? ", " + *a.cns_status : ", CNS status not recorded");
      }
      return r;
    }
    if (emd) {
      r.has_disease = true;
      r.extramedullary_only = true;
      r.summary = emd_words + " (marrow not examined)";
      return r;
    }
    if (a.eln2022_category && *a.eln2022_category == "cr") {
      r.state = DiseaseState::kCr;
      r.summary = "CR as entered by the site (no marrow blasts recorded)";
      return r;
    }
    r.undecided = "no marrow blasts recorded: the assessment decides nothing";
    return r;
  }

  // AML, ELN 2022. Disease that no count can undo: >= 5 % marrow blasts, blood blasts,
  // extramedullary disease. PR (blasts 5-25 % with a >= 50 % fall) is still disease.
  bool mrd_negative = false;
  const auto category = AssessedCategory(a, options, &mrd_negative);
  if (a.marrow_blasts && *a.marrow_blasts >= 5) {
    r.has_disease = true;
    r.summary = "marrow blasts " + Percent(*a.marrow_blasts) + " >= 5 %";
    if (category == ResponseCategory::kPr) {
      r.state = DiseaseState::kPr;
      r.summary += " (PR)";
    }
    return r;
  }
  if (a.blood_blasts && *a.blood_blasts > 0) {
    r.has_disease = true;
    r.summary = "blood blasts " + Percent(*a.blood_blasts);
    return r;
  }
  if (emd) {
    r.has_disease = true;
    r.extramedullary_only = a.marrow_blasts.has_value();
    r.summary = emd_words;
    return r;
  }
  if (!category) {
    const ResponseResult derived = ClassifyEln2022Response(a, std::nullopt, options);
    r.undecided = "assessment not evaluable";
    if (!derived.missing.empty()) {
      r.undecided += ": missing ";
      for (size_t i = 0; i < derived.missing.size(); ++i)
        r.undecided += (i ? ", " : "") + derived.missing[i];
    }
    return r;
  }
  switch (*category) {
    case ResponseCategory::kCr:
      r.state = DiseaseState::kCr;
      break;
    case ResponseCategory::kCrh:
      r.state = DiseaseState::kCrh;
      break;
    case ResponseCategory::kCri:
      r.state = DiseaseState::kCri;
      break;
    case ResponseCategory::kMlfs:
      r.state = DiseaseState::kMlfs;
      break;
    case ResponseCategory::kPr:
      r.state = DiseaseState::kPr;
      r.has_disease = true;
      break;
    case ResponseCategory::kNoResponse:
      r.has_disease = true;
      r.summary = "no response";
      return r;
    default:
      r.undecided = "assessment not evaluable";
      return r;
  }
  r.summary = std::string(ToCode(*category));
  if (a.marrow_blasts) r.summary += ": marrow blasts " + Percent(*a.marrow_blasts);
  if (!a.marrow_blasts) r.summary += " as entered by the site";
  return r;
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
