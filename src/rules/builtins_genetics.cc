// The genetic built-ins of the criteria language: gene tests and variants, karyotypes,
// fusions and the ELN 2022 genetic risk (builtins_internal.h; the table in builtins.cc).
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "clinical/eln2022_genetic_risk.h"
#include "rules/builtins_internal.h"

namespace stream::rules::internal {
namespace {

using sv = std::string_view;
using V = RuntimeValue;
using C = EvalContext;

// --- gene tests and variants --------------------------------------------------------------

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

// --- karyotypes and fusions ---------------------------------------------------------------

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

}  // namespace

// --- genetics ------------------------------------------------------------------------------

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

V KaryotypeHas(C& c, const Node& n) {
  KaryotypeState s = Karyotypes(c, n.args[0].text);
  if (s.has) return C::Bool(true);
  if (s.usable) return C::Bool(false);
  return c.Unknown(Type::kBool, s.failed ? "karyotype failed" : "no karyotype");
}

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

}  // namespace stream::rules::internal
