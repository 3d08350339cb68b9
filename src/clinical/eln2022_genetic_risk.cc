#include "clinical/eln2022_genetic_risk.h"

#include <algorithm>
#include <array>
#include <functional>

namespace stream::clinical {
namespace {

enum class Tri { kNo, kYes, kUnknown };

// One lesion's state with why it is present or what would decide it.
struct Finding {
  Tri state = Tri::kNo;
  std::vector<std::string> reasons;
  std::vector<std::string> missing;
};

Finding Yes(std::string reason) { return {Tri::kYes, {std::move(reason)}, {}}; }
Finding No() { return {Tri::kNo, {}, {}}; }
Finding Unknown(std::vector<std::string> missing) {
  return {Tri::kUnknown, {}, std::move(missing)};
}

void Append(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const auto& s : from) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

bool InScope(Date d, const std::optional<Date>& up_to) { return !up_to || d <= *up_to; }

bool HasCode(const Karyotype& k, std::string_view code) {
  return std::find(k.abnormalities.begin(), k.abnormalities.end(), code) != k.abnormalities.end();
}

std::pair<std::string_view, std::string_view> Partners(std::string_view fusion) {
  auto pos = fusion.find("::");
  if (pos == std::string_view::npos) return {fusion, {}};
  return {fusion.substr(0, pos), fusion.substr(pos + 2)};
}

class Lesions {
 public:
  explicit Lesions(const GeneticFindings& f) : f_(f) {}

  // Karyotype codes (with their wording) or fusions matching `fusion_matches`.
  Finding Cytogenetic(std::span<const std::pair<std::string_view, std::string_view>> codes,
                      const std::function<bool(std::string_view)>& fusion_matches,
                      const std::function<bool(const Karyotype&, std::string_view)>& code_counts) {
    bool usable = false, failed = false;
    if (f_.karyotypes != nullptr) {
      for (const auto& k : *f_.karyotypes) {
        if (!InScope(k.sample_date, f_.up_to)) continue;
        if (k.failed) {
          failed = true;
          continue;
        }
        usable = true;
        for (const auto& [code, wording] : codes) {
          if (HasCode(k, code) && code_counts(k, code)) {
            return Yes(std::string(wording) + " on karyotype");
          }
        }
      }
    }
    if (f_.fusions != nullptr) {
      for (const auto& fu : *f_.fusions) {
        if (InScope(fu.sample_date, f_.up_to) && fusion_matches(fu.fusion)) {
          return Yes(fu.fusion + " fusion");
        }
      }
    }
    if (usable) return No();
    return Unknown({failed ? "karyotype failed" : "no karyotype"});
  }

  // Whether `gene` carries a variant satisfying `matches`; `what` names the lesion.
  Finding Mutated(std::string_view gene, const std::function<Tri(const Variant&)>& matches,
                  std::string_view what, bool filtered) {
    bool any_variant = false;
    std::vector<std::string> undecided;
    if (f_.variants != nullptr) {
      for (const auto& v : *f_.variants) {
        if (v.gene != gene || !InScope(v.sample_date, f_.up_to)) continue;
        any_variant = true;
        Tri t = matches(v);
        if (t == Tri::kYes) return Yes(std::string(what));
        if (t == Tri::kUnknown) undecided.push_back(std::string(gene) + " VAF not recorded");
      }
    }
    if (!undecided.empty()) return Unknown({undecided.front()});
    std::string_view result = TestResult(gene);
    if (any_variant) return No();
    if (result == "negative") return No();
    if (result == "positive") {
      if (!filtered) return Yes(std::string(what));
      return Unknown({std::string(gene) + " positive but the variant is not recorded"});
    }
    if (result == "failed") return Unknown({std::string(gene) + " test failed"});
    return Unknown({std::string(gene) + " not tested"});
  }

 private:
  // positive beats negative beats failed beats not tested.
  std::string_view TestResult(std::string_view gene) const {
    int best = 0;
    if (f_.gene_tests != nullptr) {
      for (const auto& t : *f_.gene_tests) {
        if (t.gene != gene || !InScope(t.sample_date, f_.up_to)) continue;
        int rank = t.result == "positive"   ? 3
                   : t.result == "negative" ? 2
                   : t.result == "failed"   ? 1
                                            : 0;
        best = std::max(best, rank);
      }
    }
    static constexpr std::array<std::string_view, 4> kNames = {"not_tested", "failed", "negative",
                                                               "positive"};
    return kNames[best];
  }

  const GeneticFindings& f_;
};

// Collects the categories still possible while walking the precedence list.
class Decision {
 public:
  // Returns true when the walk must stop (the rule held).
  bool Rule(const Finding& cond, GeneticRisk category) {
    if (cond.state == Tri::kYes) {
      Add(category);
      Append(reasons_, cond.reasons);
      return true;
    }
    if (cond.state == Tri::kUnknown) {
      Add(category);
      Append(missing_, cond.missing);
    }
    return false;
  }
  void Add(GeneticRisk c) { possible_[static_cast<int>(c)] = true; }
  void Missing(const std::vector<std::string>& m) { Append(missing_, m); }
  void Reasons(const std::vector<std::string>& r) { Append(reasons_, r); }

  GeneticRiskResult Finish() const {
    GeneticRiskResult out;
    int n = 0;
    for (int i = 0; i < 3; ++i) {
      if (possible_[i]) {
        ++n;
        out.category = static_cast<GeneticRisk>(i);
      }
    }
    if (n == 1) {
      out.reasons = reasons_;
      return out;
    }
    out.category = GeneticRisk::kUnknown;
    out.missing = missing_;
    return out;
  }

 private:
  std::array<bool, 3> possible_{};
  std::vector<std::string> reasons_, missing_;
};

bool IsT911Fusion(std::string_view fusion) {
  auto [a, b] = Partners(fusion);
  return (a == "KMT2A" && b == "MLLT3") || (a == "MLLT3" && b == "KMT2A");
}

using Coded = std::pair<std::string_view, std::string_view>;
constexpr std::array<Coded, 2> kCbf = {Coded{"t_8_21", "t(8;21)"},
                                       Coded{"inv_16", "inv(16)/t(16;16)"}};
constexpr std::array<Coded, 13> kAdverseCyto = {
    Coded{"t_6_9", "t(6;9)"},
    Coded{"kmt2a_rearranged", "KMT2A rearrangement t(v;11q23.3)"},
    Coded{"t_9_22", "t(9;22)"},
    Coded{"t_8_16", "t(8;16)"},
    Coded{"inv_3", "inv(3)/t(3;3)"},
    Coded{"mecom_rearranged", "MECOM rearrangement t(3q26.2;v)"},
    Coded{"minus_5", "-5"},
    Coded{"del_5q", "del(5q)"},
    Coded{"minus_7", "-7"},
    Coded{"minus_17", "-17"},
    Coded{"abn_17p", "abn(17p)"},
    Coded{"complex", "complex karyotype"},
    Coded{"monosomal", "monosomal karyotype"}};
constexpr std::array<Coded, 1> kT911 = {Coded{"t_9_11", "t(9;11)"}};

}  // namespace

std::string_view ToString(GeneticRisk risk) {
  switch (risk) {
    case GeneticRisk::kFavourable:
      return "favourable";
    case GeneticRisk::kIntermediate:
      return "intermediate";
    case GeneticRisk::kAdverse:
      return "adverse";
    case GeneticRisk::kUnknown:
      break;
  }
  return "unknown";
}

const std::vector<std::string_view>& MyelodysplasiaRelatedGenes() {
  static const std::vector<std::string_view> kGenes = {"ASXL1", "BCOR",  "EZH2",  "RUNX1", "SF3B1",
                                                       "SRSF2", "STAG2", "U2AF1", "ZRSR2"};
  return kGenes;
}

GeneticRiskResult ClassifyEln2022GeneticRisk(const GeneticFindings& findings) {
  Lesions lesions(findings);
  auto any = [](const Variant&) { return Tri::kYes; };
  auto always = [](const Karyotype&, std::string_view) { return true; };
  auto itd = [](const Variant& v) { return v.variant_type == "itd" ? Tri::kYes : Tri::kNo; };

  Finding t911 = lesions.Cytogenetic(kT911, IsT911Fusion, always);
  bool t911_present = t911.state == Tri::kYes;

  // 1. Core-binding-factor AML.
  Finding cbf = lesions.Cytogenetic(
      kCbf, [](std::string_view f) { return f == "RUNX1::RUNX1T1" || f == "CBFB::MYH11"; }, always);
  // 2. Adverse cytogenetics and fusions (also beside NPM1).
  Finding adverse_cyto = lesions.Cytogenetic(
      kAdverseCyto,
      [](std::string_view f) {
        auto [a, b] = Partners(f);
        if (IsT911Fusion(f)) return false;
        return f == "DEK::NUP214" || f == "BCR::ABL1" || f == "KAT6A::CREBBP" || a == "KMT2A" ||
               b == "KMT2A" || a == "MECOM" || b == "MECOM";
      },
      [&](const Karyotype& k, std::string_view code) {
        // t(9;11) is the KMT2A rearrangement that is not adverse, and it is class-defining,
        // so complex/monosomal karyotype does not apply beside it.
        if (code == "kmt2a_rearranged" || code == "complex" || code == "monosomal") {
          return !HasCode(k, "t_9_11") && !t911_present;
        }
        return true;
      });
  // Recurrent class-defining fusions exclude each other: a recorded adverse or t(9;11)
  // fusion rules out CBF AML even without a karyotype.
  if (cbf.state == Tri::kUnknown && (adverse_cyto.state == Tri::kYes || t911_present)) {
    cbf = No();
  }

  Decision d;
  if (d.Rule(cbf, GeneticRisk::kFavourable)) return d.Finish();
  if (d.Rule(adverse_cyto, GeneticRisk::kAdverse)) return d.Finish();

  // 3. t(9;11) over concurrent adverse gene mutations.
  if (d.Rule(t911, GeneticRisk::kIntermediate)) return d.Finish();

  // 4. TP53 with VAF >= 10 %.
  Finding tp53 = lesions.Mutated(
      "TP53",
      [](const Variant& v) {
        if (!v.vaf) return Tri::kUnknown;
        return *v.vaf >= 10.0 ? Tri::kYes : Tri::kNo;
      },
      "TP53 mutated with VAF >= 10 %", true);
  if (d.Rule(tp53, GeneticRisk::kAdverse)) return d.Finish();

  // 5-6. NPM1: intermediate with FLT3-ITD, favourable without; either way it decides.
  Finding npm1 = lesions.Mutated("NPM1", any, "NPM1 mutated", false);
  Finding flt3_itd = lesions.Mutated("FLT3", itd, "FLT3-ITD", true);
  if (npm1.state == Tri::kYes) {
    d.Reasons(npm1.reasons);
    if (flt3_itd.state == Tri::kYes) {
      d.Rule(Yes("NPM1 mutated with FLT3-ITD"), GeneticRisk::kIntermediate);
    } else if (flt3_itd.state == Tri::kNo) {
      d.Rule(Yes("NPM1 mutated without FLT3-ITD"), GeneticRisk::kFavourable);
    } else {
      d.Add(GeneticRisk::kIntermediate);
      d.Add(GeneticRisk::kFavourable);
      d.Missing(flt3_itd.missing);
    }
    return d.Finish();
  }
  if (npm1.state == Tri::kUnknown) {
    // Could be NPM1-mutated AML: favourable or intermediate depending on FLT3-ITD.
    d.Missing(npm1.missing);
    if (flt3_itd.state != Tri::kNo) d.Add(GeneticRisk::kIntermediate);
    if (flt3_itd.state != Tri::kYes) d.Add(GeneticRisk::kFavourable);
    if (flt3_itd.state == Tri::kUnknown) d.Missing(flt3_itd.missing);
  }

  // 7. In-frame bZIP CEBPA.
  Finding cebpa = lesions.Mutated(
      "CEBPA",
      [](const Variant& v) { return v.variant_type == "in_frame_bzip" ? Tri::kYes : Tri::kNo; },
      "in-frame bZIP CEBPA mutation", true);
  if (d.Rule(cebpa, GeneticRisk::kFavourable)) return d.Finish();

  // 8. Myelodysplasia-related gene mutations.
  Finding mr{Tri::kNo, {}, {}};
  std::vector<std::string> untested;
  for (std::string_view gene : MyelodysplasiaRelatedGenes()) {
    Finding g = lesions.Mutated(gene, any, std::string(gene) + " mutated", false);
    if (g.state == Tri::kYes) {
      mr.state = Tri::kYes;
      Append(mr.reasons, g.reasons);
    } else if (g.state == Tri::kUnknown && mr.state != Tri::kYes) {
      mr.state = Tri::kUnknown;
      untested.push_back(std::string(gene));
    }
  }
  if (mr.state == Tri::kUnknown) {
    std::string joined;
    for (const auto& g : untested) joined += (joined.empty() ? "" : ", ") + g;
    mr.missing.push_back("myelodysplasia-related genes not tested: " + joined);
  }
  if (d.Rule(mr, GeneticRisk::kAdverse)) return d.Finish();

  // 9. FLT3-ITD with wild-type NPM1.
  if (d.Rule(flt3_itd, GeneticRisk::kIntermediate)) return d.Finish();

  // 10. Neither favourable nor adverse.
  d.Add(GeneticRisk::kIntermediate);
  d.Reasons({"no favourable or adverse lesion found"});
  return d.Finish();
}

GeneticRiskResult ClassifyEln2022GeneticRisk(const PatientHistory& patient,
                                             std::optional<Date> up_to) {
  GeneticFindings f{&patient.karyotypes, &patient.fusions, &patient.variants, &patient.gene_tests,
                    up_to};
  return ClassifyEln2022GeneticRisk(f);
}

}  // namespace stream::clinical
