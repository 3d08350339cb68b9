// The built-ins that read the patient's records directly: demographics, diagnosis,
// treatment lines, transplant and GVHD, performance status, consent, site attestations and
// adverse events (builtins_internal.h; the table in builtins.cc).
#include <algorithm>
#include <optional>

#include "rules/builtins_internal.h"

namespace stream::rules::internal {
namespace {

using sv = std::string_view;
using V = RuntimeValue;
using C = EvalContext;

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

const TreatmentLine* FirstLine(const C& c) {
  for (const auto& l : c.patient().treatment_lines) {
    if (c.InScope(l.start_date)) return &l;
  }
  return nullptr;
}

template <typename F>
V FromDiagnosis(C& c, Type type, F get) {
  const Diagnosis* d = LatestDiagnosis(c);
  if (d == nullptr) return c.Unknown(type, "no diagnosis recorded");
  return get(*d);
}

template <typename F>
V FromTransplant(C& c, Type type, F get) {
  const Transplant* t = LastTransplant(c);
  if (t == nullptr) return c.Unknown(type, "no transplant recorded");
  return get(*t);
}

V Performance(C& c, sv scale, sv missing) {
  const PerformanceStatus* p = LatestPerformance(c, scale);
  if (p == nullptr) return c.Unknown(Type::kNumber, missing);
  return C::Number(p->score);
}

}  // namespace

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

V Ecog(C& c, const Node&) { return Performance(c, "ecog", "no ECOG performance status recorded"); }
V Karnofsky(C& c, const Node&) {
  return Performance(c, "karnofsky", "no Karnofsky performance status recorded");
}
V Lansky(C& c, const Node&) {
  return Performance(c, "lansky", "no Lansky performance status recorded");
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

}  // namespace stream::rules::internal
