// The synthetic registry: each patient's story put together (population, age, genetics,
// course), dated against the reference date and cut to what the registry would hold.
#include "synthetic/demo_registry.h"

#include <algorithm>
#include <array>
#include <climits>
#include <string>
#include <string_view>

#include "synthetic/demo_genetics.h"
#include "synthetic/patient_timeline.h"
#include "synthetic/random_draws.h"
#include "synthetic/simulated_course.h"

namespace stream::synthetic {
namespace {

using sv = std::string_view;

struct Centre {
  sv code, name, country;
};
constexpr std::array<Centre, 12> kCentres = {{
    {"IT-FO-01", "IRST Dino Amadori, Meldola", "IT"},
    {"IT-BO-01", "Policlinico Sant'Orsola, Bologna", "IT"},
    {"DE-DD-01", "Universitätsklinikum Dresden", "DE"},
    {"FR-MRS-01", "Institut Paoli-Calmettes, Marseille", "FR"},
    {"NL-UT-01", "Princess Máxima Center, Utrecht", "NL"},
    {"ES-SAL-01", "Hospital Universitario de Salamanca", "ES"},
    {"DE-FRA-01", "Universitätsklinikum Frankfurt", "DE"},
    {"BE-GNT-01", "Ghent University Hospital", "BE"},
    {"CH-ZH-01", "Universitätsspital Zürich", "CH"},
    {"DK-CPH-01", "Rigshospitalet, Copenhagen", "DK"},
    {"PL-WAW-01", "Institute of Hematology, Warsaw", "PL"},
    {"CZ-PRG-01", "General University Hospital, Prague", "CZ"},
}};

}  // namespace

std::vector<Site> DemoSites(int count) {
  std::vector<Site> out;
  for (int i = 0; i < count && i < static_cast<int>(kCentres.size()); ++i) {
    out.push_back({0, std::string(kCentres[i].code), std::string(kCentres[i].name),
                   std::string(kCentres[i].country)});
  }
  return out;
}

SyntheticPatient GeneratePatient(int index, const std::vector<Site>& sites, Date reference,
                                 RandomSource& r) {
  const double mix = r.Uniform();
  const Population population = mix < 0.62   ? Population::kAdultAml
                                : mix < 0.75 ? Population::kChildAml
                                             : Population::kChildAll;
  const int age =
      population == Population::kAdultAml ? std::clamp(static_cast<int>(Normal(r, 61, 13)), 18, 88)
      : population == Population::kChildAml ? UniformInt(r, 0, 17)
                                            : std::clamp(static_cast<int>(Normal(r, 7, 4)), 1, 17);
  PatientTimeline b(r, population, age);
  if (b.aml()) {
    AmlGenetics(b);
  } else {
    AllGenetics(b);
  }
  const SimulatedCourse course = SimulateCourse(b);
  if (age < 18) RelapsePanel(b, course.registration_day);

  // Date the timeline: registration falls in the five years before the reference date.
  const int registration_offset = UniformInt(r, 14, 1800);
  const Date diagnosis_date = reference.AddDays(-registration_offset - course.registration_day);
  const int birth_month = UniformInt(r, 1, 12);
  int birth_year = diagnosis_date.year() - age;
  if (static_cast<int>(diagnosis_date.month()) < birth_month) --birth_year;
  const Date birth_first = Date::FromCivil(birth_year, static_cast<unsigned>(birth_month), 1);
  const Date registered = diagnosis_date.AddDays(course.registration_day);

  SyntheticPatient out;
  const Site& site = sites[static_cast<size_t>(index) % sites.size()];
  const sv disease = b.aml() ? "aml" : "all";
  const double origin = r.Uniform();
  out.patient = MakeRecordOf<"patient">({{"pseudonym", S("STR-" + std::to_string(100000 + index))},
                                         {"site", S(site.code)},
                                         {"sex", S(Chance(r, 0.55) ? "male" : "female")},
                                         {"birth_year", Value{int64_t{birth_year}}},
                                         {"birth_month", Value{int64_t{birth_month}}},
                                         {"registered_on", Value{registered}}});
  b.Add<"diagnosis">(
      0, {{"disease", S(disease)},
          {"who_2022_subtype", S(b.aml() ? "AML, defined by differentiation"
                                         : "B-lymphoblastic leukaemia/lymphoma, NOS")},
          {"lineage", S(b.aml()           ? "myeloid"
                        : Chance(r, 0.85) ? "b_cell"
                                          : "t_cell")},
          {"diagnosis_date", D(0)},
          {"origin", S(!b.aml() || origin < 0.75 ? "de_novo"
                       : origin < 0.9            ? "secondary"
                                                 : "therapy_related")},
          {"status_at_registration", S(course.status.empty() ? "first_relapse" : course.status)}});
  const int ps_day = course.registration_day;
  if (age >= 18) {
    b.Add<"performance_status">(
        ps_day, {{"assessment_date", D(ps_day)},
                 {"scale", S("ecog")},
                 {"score", Value{int64_t{std::min(3, UniformInt(r, 0, 2) + (age > 75 ? 1 : 0))}}}});
  } else {
    // The scale suits the age at the assessment, which may be years after the diagnosis:
    // Lansky under 16, Karnofsky from 16 (service/history_checks.h).
    const int age_then = AgeInYears(birth_year, birth_month, diagnosis_date.AddDays(ps_day));
    b.Add<"performance_status">(ps_day, {{"assessment_date", D(ps_day)},
                                         {"scale", S(age_then >= 16 ? "karnofsky" : "lansky")},
                                         {"score", Value{int64_t{10 * UniformInt(r, 6, 10)}}}});
  }
  b.Add<"consent">(
      course.registration_day,
      {{"form_version", S("2.1")},
       {"consent_date", D(course.registration_day)},
       {"scope", Chance(r, 0.6) ? Codes({"registry", "trial", "biobank"}) : Codes({"registry"})}});

  // Re-date: the placeholder dates hold days from diagnosis.
  const int64_t last_allowed = DaysBetween(diagnosis_date, reference);
  int64_t last_day = 0;
  std::stable_sort(b.events().begin(), b.events().end(),
                   [](const auto& a, const auto& c) { return a.day < c.day; });
  // Nothing happens after death: events drawn past it (GVHD, a late DLI) are dropped.
  int64_t death_day = INT64_MAX;
  for (const auto& e : b.events()) {
    if (e.kind->name == "death")
      death_day = std::min<int64_t>(death_day, std::get<Date>(e.record.values[0]).days());
  }
  bool died = false;
  for (auto& e : b.events()) {
    const auto& date_field = e.kind->dates.date_field;
    if (e.kind->name == "death"
            ? died
            : e.kind->dates.not_after_death && !date_field.empty() &&
                  std::get<Date>(e.record.values[e.kind->IndexOf(date_field)]).days() > death_day) {
      continue;
    }
    bool in_window = e.day <= last_allowed;
    for (auto& v : e.record.values) {
      if (auto* d = std::get_if<Date>(&v)) {
        if (d->days() > last_allowed) in_window = false;
        *d = diagnosis_date.AddDays(d->days());
        if (*d < birth_first) *d = birth_first;
      }
    }
    if (!in_window) continue;
    if (e.kind->name == "death") died = true;
    last_day = std::max<int64_t>(last_day, e.day);
    out.records.push_back({e.kind, std::move(e.record)});
  }
  const int64_t contact =
      died ? last_day
           : std::min<int64_t>(last_allowed, std::max<int64_t>(last_day, course.last_day));
  out.records.push_back(
      {&KindNamed("follow_up"),
       MakeRecordOf<"follow_up">({{"contact_date", Value{diagnosis_date.AddDays(contact)}},
                                  {"vital_status", S(died ? "dead" : "alive")}})});
  return out;
}

SyntheticRegistry GenerateRegistry(const RegistryOptions& options, RandomSource& random) {
  SyntheticRegistry registry;
  registry.sites = DemoSites(std::max(1, options.sites));
  registry.patients.reserve(static_cast<size_t>(options.patients));
  for (int i = 0; i < options.patients; ++i) {
    registry.patients.push_back(GeneratePatient(i, registry.sites, options.reference_date, random));
  }
  return registry;
}

}  // namespace stream::synthetic
