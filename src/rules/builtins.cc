// The built-in facts and functions of the criteria language: their signatures, meaning,
// when they are unknown (docs/criteria-language.md repeats this table), and their
// implementations over PatientHistory.
#include <algorithm>
#include <array>

#include "clinical/disease_course.h"
#include "clinical/eln2022_genetic_risk.h"
#include "clinical/eln2022_response.h"
#include "core/schema.h"
#include "rules/eval_context.h"
#include "rules/program.h"

namespace stream::rules {
namespace {

using sv = std::string_view;
using V = RuntimeValue;
using C = EvalContext;

std::span<const sv> SchemaCodes(sv kind, sv field) {
  const KindSpec* k = kind == "patient" ? &PatientKind() : FindKind(kind);
  if (k == nullptr) return {};
  const FieldSpec* f = k->FindField(field);
  return f == nullptr ? std::span<const sv>{} : f->codes;
}

constexpr std::array<sv, 3> kRiskCodes = {"favourable", "intermediate", "adverse"};

// --- record lookups (only records dated on or before the evaluation date) -------------

const Diagnosis* LatestDiagnosis(const C& c) {
  const Diagnosis* out = nullptr;
  for (const auto& d : c.patient().diagnoses) {
    if (c.InScope(d.diagnosis_date)) out = &d;
  }
  return out;
}

const Transplant* LastTransplant(const C& c) {
  const Transplant* out = nullptr;
  for (const auto& t : c.patient().transplants) {
    if (c.InScope(t.transplant_date)) out = &t;
  }
  return out;
}

const PerformanceStatus* LatestPerformance(const C& c, sv scale) {
  const PerformanceStatus* out = nullptr;
  for (const auto& p : c.patient().performance) {
    if (p.scale == scale && c.InScope(p.assessment_date)) out = &p;
  }
  return out;
}

const ResponseAssessment* LatestAssessment(const C& c) {
  const ResponseAssessment* out = nullptr;
  for (const auto& r : c.patient().responses) {
    if (c.InScope(r.assessment_date)) out = &r;
  }
  return out;
}

// Marrow blasts before the line during which `a` was assessed: the last assessment on or
// before the start of that line.
std::optional<double> PretreatmentBlasts(const C& c, const ResponseAssessment& a) {
  std::optional<Date> line_start;
  for (const auto& l : c.patient().treatment_lines) {
    if (l.start_date <= a.assessment_date) line_start = l.start_date;
  }
  if (!line_start) return std::nullopt;
  std::optional<double> out;
  for (const auto& r : c.patient().responses) {
    if (r.assessment_date <= *line_start && r.marrow_blasts) out = r.marrow_blasts;
  }
  return out;
}

// The ELN 2022 category of the latest assessment: derived from the counts, or the
// category the site entered when the counts cannot decide. Unknown pushes the reasons.
V LatestResponse(C& c, const ResponseAssessment** which = nullptr) {
  const ResponseAssessment* a = LatestAssessment(c);
  if (which != nullptr) *which = a;
  if (a == nullptr) return c.Unknown(Type::kString, "no response assessment recorded");
  auto derived = clinical::ClassifyEln2022Response(*a, PretreatmentBlasts(c, *a));
  bool undecided =
      derived.category == clinical::ResponseCategory::kUndetermined ||
      (derived.category == clinical::ResponseCategory::kNonEvaluable && !a->marrow_blasts);
  if (undecided && a->eln2022_category) {
    if (auto entered = clinical::ParseResponseCode(*a->eln2022_category)) {
      return C::Text(clinical::ToCode(*entered));
    }
  }
  if (!a->marrow_blasts) {
    return c.UnknownOwned(Type::kString, "latest response assessment (" +
                                             a->assessment_date.ToString() +
                                             "): marrow blasts not recorded");
  }
  if (derived.category == clinical::ResponseCategory::kUndetermined) {
    V v;
    for (auto& m : derived.missing) {
      v = c.UnknownOwned(Type::kString, "latest response assessment (" +
                                            a->assessment_date.ToString() + "): " + m);
    }
    return v;
  }
  return C::Text(clinical::ToCode(derived.category));
}

// --- genetics --------------------------------------------------------------------------

enum class Tri { kNo, kYes, kUnknown };

// Index into Node::say for the gene-test wording prepared by PrepareGene.
enum GeneSay {
  kNotTested = 0,
  kVafMissing = 1,
  kVariantMissing = 2,
  kTestFailed = 3,
  kGeneSays = 4
};

void SayGene(Node& n, const std::string& g) {
  n.say.push_back(g + " not tested");
  n.say.push_back(g + " VAF not recorded");
  n.say.push_back(g + " positive but the variant is not recorded");
  n.say.push_back(g + " test failed");
}

// positive > negative > failed > not tested, over the tests of `gene` in scope.
sv TestResult(const C& c, sv gene) {
  int best = 0;
  for (const auto& t : c.patient().gene_tests) {
    if (t.gene != gene || !c.InScope(t.sample_date)) continue;
    int rank = t.result == "positive"   ? 3
               : t.result == "negative" ? 2
               : t.result == "failed"   ? 1
                                        : 0;
    best = std::max(best, rank);
  }
  static constexpr std::array<sv, 4> kNames = {"not_tested", "failed", "negative", "positive"};
  return kNames[best];
}

struct VariantFilter {
  const Constant* type = nullptr;
  const Constant* min_vaf = nullptr;
  const Constant* hgvs = nullptr;
  bool Any() const { return type != nullptr || min_vaf != nullptr || hgvs != nullptr; }
};

// Whether `gene` carries a variant passing `f`; on kUnknown, *say is the Node::say index.
Tri GeneMutated(const C& c, sv gene, const VariantFilter& f, int* say) {
  bool any_variant = false, vaf_missing = false;
  for (const auto& v : c.patient().variants) {
    if (v.gene != gene || !c.InScope(v.sample_date)) continue;
    any_variant = true;
    if (f.type != nullptr && v.variant_type != f.type->text) continue;
    if (f.hgvs != nullptr && (!v.hgvs || *v.hgvs != f.hgvs->text)) continue;
    if (f.min_vaf != nullptr) {
      if (!v.vaf) {
        vaf_missing = true;
        continue;
      }
      if (*v.vaf < f.min_vaf->number) continue;
    }
    return Tri::kYes;
  }
  if (vaf_missing) {
    *say = kVafMissing;
    return Tri::kUnknown;
  }
  if (any_variant) return Tri::kNo;
  sv result = TestResult(c, gene);
  if (result == "negative") return Tri::kNo;
  if (result == "positive") {
    if (!f.Any()) return Tri::kYes;
    *say = kVariantMissing;
    return Tri::kUnknown;
  }
  *say = result == "failed" ? kTestFailed : kNotTested;
  return Tri::kUnknown;
}

void PrepareGeneArg(Node& n) { SayGene(n, n.args[0].text); }

V HasVariant(C& c, const Node& n) {
  VariantFilter f;
  if (n.args[1].present) f.type = &n.args[1];
  if (n.args[2].present) f.min_vaf = &n.args[2];
  if (n.args[3].present) f.hgvs = &n.args[3];
  int say = 0;
  Tri t = GeneMutated(c, n.args[0].text, f, &say);
  if (t == Tri::kUnknown) return c.Unknown(Type::kBool, n.say[say]);
  return C::Bool(t == Tri::kYes);
}

void PrepareGeneList(Node& n) {
  for (const auto& g : n.args[0].texts) SayGene(n, g);
}

V HasVariantIn(C& c, const Node& n) {
  bool unknown = false;
  size_t mark = c.missing().size();
  for (size_t i = 0; i < n.args[0].texts.size(); ++i) {
    int say = 0;
    Tri t = GeneMutated(c, n.args[0].texts[i], {}, &say);
    if (t == Tri::kYes) {
      c.missing().resize(mark);
      return C::Bool(true);
    }
    if (t == Tri::kUnknown) {
      unknown = true;
      c.missing().push_back(n.say[i * kGeneSays + say]);
    }
  }
  if (!unknown) return C::Bool(false);
  V v;
  v.known = false;
  return v;
}

V GeneTested(C& c, const Node& n) {
  sv gene = n.args[0].text;
  for (const auto& v : c.patient().variants) {
    if (v.gene == gene && c.InScope(v.sample_date)) return C::Bool(true);
  }
  sv r = TestResult(c, gene);
  return C::Bool(r == "positive" || r == "negative");
}

V GeneResult(C& c, const Node& n) {
  sv gene = n.args[0].text;
  for (const auto& v : c.patient().variants) {
    if (v.gene == gene && c.InScope(v.sample_date)) return C::Text("positive");
  }
  return C::Text(TestResult(c, gene));
}

// --- cytogenetics and fusions -------------------------------------------------------------

struct KaryotypeState {
  bool usable = false, failed = false, has = false;
};

KaryotypeState Karyotypes(const C& c, sv code) {
  KaryotypeState s;
  for (const auto& k : c.patient().karyotypes) {
    if (!c.InScope(k.sample_date)) continue;
    if (k.failed) {
      s.failed = true;
      continue;
    }
    s.usable = true;
    if (std::find(k.abnormalities.begin(), k.abnormalities.end(), code) != k.abnormalities.end()) {
      s.has = true;
    }
  }
  return s;
}

V KaryotypeHas(C& c, const Node& n) {
  KaryotypeState s = Karyotypes(c, n.args[0].text);
  if (s.has) return C::Bool(true);
  if (s.usable) return C::Bool(false);
  return c.Unknown(Type::kBool, s.failed ? "karyotype failed" : "no karyotype");
}

std::pair<sv, sv> Partners(sv fusion) {
  auto pos = fusion.find("::");
  if (pos == sv::npos) return {fusion, {}};
  return {fusion.substr(0, pos), fusion.substr(pos + 2)};
}

bool FusionMatches(sv pattern, sv fusion) {
  auto [pa, pb] = Partners(pattern);
  auto [fa, fb] = Partners(fusion);
  return (pa == "*" || pa == fa) && (pb == "*" || pb == fb);
}

// Fusions that conventional cytogenetics shows, with the karyotype code that shows them;
// a normal-for-this-code karyotype then rules the fusion out.
constexpr std::array<std::pair<sv, sv>, 11> kVisibleFusions = {{
    {"RUNX1::RUNX1T1", "t_8_21"},
    {"CBFB::MYH11", "inv_16"},
    {"KMT2A::MLLT3", "t_9_11"},
    {"DEK::NUP214", "t_6_9"},
    {"BCR::ABL1", "t_9_22"},
    {"KAT6A::CREBBP", "t_8_16"},
    {"TCF3::PBX1", "t_1_19"},
    {"TCF3::HLF", "t_17_19"},
    {"KMT2A::*", "kmt2a_rearranged"},
    {"*::KMT2A", "kmt2a_rearranged"},
    {"GATA2::MECOM", "inv_3"},
}};

void PrepareFusion(Node& n) {
  n.say.push_back("no test for " + n.args[0].text + " fusion recorded");
}

V HasFusion(C& c, const Node& n) {
  sv pattern = n.args[0].text;
  for (const auto& f : c.patient().fusions) {
    if (c.InScope(f.sample_date) && FusionMatches(pattern, f.fusion)) return C::Bool(true);
  }
  // Negative evidence: a partner gene tested negative (FISH, PCR), or a karyotype that
  // would show this fusion and does not.
  auto [a, b] = Partners(pattern);
  for (sv gene : {a, b}) {
    if (gene != "*" && TestResult(c, gene) == "negative") return C::Bool(false);
  }
  for (const auto& [fusion, code] : kVisibleFusions) {
    if (fusion == pattern) {
      KaryotypeState s = Karyotypes(c, code);
      if (s.has) return C::Bool(true);
      if (s.usable) return C::Bool(false);
    }
  }
  return c.Unknown(Type::kBool, n.say[0]);
}

V Eln2022Risk(C& c, const Node&) {
  const auto& r = c.GeneticRisk();
  if (r.category == clinical::GeneticRisk::kUnknown) {
    V v;
    v.type = Type::kString;
    v.known = false;
    for (const auto& m : r.missing) c.missing().push_back(m);  // cached for this evaluation
    if (r.missing.empty()) return c.Unknown(Type::kString, "ELN 2022 genetic risk undecided");
    return v;
  }
  return C::Text(clinical::ToString(r.category));
}

// --- patient and diagnosis ---------------------------------------------------------------

V Age(C& c, const Node&) {
  if (c.patient().birth_year <= 0) return c.Unknown(Type::kNumber, "no year of birth recorded");
  return C::Number(AgeInYears(c.patient().birth_year, c.patient().birth_month, c.on()));
}
V Sex(C& c, const Node&) {
  if (c.patient().sex.empty()) return c.Unknown(Type::kString, "no sex recorded");
  return C::Text(c.patient().sex);
}
V EvaluationDate(C& c, const Node&) { return C::DateValue(c.on()); }
V RegisteredOn(C& c, const Node&) { return C::DateValue(c.patient().registered_on); }

template <typename F>
V FromDiagnosis(C& c, Type type, F get) {
  const Diagnosis* d = LatestDiagnosis(c);
  if (d == nullptr) return c.Unknown(type, "no diagnosis recorded");
  return get(*d);
}
V Disease(C& c, const Node&) {
  return FromDiagnosis(c, Type::kString, [](const Diagnosis& d) { return C::Text(d.disease); });
}
V DiseaseOrigin(C& c, const Node&) {
  return FromDiagnosis(c, Type::kString, [](const Diagnosis& d) { return C::Text(d.origin); });
}
V StatusAtRegistration(C& c, const Node&) {
  return FromDiagnosis(c, Type::kString,
                       [](const Diagnosis& d) { return C::Text(d.status_at_registration); });
}
V DiagnosisDate(C& c, const Node&) {
  return FromDiagnosis(c, Type::kDate,
                       [](const Diagnosis& d) { return C::DateValue(d.diagnosis_date); });
}
V Who2022Subtype(C& c, const Node&) {
  const Diagnosis* d = LatestDiagnosis(c);
  if (d == nullptr) return c.Unknown(Type::kString, "no diagnosis recorded");
  if (!d->who_2022_subtype) return c.Unknown(Type::kString, "WHO 2022 subtype not recorded");
  return C::Text(*d->who_2022_subtype);
}
V Lineage(C& c, const Node&) {
  const Diagnosis* d = LatestDiagnosis(c);
  if (d == nullptr) return c.Unknown(Type::kString, "no diagnosis recorded");
  if (!d->lineage) return c.Unknown(Type::kString, "lineage not recorded");
  return C::Text(*d->lineage);
}

// --- treatment ---------------------------------------------------------------------------

V PriorLines(C& c, const Node&) {
  int n = 0;
  for (const auto& l : c.patient().treatment_lines) n += c.InScope(l.start_date) ? 1 : 0;
  return C::Number(n);
}

const TreatmentLine* FirstLine(const C& c) {
  for (const auto& l : c.patient().treatment_lines) {
    if (c.InScope(l.start_date)) return &l;
  }
  return nullptr;
}
V FirstLineStart(C& c, const Node&) {
  const TreatmentLine* l = FirstLine(c);
  if (l == nullptr) return c.Unknown(Type::kDate, "no treatment line recorded");
  return C::DateValue(l->start_date);
}
V FirstLineEnd(C& c, const Node&) {
  const TreatmentLine* l = FirstLine(c);
  if (l == nullptr) return c.Unknown(Type::kDate, "no treatment line recorded");
  if (!l->end_date || *l->end_date > c.on()) {
    return c.Unknown(Type::kDate, "first-line therapy has no end date (ongoing?)");
  }
  return C::DateValue(*l->end_date);
}

bool HasAgent(const TreatmentLine& l, sv agent) {
  return std::find(l.agents.begin(), l.agents.end(), agent) != l.agents.end();
}

V ExposedTo(C& c, const Node& n) {
  sv agent = n.args[0].text;
  std::optional<Date> window_start;
  if (n.args[1].present) window_start = Shift(c.on(), n.args[1].duration, -1);
  for (const auto& l : c.patient().treatment_lines) {
    if (!c.InScope(l.start_date) || !HasAgent(l, agent)) continue;
    Date last = l.end_date ? std::min(*l.end_date, c.on()) : c.on();  // ongoing: up to today
    if (!window_start || last >= *window_start) return C::Bool(true);
  }
  return C::Bool(false);
}

void PrepareAgent(Node& n) { n.say.push_back("no exposure to " + n.args[0].text + " recorded"); }

V DaysSinceAgent(C& c, const Node& n) {
  std::optional<Date> last;
  for (const auto& l : c.patient().treatment_lines) {
    if (!c.InScope(l.start_date) || !HasAgent(l, n.args[0].text)) continue;
    Date end = l.end_date ? std::min(*l.end_date, c.on()) : c.on();
    if (!last || end > *last) last = end;
  }
  if (!last) return c.Unknown(Type::kNumber, n.say[0]);
  return C::Number(static_cast<double>(DaysBetween(*last, c.on())));
}

// --- transplant and GVHD -----------------------------------------------------------------

V HadTransplant(C& c, const Node&) { return C::Bool(LastTransplant(c) != nullptr); }
V HadAllogeneicTransplant(C& c, const Node&) {
  for (const auto& t : c.patient().transplants) {
    if (c.InScope(t.transplant_date) && t.donor_type != "autologous") return C::Bool(true);
  }
  return C::Bool(false);
}
V TransplantCount(C& c, const Node&) {
  int n = 0;
  for (const auto& t : c.patient().transplants) n += c.InScope(t.transplant_date) ? 1 : 0;
  return C::Number(n);
}
template <typename F>
V FromTransplant(C& c, Type type, F get) {
  const Transplant* t = LastTransplant(c);
  if (t == nullptr) return c.Unknown(type, "no transplant recorded");
  return get(*t);
}
V TransplantDate(C& c, const Node&) {
  return FromTransplant(c, Type::kDate,
                        [](const Transplant& t) { return C::DateValue(t.transplant_date); });
}
V DonorType(C& c, const Node&) {
  return FromTransplant(c, Type::kString,
                        [](const Transplant& t) { return C::Text(t.donor_type); });
}
V StemCellSource(C& c, const Node&) {
  return FromTransplant(c, Type::kString,
                        [](const Transplant& t) { return C::Text(t.stem_cell_source); });
}
V Conditioning(C& c, const Node&) {
  return FromTransplant(c, Type::kString,
                        [](const Transplant& t) { return C::Text(t.conditioning); });
}
V GraftManipulation(C& c, const Node&) {
  const Transplant* t = LastTransplant(c);
  if (t == nullptr) return c.Unknown(Type::kString, "no transplant recorded");
  if (!t->graft_manipulation) return c.Unknown(Type::kString, "graft manipulation not recorded");
  return C::Text(*t->graft_manipulation);
}
V GvhdProphylaxis(C& c, const Node&) {
  const Transplant* t = LastTransplant(c);
  if (t == nullptr) return c.Unknown(Type::kStringList, "no transplant recorded");
  if (t->gvhd_prophylaxis.empty()) {
    return c.Unknown(Type::kStringList, "GVHD prophylaxis not recorded");
  }
  V v;
  v.type = Type::kStringList;
  v.texts = &t->gvhd_prophylaxis;
  return v;
}
V MaxAcuteGvhdGrade(C& c, const Node&) {
  int g = 0;
  for (const auto& a : c.patient().acute_gvhd) {
    if (c.InScope(a.onset_date)) g = std::max(g, a.grade);
  }
  return C::Number(g);
}
V HadChronicGvhd(C& c, const Node&) {
  for (const auto& g : c.patient().chronic_gvhd) {
    if (c.InScope(g.onset_date)) return C::Bool(true);
  }
  return C::Bool(false);
}
V HadDli(C& c, const Node&) {
  for (const auto& d : c.patient().dlis) {
    if (c.InScope(d.infusion_date)) return C::Bool(true);
  }
  return C::Bool(false);
}

// --- performance status ------------------------------------------------------------------

V Performance(C& c, sv scale, sv missing) {
  const PerformanceStatus* p = LatestPerformance(c, scale);
  if (p == nullptr) return c.Unknown(Type::kNumber, missing);
  return C::Number(p->score);
}
V Ecog(C& c, const Node&) { return Performance(c, "ecog", "no ECOG performance status recorded"); }
V Karnofsky(C& c, const Node&) {
  return Performance(c, "karnofsky", "no Karnofsky performance status recorded");
}
V Lansky(C& c, const Node&) {
  return Performance(c, "lansky", "no Lansky performance status recorded");
}

// --- disease course (clinical/disease_course.h) ----------------------------------------------

constexpr std::array<sv, 10> kDiseaseStateCodes = {"active_at_diagnosis",
                                                   "primary_refractory",
                                                   "relapse",
                                                   "extramedullary_relapse",
                                                   "cr",
                                                   "crh",
                                                   "cri",
                                                   "mlfs",
                                                   "pr",
                                                   "conflicting"};

// The disease state on the evaluation date, or why it is unknown: nothing recorded, records
// of one day that contradict each other, or evidence older than the criterion allows.
const clinical::DiseaseSnapshot* KnownCourse(C& c, Type type, V& unknown) {
  const clinical::DiseaseSnapshot& s = c.Course();
  if (!s.state) {
    // Nothing established a state: say what the latest assessment lacks, when it is that.
    V latest = LatestResponse(c);
    if (!latest.known) {
      latest.type = type;
      unknown = latest;
    } else {
      unknown = c.Unknown(type, "no record establishes the disease state");
    }
    return nullptr;
  }
  if (*s.state == clinical::DiseaseState::kConflicting) {
    std::string who;
    for (const auto& e : s.evidence)
      who += (who.empty() ? "" : " and ") + e.kind + " " + std::to_string(e.record_id);
    unknown = c.UnknownOwned(type, "conflicting records on " + s.since->ToString() + " (" + who +
                                       "): the site must correct one");
    return nullptr;
  }
  if (const auto days = c.options().evidence_within_days) {
    const Date oldest = c.on().AddDays(-*days);
    if (!s.confirmed_on || *s.confirmed_on < oldest) {
      unknown = c.UnknownOwned(
          type, "the latest evidence of the disease state (" +
                    (s.confirmed_on ? s.confirmed_on->ToString() : std::string("none")) +
                    ") is older than " + std::to_string(*days) + " days");
      return nullptr;
    }
  }
  return &s;
}

V DiseaseStateFact(C& c, const Node&) {
  V unknown;
  const auto* s = KnownCourse(c, Type::kString, unknown);
  if (s == nullptr) return unknown;
  return C::Text(clinical::ToCode(*s->state));
}
V DiseaseStateDate(C& c, const Node&) {
  V unknown;
  const auto* s = KnownCourse(c, Type::kDate, unknown);
  if (s == nullptr) return unknown;
  return C::DateValue(*s->since);
}
V InRemission(C& c, const Node&) {
  V unknown;
  const auto* s = KnownCourse(c, Type::kBool, unknown);
  if (s == nullptr) return unknown;
  return C::Bool(clinical::IsRemission(*s->state));
}
V RelapsedOrRefractory(C& c, const Node&) {
  V unknown;
  const auto* s = KnownCourse(c, Type::kBool, unknown);
  if (s == nullptr) return unknown;
  const bool treated =
      std::any_of(c.patient().treatment_lines.begin(), c.patient().treatment_lines.end(),
                  [&](const TreatmentLine& l) { return c.InScope(l.start_date); });
  return C::Bool(clinical::IsRelapsedOrRefractory(*s, treated));
}
V MrdRelapse(C& c, const Node&) {
  V unknown;
  const auto* s = KnownCourse(c, Type::kBool, unknown);
  if (s == nullptr) return unknown;
  return C::Bool(s->mrd_relapse);
}

// A line with the agent stopped for refractory disease or relapse, or followed by active
// disease (relapse, refractory, PR) while or after it ran: failure of that agent.
V FailedAgent(C& c, const Node& n) {
  sv agent = n.args[0].text;
  std::optional<Date> window_start;
  if (n.args[1].present) window_start = Shift(c.on(), n.args[1].duration, -1);
  const auto course = clinical::BuildDiseaseCourse(c.patient());
  for (const auto& l : c.patient().treatment_lines) {
    if (!c.InScope(l.start_date) || !HasAgent(l, agent)) continue;
    const Date last = l.end_date ? std::min(*l.end_date, c.on()) : c.on();
    if (window_start && last < *window_start) continue;
    if (l.reason_stopped && (*l.reason_stopped == "refractory" || *l.reason_stopped == "relapse"))
      return C::Bool(true);
    // Active disease established after the line started and before the next line.
    Date next = c.on();
    for (const auto& m : c.patient().treatment_lines)
      if (m.start_date > l.start_date && m.start_date < next) next = m.start_date;
    for (const auto& e : course.events) {
      if (e.kind != clinical::CourseEventKind::kState || !e.state) continue;
      if (e.date <= l.start_date || e.date > next || !c.InScope(e.date)) continue;
      if (clinical::IsActiveDisease(*e.state) || *e.state == clinical::DiseaseState::kPr)
        return C::Bool(true);
    }
  }
  return C::Bool(false);
}

// --- response, relapse, death ------------------------------------------------------------

V LatestResponseFact(C& c, const Node&) { return LatestResponse(c); }
V LatestResponseDate(C& c, const Node&) {
  const ResponseAssessment* a = LatestAssessment(c);
  if (a == nullptr) return c.Unknown(Type::kDate, "no response assessment recorded");
  return C::DateValue(a->assessment_date);
}
V InCr(C& c, const Node& n) { return InRemission(c, n); }
V MrdNegative(C& c, const Node&) {
  const ResponseAssessment* a = LatestAssessment(c);
  if (a == nullptr) return c.Unknown(Type::kBool, "no response assessment recorded");
  if (!a->mrd_status) return c.Unknown(Type::kBool, "no MRD result at the latest assessment");
  return C::Bool(*a->mrd_status == "negative");
}
V RelapseCount(C& c, const Node&) {
  int n = 0;
  for (const auto& r : c.patient().relapses) n += c.InScope(r.relapse_date) ? 1 : 0;
  return C::Number(n);
}
const Relapse* NthRelapse(const C& c, bool first) {
  const Relapse* out = nullptr;
  for (const auto& r : c.patient().relapses) {
    if (!c.InScope(r.relapse_date)) continue;
    out = &r;
    if (first) break;
  }
  return out;
}
V FirstRelapseDate(C& c, const Node&) {
  const Relapse* r = NthRelapse(c, true);
  if (r == nullptr) return c.Unknown(Type::kDate, "no relapse recorded");
  return C::DateValue(r->relapse_date);
}
V FirstRelapseType(C& c, const Node&) {
  const Relapse* r = NthRelapse(c, true);
  if (r == nullptr) return c.Unknown(Type::kString, "no relapse recorded");
  return C::Text(r->relapse_type);
}
V LastRelapseDate(C& c, const Node&) {
  const Relapse* r = NthRelapse(c, false);
  if (r == nullptr) return c.Unknown(Type::kDate, "no relapse recorded");
  return C::DateValue(r->relapse_date);
}
V LastRelapseType(C& c, const Node&) {
  const Relapse* r = NthRelapse(c, false);
  if (r == nullptr) return c.Unknown(Type::kString, "no relapse recorded");
  return C::Text(r->relapse_type);
}
V Alive(C& c, const Node&) {
  for (const auto& d : c.patient().deaths) {
    if (c.InScope(d.death_date)) return C::Bool(false);
  }
  return C::Bool(true);
}

// --- consent, attestations, adverse events ------------------------------------------------

V Consented(C& c, const Node& n) {
  sv scope = n.args[0].text;
  for (const auto& k : c.patient().consents) {
    if (!c.InScope(k.consent_date)) continue;
    if (k.withdrawal_date && *k.withdrawal_date <= c.on()) continue;
    if (std::find(k.scope.begin(), k.scope.end(), scope) != k.scope.end()) return C::Bool(true);
  }
  return C::Bool(false);
}

void PrepareAttested(Node& n) { n.say.push_back("not attested by the site: " + n.args[0].text); }

V Attested(C& c, const Node& n) {
  auto it = c.attestations().find(n.args[0].text);
  if (it == c.attestations().end()) return c.Unknown(Type::kBool, n.say[0]);
  return C::Bool(it->second);
}

V HadAdverseEvent(C& c, const Node& n) {
  std::optional<Date> window_start;
  if (n.args[2].present) window_start = Shift(c.on(), n.args[2].duration, -1);
  double min_grade = n.args[1].present ? n.args[1].number : 1;
  for (const auto& e : c.patient().adverse_events) {
    if (!c.InScope(e.onset_date) || e.grade < min_grade) continue;
    if (n.args[0].present && e.ctcae_term != n.args[0].text) continue;
    if (window_start && e.resolution_date && *e.resolution_date < *window_start) continue;
    return C::Bool(true);
  }
  return C::Bool(false);
}

// --- the table ---------------------------------------------------------------------------

std::vector<BuiltinSpec> MakeTable() {
  using P = ParamSpec;
  static const std::array kGene = {P{"gene", Type::kString, true, {}, P::Check::kGene}};
  static const std::array kHasVariant = {
      P{"gene", Type::kString, true, {}, P::Check::kGene},
      P{"type", Type::kString, false, SchemaCodes("variant", "variant_type")},
      P{"min_vaf", Type::kNumber, false},
      P{"hgvs", Type::kString, false},
  };
  static const std::array kGenes = {P{"genes", Type::kStringList, true, {}, P::Check::kGene}};
  static const std::array kFusion = {
      P{"pattern", Type::kString, true, {}, P::Check::kFusionPattern}};
  static const std::array kCode = {
      P{"code", Type::kString, true, SchemaCodes("karyotype", "abnormalities")}};
  static const std::array kExposed = {P{"agent", Type::kString, true, {}, P::Check::kAgent},
                                      P{"within", Type::kDuration, false}};
  static const std::array kAgent = {P{"agent", Type::kString, true, {}, P::Check::kAgent}};
  static const std::array kScope = {
      P{"scope", Type::kString, true, SchemaCodes("consent", "scope")}};
  static const std::array kName = {P{"name", Type::kString, true}};
  static const std::array kAe = {P{"term", Type::kString, false},
                                 P{"min_grade", Type::kNumber, false},
                                 P{"within", Type::kDuration, false}};
  const std::span<const P> none;
  const std::span<const sv> no_codes;

  auto fact = [&](sv name, Type t, std::span<const sv> codes, sv meaning, sv unknown_when,
                  V (*eval)(C&, const Node&)) {
    return BuiltinSpec{name, t, none, false, codes, name, meaning, unknown_when, eval, nullptr};
  };
  auto fn = [&](sv name, Type t, std::span<const P> params, std::span<const sv> codes, sv sig,
                sv meaning, sv unknown_when, V (*eval)(C&, const Node&), void (*prep)(Node&)) {
    return BuiltinSpec{name, t, params, true, codes, sig, meaning, unknown_when, eval, prep};
  };
  const auto b = Type::kBool, num = Type::kNumber, str = Type::kString, date = Type::kDate;
  return {
      // patient
      fact("age", num, no_codes,
           "Completed years of age on the evaluation date (birthday taken as the first of the "
           "birth month)",
           "no year of birth recorded", Age),
      fact("sex", str, SchemaCodes("patient", "sex"), "Sex recorded at birth",
           "never (required field)", Sex),
      fact("evaluation_date", date, no_codes,
           "The date the criterion is evaluated on (screening date)", "never", EvaluationDate),
      fact("registered_on", date, no_codes, "Date of registration in STREAM", "never",
           RegisteredOn),
      // diagnosis
      fact("disease", str, SchemaCodes("diagnosis", "disease"),
           "Leukaemia type of the latest diagnosis", "no diagnosis recorded", Disease),
      fact("disease_origin", str, SchemaCodes("diagnosis", "origin"),
           "de_novo, secondary or therapy_related", "no diagnosis recorded", DiseaseOrigin),
      fact("status_at_registration", str, SchemaCodes("diagnosis", "status_at_registration"),
           "Disease status when registered", "no diagnosis recorded", StatusAtRegistration),
      fact("diagnosis_date", date, no_codes, "Date of the latest diagnosis",
           "no diagnosis recorded", DiagnosisDate),
      fact("who_2022_subtype", str, no_codes, "WHO 2022 subtype as written in the classification",
           "no diagnosis, or subtype not recorded", Who2022Subtype),
      fact("lineage", str, SchemaCodes("diagnosis", "lineage"), "b_cell, t_cell or myeloid",
           "no diagnosis, or lineage not recorded", Lineage),
      fact("eln2022_risk", str, kRiskCodes,
           "ELN 2022 genetic risk: favourable, intermediate or adverse (precedence rules in docs)",
           "the genetic data cannot decide it (lists what is missing, e.g. no karyotype, NPM1 not "
           "tested)",
           Eln2022Risk),
      // genetics
      fn("has_variant", b, kHasVariant, no_codes,
         "has_variant(gene, type:, min_vaf:, hgvs:) -> bool",
         "A variant of the gene is recorded that matches the optional filters (variant type code, "
         "VAF >= min_vaf %, exact HGVS)",
         "gene not tested, test failed, positive without the variant recorded, or a filter on VAF "
         "and the VAF not recorded",
         HasVariant, PrepareGeneArg),
      fn("has_variant_in", b, kGenes, no_codes, "has_variant_in(genes) -> bool",
         "A variant is recorded in any of the listed genes",
         "none mutated and at least one not tested / failed", HasVariantIn, PrepareGeneList),
      fn("gene_tested", b, kGene, no_codes, "gene_tested(gene) -> bool",
         "A positive or negative result (or a variant) is recorded for the gene", "never",
         GeneTested, nullptr),
      fn("gene_result", str, kGene, SchemaCodes("gene_test", "result"),
         "gene_result(gene) -> string",
         "positive, negative, failed or not_tested (positive beats negative beats failed)", "never",
         GeneResult, nullptr),
      fn("has_fusion", b, kFusion, no_codes, "has_fusion(pattern) -> bool",
         "A fusion matching GENE1::GENE2 is recorded; either partner may be '*'",
         "no fusion found and neither a negative partner-gene test nor a karyotype that would show "
         "it",
         HasFusion, PrepareFusion),
      fn("karyotype_has", b, kCode, no_codes, "karyotype_has(code) -> bool",
         "A successful karyotype lists the abnormality code", "no karyotype, or only failed ones",
         KaryotypeHas, nullptr),
      // treatment
      fact("prior_lines", num, no_codes,
           "Number of treatment lines started on or before the evaluation date",
           "never (0 when none)", PriorLines),
      fact("first_line.start_date", date, no_codes,
           "First day of the first (frontline) treatment line", "no treatment line recorded",
           FirstLineStart),
      fact(
          "first_line.end_date", date, no_codes, "Last day of the first (frontline) treatment line",
          "no treatment line recorded, or it has no end date by the evaluation date", FirstLineEnd),
      fn("exposed_to", b, kExposed, no_codes, "exposed_to(agent, within:) -> bool",
         "A treatment line containing the agent (lower-case INN) was given, overlapping the last "
         "`within` before the evaluation date when given",
         "never", ExposedTo, nullptr),
      fn("days_since_agent", num, kAgent, no_codes, "days_since_agent(agent) -> number",
         "Days from the last day of the last line with the agent (0 while ongoing) to the "
         "evaluation date",
         "the agent was never given", DaysSinceAgent, PrepareAgent),
      // transplant
      fact("had_transplant", b, no_codes,
           "Any stem-cell transplant (allogeneic or autologous) recorded", "never", HadTransplant),
      fact("had_allogeneic_transplant", b, no_codes, "Any transplant from a non-autologous donor",
           "never", HadAllogeneicTransplant),
      fact("transplant_count", num, no_codes, "Number of transplants", "never", TransplantCount),
      fact("last_transplant.date", date, no_codes, "Day 0 of the latest transplant",
           "no transplant recorded", TransplantDate),
      fact("last_transplant.donor_type", str, SchemaCodes("transplant", "donor_type"),
           "Donor of the latest transplant", "no transplant recorded", DonorType),
      fact("last_transplant.stem_cell_source", str, SchemaCodes("transplant", "stem_cell_source"),
           "Graft source of the latest transplant", "no transplant recorded", StemCellSource),
      fact("last_transplant.graft_manipulation", str,
           SchemaCodes("transplant", "graft_manipulation"),
           "Graft processing of the latest transplant", "no transplant, or not recorded",
           GraftManipulation),
      fact("last_transplant.conditioning", str, SchemaCodes("transplant", "conditioning"),
           "Conditioning intensity of the latest transplant", "no transplant recorded",
           Conditioning),
      fact("last_transplant.gvhd_prophylaxis", Type::kStringList,
           SchemaCodes("transplant", "gvhd_prophylaxis"),
           "GVHD prophylaxis agents of the latest transplant (a list; use `in`)",
           "no transplant, or prophylaxis not recorded", GvhdProphylaxis),
      fact("max_acute_gvhd_grade", num, no_codes, "Highest acute GVHD grade recorded (0 when none)",
           "never", MaxAcuteGvhdGrade),
      fact("had_chronic_gvhd", b, no_codes, "Any chronic GVHD recorded", "never", HadChronicGvhd),
      fact("had_dli", b, no_codes, "Any donor lymphocyte infusion recorded", "never", HadDli),
      // performance
      fact("ecog", num, no_codes, "Latest ECOG performance status (0-5)",
           "no ECOG performance status recorded", Ecog),
      fact("karnofsky", num, no_codes, "Latest Karnofsky score (0-100)", "none recorded",
           Karnofsky),
      fact("lansky", num, no_codes, "Latest Lansky score (0-100)", "none recorded", Lansky),
      // response and outcome
      fact("latest_response", str, SchemaCodes("response", "eln2022_category"),
           "ELN 2022 category of the latest assessment: derived from counts; the site's entry when "
           "counts cannot decide",
           "no assessment, or neither counts nor an entered category decide it",
           LatestResponseFact),
      fact("latest_response_date", date, no_codes, "Date of the latest response assessment",
           "no assessment recorded", LatestResponseDate),
      fact("in_cr", b, no_codes,
           "In CR, CRh or CRi on the evaluation date by the disease course (same as "
           "in_remission; an MRD relapse keeps the haematological remission)",
           "as disease_state", InCr),
      // disease course
      fact("disease_state", str, kDiseaseStateCodes,
           "The disease state on the evaluation date from the disease course: "
           "active_at_diagnosis, primary_refractory, relapse, extramedullary_relapse, cr, crh, "
           "cri, mlfs, pr (ELN 2022 for AML, I-BFM for ALL; docs/clinical-rules.md)",
           "no record establishes a state; records of one day conflict; or the evidence is older "
           "than the criterion's evidence_within_days",
           DiseaseStateFact),
      fact("disease_state.date", date, no_codes, "The date the current disease state began",
           "as disease_state", DiseaseStateDate),
      fact("in_remission", b, no_codes, "In CR, CRh or CRi on the evaluation date",
           "as disease_state", InRemission),
      fact("relapsed_or_refractory", b, no_codes,
           "Relapse (marrow or extramedullary) or primary refractory disease on the evaluation "
           "date, or a PR / MLFS short of remission after treatment (not an MLFS right after a "
           "remission)",
           "as disease_state", RelapsedOrRefractory),
      fact("mrd_relapse", b, no_codes,
           "An MRD relapse (conversion to MRD positive, or a >= 1 log10 rise) since the current "
           "remission began, not cleared by a later MRD-negative result",
           "as disease_state", MrdRelapse),
      fn("failed_agent", b, kExposed, no_codes, "failed_agent(agent, within:) -> bool",
         "A line with the agent was stopped for refractory disease or relapse, or active disease "
         "was established while it ran (before the next line); the line overlapping the last "
         "`within` when given",
         "never", FailedAgent, nullptr),
      fact("mrd_negative", b, no_codes, "MRD status 'negative' at the latest assessment",
           "no assessment or no MRD result", MrdNegative),
      fact("relapse_count", num, no_codes, "Number of relapses recorded", "never", RelapseCount),
      fact("first_relapse.date", date, no_codes, "Date of the first relapse", "no relapse recorded",
           FirstRelapseDate),
      fact("first_relapse.type", str, SchemaCodes("relapse", "relapse_type"),
           "haematological, mrd or extramedullary", "no relapse recorded", FirstRelapseType),
      fact("last_relapse.date", date, no_codes, "Date of the latest relapse", "no relapse recorded",
           LastRelapseDate),
      fact("last_relapse.type", str, SchemaCodes("relapse", "relapse_type"),
           "Type of the latest relapse", "no relapse recorded", LastRelapseType),
      fact("alive", b, no_codes, "No death recorded on or before the evaluation date", "never",
           Alive),
      // consent, attestations, safety
      fn("consented", b, kScope, no_codes, "consented(scope) -> bool",
         "A consent covering the scope signed and not withdrawn by the evaluation date", "never",
         Consented, nullptr),
      fn("attested", b, kName, no_codes, "attested(name) -> bool",
         "A fact the site attests (supplied by the caller), e.g. not_pregnant",
         "the site has not attested it", Attested, PrepareAttested),
      fn("had_adverse_event", b, kAe, no_codes,
         "had_adverse_event(term:, min_grade:, within:) -> bool",
         "An adverse event (CTCAE term if given) of at least min_grade (default 1), ongoing within "
         "the last `within` if given",
         "never", HadAdverseEvent, nullptr),
  };
}

}  // namespace

std::span<const BuiltinSpec> BuiltinTable() {
  static const std::vector<BuiltinSpec> kTable = MakeTable();
  return kTable;
}

int FindBuiltin(std::string_view name) {
  auto table = BuiltinTable();
  for (size_t i = 0; i < table.size(); ++i) {
    if (table[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<BuiltinInfo> Builtins() {
  std::vector<BuiltinInfo> out;
  for (const auto& b : BuiltinTable()) {
    out.push_back({b.name, b.signature, b.meaning, b.unknown_when});
  }
  return out;
}

}  // namespace stream::rules
