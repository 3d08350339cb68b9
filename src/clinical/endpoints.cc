#include "clinical/endpoints.h"

#include <algorithm>

#include "clinical/disease_course.h"

namespace stream::clinical {
namespace {

bool Within(Date d, const EndpointParameters& p) { return !p.data_cutoff || d <= *p.data_cutoff; }

std::optional<Date> DeathDate(const PatientHistory& h, const EndpointParameters& p) {
  for (const auto& d : h.deaths) {
    if (Within(d.death_date, p)) return d.death_date;
  }
  return std::nullopt;
}

double Days(Date from, Date to) { return static_cast<double>(DaysBetween(from, to)); }

bool Rank(ResponseCategory c, int& rank) {
  switch (c) {
    case ResponseCategory::kCr:
      rank = 6;
      return true;
    case ResponseCategory::kCrh:
      rank = 5;
      return true;
    case ResponseCategory::kCri:
      rank = 4;
      return true;
    case ResponseCategory::kMlfs:
      rank = 3;
      return true;
    case ResponseCategory::kPr:
      rank = 2;
      return true;
    case ResponseCategory::kNoResponse:
      rank = 1;
      return true;
    default:
      return false;
  }
}

bool IsRemission(ResponseCategory c, const ResponseOptions& o) {
  return c == ResponseCategory::kCr || c == ResponseCategory::kCri ||
         (o.report_crh && c == ResponseCategory::kCrh);
}

// The first relapse after `after`: a relapse record, or a relapse the disease course
// derives from the assessments (marrow blasts >= 5 %, blood blasts, new extramedullary
// disease after a remission). An MRD relapse counts only when the protocol says so.
std::optional<Date> FirstRelapseAfter(const PatientHistory& h, Date after,
                                      const EndpointParameters& p) {
  std::optional<Date> first;
  auto see = [&](Date d) {
    if (d > after && Within(d, p) && (!first || d < *first)) first = d;
  };
  for (const auto& r : h.relapses) {
    if (r.relapse_type != "mrd" || p.mrd_relapse_is_event) see(r.relapse_date);
  }
  CourseOptions options;
  options.response = p.response;
  for (const auto& e : BuildDiseaseCourse(h, options).events) {
    if (e.kind == CourseEventKind::kState && e.state &&
        (*e.state == DiseaseState::kRelapse || *e.state == DiseaseState::kExtramedullaryRelapse))
      see(e.date);
    if (e.kind == CourseEventKind::kMrdRelapse && p.mrd_relapse_is_event) see(e.date);
  }
  return first;
}

// The category of an assessment under the patient's rules: ELN 2022 for AML, the I-BFM
// conventions for ALL (M1 marrow without extramedullary disease is CR).
std::optional<ResponseCategory> CategoryFor(const PatientHistory& h, const ResponseAssessment& a,
                                            const ResponseOptions& o, bool* mrd_negative) {
  if (RulesFor(h) == CourseRules::kAmlEln2022) return AssessedCategory(a, o, mrd_negative);
  const AssessmentReading r = ReadAssessment(a, CourseRules::kAllIbfm, o);
  if (mrd_negative) *mrd_negative = r.state == DiseaseState::kCr && a.mrd_status == "negative";
  if (r.state == DiseaseState::kCr) return ResponseCategory::kCr;
  if (r.has_disease) return ResponseCategory::kNoResponse;
  return std::nullopt;
}

// Applies the horizon (administrative censoring) and refuses a negative time.
TimeToEvent Finish(TimeToEvent t, const EndpointParameters& p, Date origin) {
  if (!t.applicable) return t;
  if (t.time < 0) {
    const Date when = origin.AddDays(static_cast<int64_t>(t.time));
    return {false, 0, 0,
            "data problem: " + t.note + " on " + when.ToString() + ", before the origin " +
                origin.ToString(),
            true};
  }
  if (p.horizon_days && t.time > *p.horizon_days) {
    t.time = *p.horizon_days;
    t.event = 0;
    t.note = "censored at the horizon (day " + std::to_string(*p.horizon_days) + ")";
  }
  return t;
}

Date LastContact(const PatientHistory& h, const EndpointParameters& p) {
  return LastInformation(h, p.data_cutoff);
}

// A patient the endpoint cannot use from this origin: a death dated before it (a data
// problem), or nothing known after it (not followed yet).
std::optional<TimeToEvent> Unusable(const PatientHistory& h, const EndpointParameters& p) {
  if (auto death = DeathDate(h, p); death && *death < p.start) {
    return TimeToEvent{
        false, 0, 0,
        "data problem: death on " + death->ToString() + ", before the origin " + p.start.ToString(),
        true};
  }
  if (LastInformation(h, p.data_cutoff) < p.start)
    return TimeToEvent{false, 0, 0, "no information after the origin"};
  return std::nullopt;
}

}  // namespace

std::optional<ResponseCategory> AssessedCategory(const ResponseAssessment& a,
                                                 const ResponseOptions& options,
                                                 bool* mrd_negative) {
  const ResponseResult derived = ClassifyEln2022Response(a, std::nullopt, options);
  bool mrd = derived.mrd_negative;
  std::optional<ResponseCategory> out;
  // Without marrow blasts the counts decide nothing: the site's category stands.
  const bool counts_decide = a.marrow_blasts.has_value() || !a.eln2022_category;
  if (counts_decide && derived.category != ResponseCategory::kUndetermined) {
    // Without the pre-treatment blasts PR cannot be derived; an entered PR stands.
    out = derived.category == ResponseCategory::kNoResponse && a.eln2022_category == "pr"
              ? ResponseCategory::kPr
              : derived.category;
  } else if (a.eln2022_category) {
    out = ParseResponseCode(*a.eln2022_category);
    if (out && (*out == ResponseCategory::kCr || *out == ResponseCategory::kCri ||
                *out == ResponseCategory::kCrh)) {
      mrd = a.mrd_status == "negative";
    }
    if (out && *out == ResponseCategory::kCrh && !options.report_crh) out = ResponseCategory::kCri;
  }
  if (mrd_negative) *mrd_negative = mrd;
  return out;
}

Date LastInformation(const PatientHistory& h, const std::optional<Date>& cutoff) {
  Date last = h.registered_on;
  auto see = [&](Date d) {
    if ((!cutoff || d <= *cutoff) && d > last) last = d;
  };
  for (const auto& d : h.deaths) see(d.death_date);
  for (const auto& f : h.follow_ups) see(f.contact_date);
  for (const auto& r : h.responses) see(r.assessment_date);
  for (const auto& r : h.relapses) see(r.relapse_date);
  for (const auto& t : h.treatment_lines) see(t.start_date);
  for (const auto& t : h.transplants) see(t.transplant_date);
  return last;
}

BestResponse BestResponseOf(const PatientHistory& h, const EndpointParameters& p) {
  BestResponse best;
  int best_rank = 0;
  for (const auto& a : h.responses) {
    if (a.assessment_date < p.start || !Within(a.assessment_date, p)) continue;
    if (p.landmark_days && Days(p.start, a.assessment_date) > *p.landmark_days) continue;
    bool mrd_negative = false;
    const auto category = CategoryFor(h, a, p.response, &mrd_negative);
    int rank = 0;
    if (!category || !Rank(*category, rank)) continue;
    if (IsRemission(*category, p.response) && !best.remission_date)
      best.remission_date = a.assessment_date;
    if (IsRemission(*category, p.response) && mrd_negative) best.mrd_negative_remission = true;
    if (rank > best_rank) {
      best_rank = rank;
      best.category = category;
    }
  }
  return best;
}

bool InPopulation(const PatientHistory& h, const EndpointParameters& p, std::string* why) {
  switch (p.population) {
    case Population::kAll:
      return true;
    case Population::kReachedRemission:
      if (BestResponseOf(h, p).remission_date) return true;
      if (why) *why = "never reached CR/CRh/CRi";
      return false;
    case Population::kInRemissionAtOrigin: {
      CourseOptions options;
      options.response = p.response;
      const DiseaseSnapshot s = DiseaseStateAsOf(h, p.start, options);
      if (s.state && IsRemission(*s.state)) return true;
      if (why)
        *why = "not in CR/CRh/CRi at the origin (" +
               (s.state ? std::string(ToCode(*s.state)) : std::string("no disease state")) + ")";
      return false;
    }
  }
  return true;
}

TimeToEvent OverallSurvival(const PatientHistory& h, const EndpointParameters& p) {
  std::string why;
  if (!InPopulation(h, p, &why)) return {false, 0, 0, why};
  if (auto unusable = Unusable(h, p)) return *unusable;
  TimeToEvent out;
  if (auto death = DeathDate(h, p)) {
    out = {true, Days(p.start, *death), 1, "died"};
  } else {
    out = {true, Days(p.start, LastContact(h, p)), 0, "alive at last contact"};
  }
  return Finish(out, p, p.start);
}

TimeToEvent EventFreeSurvival(const PatientHistory& h, const EndpointParameters& p) {
  std::string why;
  if (!InPopulation(h, p, &why)) return {false, 0, 0, why};
  if (auto unusable = Unusable(h, p)) return *unusable;
  const auto death = DeathDate(h, p);
  std::optional<Date> remission;
  if (p.population == Population::kInRemissionAtOrigin) {
    remission = p.start;  // in remission already: the events are relapse and death
  } else {
    remission = BestResponseOf(h, p).remission_date;
  }
  if (!remission) {
    // Not reaching CR/CRh/CRi by the landmark, or dying first, is an event on day 1.
    const Date last = LastContact(h, p);
    const bool landmark_passed =
        !p.landmark_days || Days(p.start, last) >= *p.landmark_days || death;
    if (!landmark_passed)
      return Finish({true, Days(p.start, last), 0, "landmark not reached yet"}, p, p.start);
    return Finish({true, 1, 1,
                   death ? "died without remission" : "no remission (refractory): event on day 1"},
                  p, p.start);
  }
  const auto relapse = FirstRelapseAfter(h, *remission, p);
  if (relapse && (!death || *relapse <= *death))
    return Finish({true, Days(p.start, *relapse), 1, "relapse"}, p, p.start);
  if (death) return Finish({true, Days(p.start, *death), 1, "died in remission"}, p, p.start);
  Date censor = LastContact(h, p);
  if (p.efs_censor_at_last_assessment) {
    censor = std::max(*remission, p.start);
    for (const auto& a : h.responses) {
      if (a.assessment_date > censor && Within(a.assessment_date, p)) censor = a.assessment_date;
    }
  }
  return Finish({true, Days(p.start, censor), 0, "in remission at last assessment"}, p, p.start);
}

TimeToEvent RelapseFreeSurvival(const PatientHistory& h, const EndpointParameters& p) {
  std::string why;
  if (!InPopulation(h, p, &why)) return {false, 0, 0, why};
  if (auto unusable = Unusable(h, p)) return *unusable;
  // From the remission date; from the origin for patients in remission at the origin.
  std::optional<Date> from;
  if (p.population == Population::kInRemissionAtOrigin) {
    from = p.start;
  } else {
    from = BestResponseOf(h, p).remission_date;
  }
  if (!from) return {false, 0, 0, "never reached CR/CRh/CRi"};
  const auto death = DeathDate(h, p);
  const auto relapse = FirstRelapseAfter(h, *from, p);
  // The horizon counts from the origin, so it is shorter from a later remission.
  EndpointParameters q = p;
  q.start = *from;
  if (p.horizon_days) {
    q.horizon_days = *p.horizon_days - static_cast<int>(DaysBetween(p.start, *from));
    if (*q.horizon_days < 0) return {false, 0, 0, "remission after the horizon"};
  }
  if (relapse && (!death || *relapse <= *death))
    return Finish({true, Days(*from, *relapse), 1, "relapse"}, q, *from);
  if (death) return Finish({true, Days(*from, *death), 1, "died in remission"}, q, *from);
  return Finish({true, Days(*from, LastContact(h, q)), 0, "in remission at last contact"}, q,
                *from);
}

TimeToEvent CumulativeIncidenceOfRelapse(const PatientHistory& h, const EndpointParameters& p) {
  TimeToEvent rfs = RelapseFreeSurvival(h, p);
  if (rfs.applicable && rfs.event == 1 && rfs.note == "died in remission") rfs.event = 2;
  return rfs;
}

ResponseFlags ResponseFlagsOf(const PatientHistory& h, const EndpointParameters& p) {
  const BestResponse best = BestResponseOf(h, p);
  ResponseFlags f;
  if (!best.category) return f;
  const auto c = *best.category;
  f.cr = c == ResponseCategory::kCr;
  f.crh = c == ResponseCategory::kCrh;
  f.cri = c == ResponseCategory::kCri;
  f.crc = IsRemission(c, p.response);
  f.orr = f.crc || c == ResponseCategory::kPr;
  f.mrd_negative_cr = f.crc && best.mrd_negative_remission;
  return f;
}

bool EarlyDeath(const PatientHistory& h, Date treatment_start, int days) {
  return std::any_of(h.deaths.begin(), h.deaths.end(), [&](const Death& d) {
    return d.death_date >= treatment_start && DaysBetween(treatment_start, d.death_date) <= days;
  });
}

}  // namespace stream::clinical
