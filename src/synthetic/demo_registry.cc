#include "synthetic/demo_registry.h"

#include <algorithm>
#include <array>
#include <climits>
#include <cmath>
#include <string_view>

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

// A draw with probability p.
bool Chance(RandomSource& r, double p) { return r.Uniform() < p; }

int UniformInt(RandomSource& r, int lo, int hi) {  // inclusive
  return lo + static_cast<int>(r.Below(static_cast<uint64_t>(hi - lo + 1)));
}

double Normal(RandomSource& r, double mean, double sd) {  // Box–Muller
  const double u1 = std::max(r.Uniform(), 1e-300);
  const double u2 = r.Uniform();
  return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

int ExponentialDays(RandomSource& r, double median_days) {
  const double u = std::max(r.Uniform(), 1e-12);
  return std::max(1, static_cast<int>(-std::log(u) * median_days / std::log(2.0)));
}

template <size_t N>
sv Pick(RandomSource& r, const std::array<sv, N>& items) {
  return items[r.Below(N)];
}

double Round1(double x) { return std::round(x * 10.0) / 10.0; }

enum class Population { kAdultAml, kChildAml, kChildAll };

// The event timeline of one patient, in days from diagnosis, before it is dated.
class Builder {
 public:
  Builder(RandomSource& r, Population population, int age_at_diagnosis)
      : r_(r), population_(population), age_(age_at_diagnosis) {}

  void Add(sv kind, int day, std::initializer_list<std::pair<sv, Value>> fields) {
    const KindSpec& k = *FindKind(kind);
    events_.push_back({day, &k, MakeRecord(k, fields)});
  }

  struct Event {
    int day;
    const KindSpec* kind;
    Record record;
  };
  std::vector<Event>& events() { return events_; }
  RandomSource& r() { return r_; }
  Population population() const { return population_; }
  int age() const { return age_; }
  bool aml() const { return population_ != Population::kChildAll; }

 private:
  RandomSource& r_;
  Population population_;
  int age_;
  std::vector<Event> events_;
};

Value D(int day) { return Value{Date::FromDays(day)}; }  // placeholder, re-dated later
Value S(sv s) { return Value{std::string(s)}; }
Value Codes(std::initializer_list<sv> codes) {
  CodeSet set;
  for (auto c : codes) set.emplace_back(c);
  return Value{std::move(set)};
}

void AmlGenetics(Builder& b) {
  auto& r = b.r();
  // Karyotype: frequencies typical of relapsed/refractory AML cohorts.
  const double k = r.Uniform();
  if (k < 0.42) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)}, {"iscn", S("46,XY[20]")}, {"abnormalities", Codes({"normal"})}});
  } else if (k < 0.57) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("44,XX,del(5)(q13q33),-7,-17,+8[15]/46,XX[5]")},
           {"abnormalities", Codes({"del_5q", "minus_7", "minus_17", "complex", "monosomal"})}});
  } else if (k < 0.63) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("45,XY,-7[18]/46,XY[2]")},
           {"abnormalities", Codes({"minus_7"})}});
  } else if (k < 0.67) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XX,t(8;21)(q22;q22.1)[20]")},
           {"abnormalities", Codes({"t_8_21"})}});
    b.Add("fusion", 0,
          {{"fusion", S("RUNX1::RUNX1T1")}, {"method", S("pcr")}, {"sample_date", D(0)}});
  } else if (k < 0.70) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XY,inv(16)(p13.1q22)[20]")},
           {"abnormalities", Codes({"inv_16"})}});
    b.Add("fusion", 0, {{"fusion", S("CBFB::MYH11")}, {"method", S("pcr")}, {"sample_date", D(0)}});
  } else if (k < 0.75) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XX,t(9;11)(p21.3;q23.3)[20]")},
           {"abnormalities", Codes({"t_9_11"})}});
    b.Add("fusion", 0,
          {{"fusion", S("KMT2A::MLLT3")}, {"method", S("fish")}, {"sample_date", D(0)}});
  } else if (k < 0.78) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XY,inv(3)(q21.3q26.2)[20]")},
           {"abnormalities", Codes({"inv_3"})}});
  } else if (k < 0.95) {
    b.Add(
        "karyotype", 0,
        {{"sample_date", D(0)}, {"iscn", S("47,XY,+8[20]")}, {"abnormalities", Codes({"other"})}});
  } else {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)}, {"abnormalities", Codes({"other"})}, {"failed", Value{true}}});
  }
  // Myeloid panel: a result for every gene, so "tested, negative" is explicit; a few
  // centres do not test IDH1/IDH2 at diagnosis, which leaves those facts unknown.
  struct Gene {
    sv gene, type, hgvs;
    double frequency;
  };
  constexpr std::array<Gene, 14> kPanel = {{
      {"FLT3", "itd", "c.1794_1835dup", 0.25},
      {"NPM1", "nonsense_frameshift", "p.Trp288CysfsTer12", 0.25},
      {"IDH1", "missense", "p.Arg132His", 0.08},
      {"IDH2", "missense", "p.Arg140Gln", 0.10},
      {"TP53", "missense", "p.Arg248Gln", 0.12},
      {"DNMT3A", "missense", "p.Arg882His", 0.20},
      {"RUNX1", "nonsense_frameshift", "p.Arg201Ter", 0.10},
      {"ASXL1", "nonsense_frameshift", "p.Gly646TrpfsTer12", 0.10},
      {"TET2", "nonsense_frameshift", "p.Gln1274Ter", 0.10},
      {"NRAS", "missense", "p.Gly12Asp", 0.12},
      {"KRAS", "missense", "p.Gly12Val", 0.06},
      {"CEBPA", "in_frame_bzip", "p.Lys313dup", 0.03},
      {"SRSF2", "missense", "p.Pro95His", 0.07},
      {"WT1", "nonsense_frameshift", "p.Arg462Ter", 0.08},
  }};
  const bool idh_untested = Chance(r, 0.08);
  bool flt3_positive = false;
  for (const auto& g : kPanel) {
    if (idh_untested && (g.gene == "IDH1" || g.gene == "IDH2")) continue;
    const bool mutated = Chance(r, g.frequency);
    const sv method = g.gene == "FLT3" ? "fragment_analysis" : "ngs";
    b.Add("gene_test", 0,
          {{"gene", S(g.gene)},
           {"result", S(mutated ? "positive" : "negative")},
           {"method", S(method)},
           {"sample_date", D(0)}});
    if (mutated) {
      const double vaf =
          g.gene == "TP53" ? Round1(8 + 60 * r.Uniform()) : Round1(5 + 45 * r.Uniform());
      b.Add("variant", 0,
            {{"gene", S(g.gene)},
             {"hgvs", S(g.hgvs)},
             {"variant_type", S(g.type)},
             {"vaf", Value{vaf}},
             {"method", S(method)},
             {"sample_date", D(0)}});
      if (g.gene == "FLT3") flt3_positive = true;
    }
  }
  if (!flt3_positive && Chance(r, 0.08)) {  // FLT3-TKD, tested with the same assay
    b.Add("variant", 0,
          {{"gene", S("FLT3")},
           {"hgvs", S("p.Asp835Tyr")},
           {"variant_type", S("tkd")},
           {"vaf", Value{Round1(5 + 40 * r.Uniform())}},
           {"method", S("pcr")},
           {"sample_date", D(0)}});
  }
}

void AllGenetics(Builder& b) {
  auto& r = b.r();
  const double k = r.Uniform();
  if (k < 0.25) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("55,XX,+4,+6,+10,+14,+17,+18,+21,+21,+X[20]")},
           {"abnormalities", Codes({"high_hyperdiploid"})}});
  } else if (k < 0.45) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XY,t(12;21)(p13;q22)[20]")},
           {"abnormalities", Codes({"t_12_21"})}});
    b.Add("fusion", 0, {{"fusion", S("ETV6::RUNX1")}, {"method", S("pcr")}, {"sample_date", D(0)}});
  } else if (k < 0.50) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XX,t(1;19)(q23;p13.3)[20]")},
           {"abnormalities", Codes({"t_1_19"})}});
    b.Add("fusion", 0, {{"fusion", S("TCF3::PBX1")}, {"method", S("pcr")}, {"sample_date", D(0)}});
  } else if (k < 0.53) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("38,XY,-2,-3,-4,-7,-12,-13,-15,-16[20]")},
           {"abnormalities", Codes({"hypodiploid"})}});
  } else if (k < 0.56) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XY,t(9;22)(q34.1;q11.2)[20]")},
           {"abnormalities", Codes({"t_9_22"})}});
    b.Add("fusion", 0, {{"fusion", S("BCR::ABL1")}, {"method", S("pcr")}, {"sample_date", D(0)}});
  } else if (k < 0.57) {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)},
           {"iscn", S("46,XX,t(17;19)(q22;p13.3)[20]")},
           {"abnormalities", Codes({"t_17_19"})}});
    b.Add("fusion", 0, {{"fusion", S("TCF3::HLF")}, {"method", S("pcr")}, {"sample_date", D(0)}});
  } else {
    b.Add("karyotype", 0,
          {{"sample_date", D(0)}, {"iscn", S("46,XX[20]")}, {"abnormalities", Codes({"normal"})}});
  }
  // Alterations that decide HEM-iSMART groups: ABL-class fusions, JAK-STAT, RAS/MAPK.
  if (Chance(r, 0.03))
    b.Add("fusion", 0,
          {{"fusion", S("EBF1::PDGFRB")}, {"method", S("ngs")}, {"sample_date", D(0)}});
  if (Chance(r, 0.04))
    b.Add("fusion", 0,
          {{"fusion", S("P2RY8::CRLF2")}, {"method", S("ngs")}, {"sample_date", D(0)}});
  struct Gene {
    sv gene, type, hgvs;
    double frequency;
  };
  constexpr std::array<Gene, 7> kPanel = {{
      {"NRAS", "missense", "p.Gly13Asp", 0.15},
      {"KRAS", "missense", "p.Gly12Asp", 0.12},
      {"PTPN11", "missense", "p.Glu76Lys", 0.04},
      {"IKZF1", "nonsense_frameshift", "p.Asn159Ser", 0.12},
      {"JAK2", "missense", "p.Arg683Gly", 0.03},
      {"IL7R", "other", "p.Leu242_Leu243insAsnPro", 0.02},
      {"TP53", "missense", "p.Arg175His", 0.06},
  }};
  for (const auto& g : kPanel) {
    const bool mutated = Chance(r, g.frequency);
    b.Add("gene_test", 0,
          {{"gene", S(g.gene)},
           {"result", S(mutated ? "positive" : "negative")},
           {"method", S("ngs")},
           {"sample_date", D(0)}});
    if (mutated) {
      b.Add("variant", 0,
            {{"gene", S(g.gene)},
             {"hgvs", S(g.hgvs)},
             {"variant_type", S(g.type)},
             {"vaf", Value{Round1(5 + 40 * r.Uniform())}},
             {"method", S("ngs")},
             {"sample_date", D(0)}});
    }
  }
}

struct Regimen {
  sv name;
  std::vector<sv> agents;
  sv intensity;
};

// A response assessment with counts consistent with its ELN 2022 category.
void Assess(Builder& b, int day, sv category, bool mrd_negative) {
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
  b.Add("response", day,
        {{"assessment_date", D(day)},
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

void AdverseEvents(Builder& b, int start, int grade5_day) {
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
    b.Add("adverse_event", onset,
          {{"ctcae_term", S(t.term)},
           {"meddra_code", S(t.meddra)},
           {"grade", Value{int64_t{grade}}},
           {"onset_date", D(onset)},
           {"resolution_date", D(onset + UniformInt(r, 3, 14))},
           {"serious", Value{grade >= 3}},
           {"attribution", S(grade >= 3 ? "probable" : "possible")}});
  }
}

// Children are profiled again at registration for the targeted groups of HEM-iSMART:
// every gene a group is decided on gets an explicit result, positive when the leukaemia
// carries a variant in it or a fusion with it. No draws: the rest of the registry stays
// as the seed made it.
void RelapsePanel(Builder& b, int day) {
  constexpr std::array<sv, 18> kGenes = {"ABL1", "ABL2",   "PDGFRB", "CSF1R", "CRLF2", "JAK1",
                                         "JAK2", "JAK3",   "STAT5B", "SH2B3", "IL7R",  "NRAS",
                                         "KRAS", "PTPN11", "BRAF",   "NF1",   "CBL",   "MAP2K1"};
  std::vector<std::string> altered;
  for (const auto& e : b.events()) {
    if (e.kind->name == "variant") altered.push_back(std::get<std::string>(e.record.values[0]));
    if (e.kind->name == "fusion") {
      const auto& fusion = std::get<std::string>(e.record.values[0]);
      const size_t sep = fusion.find("::");
      altered.push_back(fusion.substr(0, sep));
      altered.push_back(fusion.substr(sep + 2));
    }
  }
  for (sv gene : kGenes) {
    const bool positive = std::find(altered.begin(), altered.end(), gene) != altered.end();
    b.Add("gene_test", day,
          {{"gene", S(gene)},
           {"result", S(positive ? "positive" : "negative")},
           {"method", S("ngs")},
           {"sample_date", D(day)}});
  }
}

// Simulates the course of the disease; returns the registration day and status.
struct Course {
  int registration_day = 0;
  sv status;
  int last_day = 0;
  bool dead = false;
};

// Median days from remission to relapse: childhood ALL relapses late after a first
// remission more often than AML does (about half of them 18 months or more after the
// diagnosis, the IntReALL time-point that separates very early relapses).
int RelapseMedianDays(bool aml, int line) { return !aml && line == 1 ? 540 : 220; }

Course SimulateCourse(Builder& b) {
  auto& r = b.r();
  const bool aml = b.aml();
  const bool fit = b.age() < 70 || Chance(r, 0.3);
  const bool flt3 = std::any_of(b.events().begin(), b.events().end(), [](const auto& e) {
    return e.kind->name == "variant" && std::get<std::string>(e.record.values[0]) == "FLT3";
  });
  const bool idh1 = std::any_of(b.events().begin(), b.events().end(), [](const auto& e) {
    return e.kind->name == "variant" && std::get<std::string>(e.record.values[0]) == "IDH1";
  });
  Course course;
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
    b.Add("treatment_line", start,
          {{"line_number", Value{int64_t{line}}},
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
      b.Add("death", end,
            {{"death_date", D(end)},
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
        b.Add("transplant", tx,
              {{"transplant_date", D(tx)},
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
          b.Add("acute_gvhd", tx + 25,
                {{"onset_date", D(tx + UniformInt(r, 14, 60))},
                 {"grade", Value{int64_t{UniformInt(r, 1, 4)}}}});
        if (Chance(r, 0.2))
          b.Add("chronic_gvhd", tx + 200,
                {{"onset_date", D(tx + UniformInt(r, 110, 300))},
                 {"severity", S(Pick(r, std::array<sv, 3>{"mild", "moderate", "severe"}))}});
        if (Chance(r, 0.1))
          b.Add("dli", tx + 120,
                {{"infusion_date", D(tx + UniformInt(r, 90, 180))},
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
          b.Add("death", course.last_day,
                {{"death_date", D(course.last_day)},
                 {"cause", S(transplanted ? "gvhd" : "infection")}});
        return course;
      }
    }
    if (relapse_day >= 0) {
      b.Add("relapse", relapse_day,
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
      b.Add("death", death, {{"death_date", D(death)}, {"cause", S("leukaemia")}});
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
  Builder b(r, population, age);
  if (b.aml()) {
    AmlGenetics(b);
  } else {
    AllGenetics(b);
  }
  const Course course = SimulateCourse(b);
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
  out.patient =
      MakeRecord(PatientKind(), {{"pseudonym", S("STR-" + std::to_string(100000 + index))},
                                 {"site", S(site.code)},
                                 {"sex", S(Chance(r, 0.55) ? "male" : "female")},
                                 {"birth_year", Value{int64_t{birth_year}}},
                                 {"birth_month", Value{int64_t{birth_month}}},
                                 {"registered_on", Value{registered}}});
  b.Add("diagnosis", 0,
        {{"disease", S(disease)},
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
    b.Add("performance_status", ps_day,
          {{"assessment_date", D(ps_day)},
           {"scale", S("ecog")},
           {"score", Value{int64_t{std::min(3, UniformInt(r, 0, 2) + (age > 75 ? 1 : 0))}}}});
  } else {
    // The scale suits the age at the assessment, which may be years after the diagnosis:
    // Lansky under 16, Karnofsky from 16 (service/history_checks.h).
    const int age_then = AgeInYears(birth_year, birth_month, diagnosis_date.AddDays(ps_day));
    b.Add("performance_status", ps_day,
          {{"assessment_date", D(ps_day)},
           {"scale", S(age_then >= 16 ? "karnofsky" : "lansky")},
           {"score", Value{int64_t{10 * UniformInt(r, 6, 10)}}}});
  }
  b.Add(
      "consent", course.registration_day,
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
      {FindKind("follow_up"),
       MakeRecord(*FindKind("follow_up"), {{"contact_date", Value{diagnosis_date.AddDays(contact)}},
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
