#include "synthetic/demo_enrolment.h"

#include <algorithm>

#include "core/patient_history.h"
#include "synthetic/random_draws.h"

namespace stream::synthetic {
namespace {

// `from` moved on until nothing begun by then ends later (a line still running at the
// relapse, an adverse event not yet resolved): the day all of it is on record.
Date SettledDay(const SyntheticPatient& patient, Date from) {
  Date day = from;
  for (bool moved = true; moved;) {
    moved = false;
    for (const auto& r : patient.records) {
      const auto& field = r.kind->dates.date_field;
      if (field.empty()) continue;
      const auto begun = r.record.DateOf(*r.kind, field);
      if (!begun || *begun > day) continue;
      for (const auto& v : r.record.values) {
        if (const auto* d = std::get_if<Date>(&v); d && *d > day) {
          day = *d;
          moved = true;
        }
      }
    }
  }
  return day;
}

bool HasTrialConsent(const PatientHistory& h, Date day) {
  return std::any_of(h.consents.begin(), h.consents.end(), [&](const Consent& c) {
    return c.consent_date <= day && (!c.withdrawal_date || *c.withdrawal_date > day) &&
           std::find(c.scope.begin(), c.scope.end(), "trial") != c.scope.end();
  });
}

bool DiedBy(const PatientHistory& h, Date day) {
  return std::any_of(h.deaths.begin(), h.deaths.end(),
                     [&](const Death& d) { return d.death_date <= day; });
}

int LinesBy(const PatientHistory& h, Date day) {
  return static_cast<int>(
      std::count_if(h.treatment_lines.begin(), h.treatment_lines.end(),
                    [&](const TreatmentLine& l) { return l.start_date <= day; }));
}

bool InRemissionOn(const PatientHistory& h, Date day) {
  const ResponseAssessment* latest = nullptr;
  for (const auto& a : h.responses) {
    if (a.assessment_date <= day) latest = &a;
  }
  if (!latest || !latest->eln2022_category) return false;
  const std::string& c = *latest->eln2022_category;
  if (c != "cr" && c != "crh" && c != "cri") return false;
  return std::none_of(h.relapses.begin(), h.relapses.end(), [&](const Relapse& r) {
    return r.relapse_date > latest->assessment_date && r.relapse_date <= day;
  });
}

// Prophylactic DLI (NCT03597321): adults up to 70 in remission a month or two after an
// allogeneic transplant received after registration, on cyclosporin A, without acute
// GVHD of grade 2 or more.
std::optional<EnrolmentPlan> AfterTransplant(const PatientHistory& h, Date reference,
                                             RandomSource& r) {
  if (h.diagnoses.empty() || h.diagnoses.front().disease != "aml") return std::nullopt;
  for (const auto& t : h.transplants) {
    if (t.transplant_date <= h.registered_on) continue;
    const Date day = t.transplant_date.AddDays(UniformInt(r, 28, 56));
    const int age = AgeInYears(h.birth_year, h.birth_month, day);
    const bool cyclosporin = std::find(t.gvhd_prophylaxis.begin(), t.gvhd_prophylaxis.end(),
                                       "cyclosporin_a") != t.gvhd_prophylaxis.end();
    const bool gvhd = std::any_of(h.acute_gvhd.begin(), h.acute_gvhd.end(), [&](const auto& g) {
      return g.onset_date <= day && g.grade >= 2;
    });
    if (day > reference || DiedBy(h, day) || !InRemissionOn(h, day) || age < 18 || age > 70 ||
        !cyclosporin || gvhd || !HasTrialConsent(h, day) || !Chance(r, 0.9)) {
      return std::nullopt;
    }
    return EnrolmentPlan{"nct03597321",
                         day,
                         {{"able_to_comply", true},
                          {"cyclosporin_prophylaxis_ongoing", true},
                          {"not_pregnant_or_breast_feeding", true},
                          {"socially_or_psychologically_unable_to_comply", false},
                          {"uncontrolled_concomitant_disease", false},
                          {"graft_failure", false},
                          {"previous_solid_organ_transplant", false}}};
  }
  return std::nullopt;
}

// The trials open at relapse or refractoriness: IMPACT-AML and the R/R AML platform for
// adults with AML, IntReALL 2020 and HEM-iSMART for children.
std::optional<EnrolmentPlan> AtRelapse(const SyntheticPatient& patient, const PatientHistory& h,
                                       Date reference, RandomSource& r) {
  const Date day = SettledDay(patient, h.registered_on);
  if (day > reference || DiedBy(h, day) || h.diagnoses.empty() || !HasTrialConsent(h, day) ||
      !Chance(r, 0.85)) {
    return std::nullopt;
  }
  const Diagnosis& dx = h.diagnoses.front();
  const int age = AgeInYears(h.birth_year, h.birth_month, day);
  if (dx.disease == "aml" && age >= 18) {
    const bool fit = age < 70 || Chance(r, 0.2);
    const int lines = LinesBy(h, day);
    if (fit && lines >= 1 && lines <= 2 && Chance(r, 0.55)) {
      return EnrolmentPlan{
          "impact-aml-rpct",
          day,
          {{"fit_for_intensive_chemotherapy", true}, {"fit_for_low_intensity_therapy", true}}};
    }
    return EnrolmentPlan{
        "rr-aml-platform",
        day,
        {{"new_drug_trial_available", Chance(r, 0.05)}, {"fit_for_intensive_chemotherapy", fit}}};
  }
  if (age >= 18) return std::nullopt;
  if (dx.disease == "all" && dx.status_at_registration != "primary_refractory" && Chance(r, 0.8)) {
    return EnrolmentPlan{"intreall-2020", day, {}};
  }
  if (age >= 1) return EnrolmentPlan{"hem-ismart", day, {}};
  return std::nullopt;
}

}  // namespace

bool KnownOn(const KindRecord& record, Date day) {
  return std::none_of(record.record.values.begin(), record.record.values.end(),
                      [&](const Value& v) {
                        const auto* d = std::get_if<Date>(&v);
                        return d && *d > day;
                      });
}

std::optional<EnrolmentPlan> PlanEnrolment(const SyntheticPatient& patient, Date reference,
                                           RandomSource& random) {
  const PatientHistory history = BuildHistory(patient.patient, patient.records);
  if (auto plan = AfterTransplant(history, reference, random)) return plan;
  return AtRelapse(patient, history, reference, random);
}

}  // namespace stream::synthetic
