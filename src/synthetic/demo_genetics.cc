// The genetic records of a synthetic patient: karyotype, fusion, gene_test and variant.
#include "synthetic/demo_genetics.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "synthetic/random_draws.h"

namespace stream::synthetic {
namespace {

using sv = std::string_view;

// None of these writers draws: the random draws of a patient stay in the order the
// callers make them.

void AddKaryotype(PatientTimeline& b, sv iscn, std::initializer_list<sv> abnormalities) {
  b.Add<"karyotype">(
      0, {{"sample_date", D(0)}, {"iscn", S(iscn)}, {"abnormalities", Codes(abnormalities)}});
}

void AddFusion(PatientTimeline& b, sv fusion, sv method) {
  b.Add<"fusion">(0, {{"fusion", S(fusion)}, {"method", S(method)}, {"sample_date", D(0)}});
}

// A rearrangement that makes a fusion gene: the karyotype that shows it, and the fusion
// confirmed by `method`.
void AddRearrangement(PatientTimeline& b, sv iscn, sv abnormality, sv fusion, sv method) {
  AddKaryotype(b, iscn, {abnormality});
  AddFusion(b, fusion, method);
}

void AddGeneTest(PatientTimeline& b, int day, sv gene, bool positive, sv method) {
  b.Add<"gene_test">(day, {{"gene", S(gene)},
                           {"result", S(positive ? "positive" : "negative")},
                           {"method", S(method)},
                           {"sample_date", D(day)}});
}

void AddVariant(PatientTimeline& b, sv gene, sv hgvs, sv type, double vaf, sv method) {
  b.Add<"variant">(0, {{"gene", S(gene)},
                       {"hgvs", S(hgvs)},
                       {"variant_type", S(type)},
                       {"vaf", Value{vaf}},
                       {"method", S(method)},
                       {"sample_date", D(0)}});
}

struct Gene {
  sv gene, type, hgvs;
  double frequency;
};

}  // namespace

void AmlGenetics(PatientTimeline& b) {
  auto& r = b.r();
  // Karyotype: frequencies typical of relapsed/refractory AML cohorts.
  const double k = r.Uniform();
  if (k < 0.42) {
    AddKaryotype(b, "46,XY[20]", {"normal"});
  } else if (k < 0.57) {
    AddKaryotype(b, "44,XX,del(5)(q13q33),-7,-17,+8[15]/46,XX[5]",
                 {"del_5q", "minus_7", "minus_17", "complex", "monosomal"});
  } else if (k < 0.63) {
    AddKaryotype(b, "45,XY,-7[18]/46,XY[2]", {"minus_7"});
  } else if (k < 0.67) {
    AddRearrangement(b, "46,XX,t(8;21)(q22;q22.1)[20]", "t_8_21", "RUNX1::RUNX1T1", "pcr");
  } else if (k < 0.70) {
    AddRearrangement(b, "46,XY,inv(16)(p13.1q22)[20]", "inv_16", "CBFB::MYH11", "pcr");
  } else if (k < 0.75) {
    AddRearrangement(b, "46,XX,t(9;11)(p21.3;q23.3)[20]", "t_9_11", "KMT2A::MLLT3", "fish");
  } else if (k < 0.78) {
    AddKaryotype(b, "46,XY,inv(3)(q21.3q26.2)[20]", {"inv_3"});
  } else if (k < 0.95) {
    AddKaryotype(b, "47,XY,+8[20]", {"other"});
  } else {
    b.Add<"karyotype">(
        0, {{"sample_date", D(0)}, {"abnormalities", Codes({"other"})}, {"failed", Value{true}}});
  }
  // Myeloid panel: a result for every gene, so "tested, negative" is explicit; a few
  // centres do not test IDH1/IDH2 at diagnosis, which leaves those facts unknown.
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
    AddGeneTest(b, 0, g.gene, mutated, method);
    if (mutated) {
      const double vaf =
          g.gene == "TP53" ? Round1(8 + 60 * r.Uniform()) : Round1(5 + 45 * r.Uniform());
      AddVariant(b, g.gene, g.hgvs, g.type, vaf, method);
      if (g.gene == "FLT3") flt3_positive = true;
    }
  }
  if (!flt3_positive && Chance(r, 0.08)) {  // FLT3-TKD, tested with the same assay
    AddVariant(b, "FLT3", "p.Asp835Tyr", "tkd", Round1(5 + 40 * r.Uniform()), "pcr");
  }
}

void AllGenetics(PatientTimeline& b) {
  auto& r = b.r();
  const double k = r.Uniform();
  if (k < 0.25) {
    AddKaryotype(b, "55,XX,+4,+6,+10,+14,+17,+18,+21,+21,+X[20]", {"high_hyperdiploid"});
  } else if (k < 0.45) {
    AddRearrangement(b, "46,XY,t(12;21)(p13;q22)[20]", "t_12_21", "ETV6::RUNX1", "pcr");
  } else if (k < 0.50) {
    AddRearrangement(b, "46,XX,t(1;19)(q23;p13.3)[20]", "t_1_19", "TCF3::PBX1", "pcr");
  } else if (k < 0.53) {
    AddKaryotype(b, "38,XY,-2,-3,-4,-7,-12,-13,-15,-16[20]", {"hypodiploid"});
  } else if (k < 0.56) {
    AddRearrangement(b, "46,XY,t(9;22)(q34.1;q11.2)[20]", "t_9_22", "BCR::ABL1", "pcr");
  } else if (k < 0.57) {
    AddRearrangement(b, "46,XX,t(17;19)(q22;p13.3)[20]", "t_17_19", "TCF3::HLF", "pcr");
  } else {
    AddKaryotype(b, "46,XX[20]", {"normal"});
  }
  // Alterations that decide HEM-iSMART groups: ABL-class fusions, JAK-STAT, RAS/MAPK.
  if (Chance(r, 0.03)) AddFusion(b, "EBF1::PDGFRB", "ngs");
  if (Chance(r, 0.04)) AddFusion(b, "P2RY8::CRLF2", "ngs");
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
    AddGeneTest(b, 0, g.gene, mutated, "ngs");
    if (mutated) AddVariant(b, g.gene, g.hgvs, g.type, Round1(5 + 40 * r.Uniform()), "ngs");
  }
}

// Children are profiled again at registration for the targeted groups of HEM-iSMART:
// every gene a group is decided on gets an explicit result, positive when the leukaemia
// carries a variant in it or a fusion with it. No draws: the rest of the registry stays
// as the seed made it.
void RelapsePanel(PatientTimeline& b, int day) {
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
    AddGeneTest(b, day, gene, positive, "ngs");
  }
}

}  // namespace stream::synthetic
