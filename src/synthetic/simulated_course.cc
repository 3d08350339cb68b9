// The treatment course of a synthetic patient: the story from first line to death or
// lasting remission, and the treatment_line, response, adverse_event, transplant, GVHD,
// DLI, relapse and death records it leaves.
#include "synthetic/simulated_course.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <string_view>
#include <vector>

#include "synthetic/random_draws.h"

namespace stream::synthetic {
namespace {

using sv = std::string_view;

struct Regimen {
  sv name;
  std::vector<sv> agents;
  sv intensity;
};

// A response assessment with counts consistent with its ELN 2022 category.
void Assess(PatientTimeline& b, int day, sv category, bool mrd_negative) {
  auto& r = b.r();
  double marrow = 0, blood = 0, anc = 0, plt = 0;
  if (category == "cr") {
    marrow = 1 + 3.5 * r.Uniform();
    anc = 1.2 + 3 * r.Uniform();
    plt = 110 + 200 * r.Uniform();
  } else if (category == "crh") {
    marrow = 1 + 3.5 * r.Uniform();
    anc = 0.55 + 0.4 * r.Uniform();
    plt = 55 + 40 * r.Uniform();
  } else if (category == "cri") {
    marrow = 1 + 3.5 * r.Uniform();
    anc = 0.1 + 0.35 * r.Uniform();
    plt = 10 + 35 * r.Uniform();
  } else if (category == "mlfs") {
    marrow = 1 + 3.5 * r.Uniform();
    anc = 0.05 + 0.3 * r.Uniform();
    plt = 5 + 20 * r.Uniform();
  } else if (category == "pr") {
    marrow = 6 + 18 * r.Uniform();
    anc = 1.1 + 2 * r.Uniform();
    plt = 105 + 100 * r.Uniform();
  } else {
    marrow = 25 + 60 * r.Uniform();
    blood = 5 + 40 * r.Uniform();
    anc = 0.1 + 1.5 * r.Uniform();
    plt = 5 + 60 * r.Uniform();
  }
  const bool remission = category == "cr" || category == "crh" || category == "cri";
  const bool mrd_done = remission && Chance(r, 0.7);
  b.Add<"response">(
      day, {{"assessment_date", D(day)},
            {"marrow_blasts", Value{Round1(marrow)}},
            {"blood_blasts", Value{Round1(blood)}},
            {"anc", Value{std::round(anc * 100) / 100}},
            {"platelets", Value{std::round(plt)}},
            {"extramedullary_disease", Value{false}},
            {"marrow_cellularity", Value{std::round(20 + 50 * r.Uniform())}},
            {"mrd_method", mrd_done ? S(b.aml() ? "flow" : "qpcr") : Value{}},
            {"mrd_value",
             mrd_done ? Value{mrd_negative ? 0.004 : Round1(0.1 + 2 * r.Uniform())} : Value{}},
            {"mrd_sensitivity", mrd_done ? Value{b.aml() ? 0.0001 : 0.00001} : Value{}},
            {"mrd_status", mrd_done ? S(mrd_negative ? "negative" : "positive") : Value{}},
            {"eln2022_category", b.aml() ? S(category) : Value{}}});
}

void AdverseEvents(PatientTimeline& b, int start, int grade5_day) {
  auto& r = b.r();
  struct Term {
    sv term, meddra;
    int min_grade, max_grade;
    double frequency;
  };
  constexpr std::array<Term, 6> kTerms = {{
      {"Febrile neutropenia", "10016288", 3, 4, 0.6},
      {"Sepsis", "10040047", 3, 4, 0.2},
      {"Lung infection", "10061229", 2, 4, 0.2},
      {"Mucositis oral", "10028130", 1, 3, 0.3},
      {"Nausea", "10028813", 1, 2, 0.4},
      {"Hypokalemia", "10021015", 1, 3, 0.3},
  }};
  for (const auto& t : kTerms) {
    if (!Chance(r, t.frequency)) continue;
    const int onset = start + UniformInt(r, 3, 20);
    if (grade5_day >= 0 && onset > grade5_day) continue;
    const int grade = UniformInt(r, t.min_grade, t.max_grade);
    b.Add<"adverse_event">(onset, {{"ctcae_term", S(t.term)},
                                   {"meddra_code", S(t.meddra)},
                                   {"grade", Value{int64_t{grade}}},
                                   {"onset_date", D(onset)},
                                   {"resolution_date", D(onset + UniformInt(r, 3, 14))},
                                   {"serious", Value{grade >= 3}},
                                   {"attribution", S(grade >= 3 ? "probable" : "possible")}});
  }
}

// Median days from remission to relapse: childhood ALL relapses late after a first
// remission more often than AML does (about half of them 18 months or more after the
// diagnosis, the IntReALL time-point that separates very early relapses).
int RelapseMedianDays(bool aml, int line) { return !aml && line == 1 ? 540 : 220; }

}  // namespace

SimulatedCourse SimulateCourse(PatientTimeline& b) {
  auto& r = b.r();
  const bool aml = b.aml();
  const bool fit = b.age() < 70 || Chance(r, 0.3);
  const bool flt3 = std::any_of(b.events().begin(), b.events().end(), [](const auto& e) {
    return e.kind->name == "variant" && std::get<std::string>(e.record.values[0]) == "FLT3";
  });
  const bool idh1 = std::any_of(b.events().begin(), b.events().end(), [](const auto& e) {
    return e.kind->name == "variant" && std::get<std::string>(e.record.values[0]) == "IDH1";
  });
  SimulatedCourse course;
  int day = UniformInt(r, 1, 5);
  int line = 0;
  bool registered = false;
  bool transplanted = false;
  // First line.
  const Regimen first = !aml
                            ? Regimen{"ALL IC-BFM 2009",
                                      {"prednisone", "vincristine", "daunorubicin", "asparaginase"},
                                      "intensive"}
                        : fit ? Regimen{"7+3", {"daunorubicin", "cytarabine"}, "intensive"}
                              : Regimen{"VEN-AZA", {"venetoclax", "azacitidine"}, "low_intensity"};
  Regimen current = first;
  while (true) {
    ++line;
    const int start = day;
    // ALL: the response is read at the end of the (re)induction, day 29-33 (I-BFM); AML:
    // after count recovery, day 28-42.
    const int assess = start + (aml ? UniformInt(r, 28, 42) : UniformInt(r, 28, 32));
    const double p_cr = line == 1 ? (aml ? 0.7 : 0.97) : (aml ? 0.35 : 0.7);
    const bool early_death = Chance(r, line == 1 ? 0.04 : 0.08);
    CodeSet agents(current.agents.begin(), current.agents.end());
    const bool remission = !early_death && Chance(r, p_cr);
    sv category = "no_response";
    if (remission) {
      const double c = r.Uniform();
      category = c < 0.65 ? "cr" : c < 0.8 ? "crh" : "cri";
    } else if (!early_death && aml) {
      const double c = r.Uniform();
      category = c < 0.15 ? "mlfs" : c < 0.35 ? "pr" : "no_response";
    }
    const int end = early_death ? start + UniformInt(r, 5, 25) : assess + UniformInt(r, 0, 60);
    b.Add<"treatment_line">(start, {{"line_number", Value{int64_t{line}}},
                                    {"regimen", S(current.name)},
                                    {"agents", Value{agents}},
                                    {"intensity", S(current.intensity)},
                                    {"start_date", D(start)},
                                    {"end_date", D(end)},
                                    {"reason_stopped", S(early_death ? "death"
                                                         : remission ? "completed"
                                                                     : "refractory")}});
    AdverseEvents(b, start, early_death ? end : -1);
    if (early_death) {
      b.Add<"death">(end, {{"death_date", D(end)},
                           {"cause", S(Chance(r, 0.7) ? "infection" : "treatment_toxicity")}});
      course.dead = true;
      course.last_day = end;
      if (!registered) {
        course.registration_day = end;
        course.status = "primary_refractory";
      }
      return course;
    }
    Assess(b, assess, category, remission && Chance(r, 0.4));
    day = assess;
    int relapse_day = -1;
    if (remission) {
      if (!transplanted && line >= 1 && (line > 1 || Chance(r, 0.3)) && Chance(r, 0.55) &&
          b.age() < 72) {
        const int tx = assess + UniformInt(r, 45, 110);
        transplanted = true;
        b.Add<"transplant">(
            tx, {{"transplant_date", D(tx)},
                 {"donor_type",
                  S(Pick(r, std::array<sv, 4>{"matched_sibling", "matched_unrelated",
                                              "haploidentical", "mismatched_unrelated"}))},
                 {"stem_cell_source", S(Chance(r, 0.8) ? "peripheral_blood" : "bone_marrow")},
                 {"graft_manipulation", S("unmanipulated")},
                 {"conditioning", S(b.age() > 55 ? "reduced_intensity" : "myeloablative")},
                 {"gvhd_prophylaxis", Chance(r, 0.7) ? Codes({"cyclosporin_a", "methotrexate"})
                                                     : Codes({"post_transplant_cyclophosphamide",
                                                              "tacrolimus", "mycophenolate"})}});
        if (Chance(r, 0.35))
          b.Add<"acute_gvhd">(tx + 25, {{"onset_date", D(tx + UniformInt(r, 14, 60))},
                                        {"grade", Value{int64_t{UniformInt(r, 1, 4)}}}});
        if (Chance(r, 0.2))
          b.Add<"chronic_gvhd">(
              tx + 200,
              {{"onset_date", D(tx + UniformInt(r, 110, 300))},
               {"severity", S(Pick(r, std::array<sv, 3>{"mild", "moderate", "severe"}))}});
        if (Chance(r, 0.1))
          b.Add<"dli">(tx + 120, {{"infusion_date", D(tx + UniformInt(r, 90, 180))},
                                  {"cd3_dose", Value{1e6}},
                                  {"indication", S("prophylactic")}});
        day = tx;
      }
      if (Chance(r, transplanted ? 0.4 : 0.6))
        relapse_day = day + ExponentialDays(r, RelapseMedianDays(aml, line));
    }
    if (!remission) {
      if (!registered) {
        registered = true;
        course.registration_day = assess;
        course.status = line == 1 ? "primary_refractory" : "later_relapse";
      }
    } else if (relapse_day < 0) {
      // Lasting remission: follow-up continues; perhaps death in remission.
      course.last_day = day + UniformInt(r, 60, 1500);
      if (!registered) {  // the registry takes only R/R patients: relapse later
        relapse_day = day + ExponentialDays(r, std::max(300, RelapseMedianDays(aml, line)));
      } else {
        course.dead = Chance(r, 0.2);
        if (course.dead)
          b.Add<"death">(course.last_day, {{"death_date", D(course.last_day)},
                                           {"cause", S(transplanted ? "gvhd" : "infection")}});
        return course;
      }
    }
    if (relapse_day >= 0) {
      b.Add<"relapse">(relapse_day,
                       {{"relapse_date", D(relapse_day)}, {"relapse_type", S("haematological")}});
      if (!registered) {
        registered = true;
        course.registration_day = relapse_day;
        course.status = transplanted ? "relapse_after_transplant"
                        : line == 1  ? "first_relapse"
                                     : "second_relapse";
      }
      day = relapse_day;
    }
    // Next line, or death from leukaemia.
    if (line >= 4 || Chance(r, 0.25)) {
      const int death = day + ExponentialDays(r, 90);
      b.Add<"death">(death, {{"death_date", D(death)}, {"cause", S("leukaemia")}});
      course.dead = true;
      course.last_day = death;
      return course;
    }
    // Relapsed childhood ALL is reinduced within days of the relapse.
    day += aml ? UniformInt(r, 5, 20) : UniformInt(r, 1, 3);
    if (!aml) {
      current = Chance(r, 0.5) ? Regimen{"Blinatumomab", {"blinatumomab"}, "immunotherapy"}
                : Chance(r, 0.5)
                    ? Regimen{"Inotuzumab ozogamicin", {"inotuzumab_ozogamicin"}, "immunotherapy"}
                    : Regimen{"Tisagenlecleucel", {"tisagenlecleucel"}, "cellular"};
    } else if (flt3 && Chance(r, 0.6)) {
      current = Regimen{"Gilteritinib", {"gilteritinib"}, "targeted"};
    } else if (idh1 && Chance(r, 0.6)) {
      current = Regimen{"Ivosidenib", {"ivosidenib"}, "targeted"};
    } else if (fit && Chance(r, 0.6)) {
      current = Chance(r, 0.5)
                    ? Regimen{"FLAG-Ida",
                              {"fludarabine", "cytarabine", "idarubicin", "filgrastim"},
                              "intensive"}
                    : Regimen{"MEC", {"mitoxantrone", "etoposide", "cytarabine"}, "intensive"};
    } else {
      current = Regimen{"VEN-AZA", {"venetoclax", "azacitidine"}, "low_intensity"};
    }
  }
}

}  // namespace stream::synthetic
