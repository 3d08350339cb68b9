// The built-ins over the disease course: response assessments (ELN 2022), the disease state
// on the evaluation date, failure of an agent, relapses and death (builtins_internal.h; the
// table in builtins.cc; the course itself in clinical/disease_course.h).
#include <algorithm>
#include <optional>
#include <string>

#include "clinical/disease_course.h"
#include "clinical/eln2022_response.h"
#include "rules/builtins_internal.h"

namespace stream::rules::internal {
namespace {

using sv = std::string_view;
using V = RuntimeValue;
using C = EvalContext;

// --- response assessments (only records dated on or before the evaluation date) --------

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

// --- disease course (clinical/disease_course.h) ----------------------------------------------

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

const Relapse* NthRelapse(const C& c, bool first) {
  const Relapse* out = nullptr;
  for (const auto& r : c.patient().relapses) {
    if (!c.InScope(r.relapse_date)) continue;
    out = &r;
    if (first) break;
  }
  return out;
}

}  // namespace

// --- disease state -----------------------------------------------------------------------------

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

}  // namespace stream::rules::internal
