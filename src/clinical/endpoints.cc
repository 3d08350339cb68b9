#include "clinical/endpoints.h"

#include <algorithm>

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

std::optional<Date> FirstRelapseAfter(const PatientHistory& h, Date after,
                                      const EndpointParameters& p) {
  for (const auto& r : h.relapses) {
    if (r.relapse_date > after && Within(r.relapse_date, p)) return r.relapse_date;
  }
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
    const auto category = AssessedCategory(a, p.response, &mrd_negative);
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

TimeToEvent OverallSurvival(const PatientHistory& h, const EndpointParameters& p) {
  TimeToEvent out;
  if (auto death = DeathDate(h, p)) {
    out = {true, Days(p.start, *death), 1, "died"};
  } else {
    out = {true, Days(p.start, LastInformation(h, p.data_cutoff)), 0, "alive at last contact"};
  }
  if (out.time < 0) out = {false, 0, 0, "start date is after the last information"};
  return out;
}

TimeToEvent EventFreeSurvival(const PatientHistory& h, const EndpointParameters& p) {
  const BestResponse best = BestResponseOf(h, p);
  const auto death = DeathDate(h, p);
  if (!best.remission_date) {
    // Not reaching CR/CRh/CRi by the landmark, or dying first, is an event on day 1.
    const Date last = LastInformation(h, p.data_cutoff);
    const bool landmark_passed =
        !p.landmark_days || Days(p.start, last) >= *p.landmark_days || death;
    if (!landmark_passed) return {true, Days(p.start, last), 0, "landmark not reached yet"};
    return {true, 1, 1,
            death ? "died without remission" : "no remission (refractory): event on day 1"};
  }
  const auto relapse = FirstRelapseAfter(h, *best.remission_date, p);
  if (relapse && (!death || *relapse <= *death))
    return {true, Days(p.start, *relapse), 1, "relapse"};
  if (death) return {true, Days(p.start, *death), 1, "died in remission"};
  Date censor = LastInformation(h, p.data_cutoff);
  if (p.efs_censor_at_last_assessment) {
    censor = *best.remission_date;
    for (const auto& a : h.responses) {
      if (a.assessment_date > censor && Within(a.assessment_date, p)) censor = a.assessment_date;
    }
  }
  return {true, Days(p.start, censor), 0, "in remission at last assessment"};
}

TimeToEvent RelapseFreeSurvival(const PatientHistory& h, const EndpointParameters& p) {
  const BestResponse best = BestResponseOf(h, p);
  if (!best.remission_date) return {false, 0, 0, "never reached CR/CRh/CRi"};
  const auto death = DeathDate(h, p);
  const auto relapse = FirstRelapseAfter(h, *best.remission_date, p);
  if (relapse && (!death || *relapse <= *death))
    return {true, Days(*best.remission_date, *relapse), 1, "relapse"};
  if (death) return {true, Days(*best.remission_date, *death), 1, "died in remission"};
  return {true, Days(*best.remission_date, LastInformation(h, p.data_cutoff)), 0,
          "in remission at last contact"};
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
