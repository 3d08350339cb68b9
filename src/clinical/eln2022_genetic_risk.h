// ELN 2022 genetic risk classification of AML at diagnosis (Döhner et al., Blood
// 2022;140:1345, table 5), from the karyotype abnormality codes, fusions, variants and
// per-gene test results of one patient.
//
// Contract: the function is total. When the recorded data cannot decide the category
// (no karyotype, NPM1 or FLT3 not tested, TP53 VAF missing, ...) the answer is kUnknown
// with the missing facts in clinicians' words; that is a domain outcome, not an error.
// Every decided answer carries the lesion(s) that decided it.
//
// Precedence, applied as an ordered decision list (first rule that holds wins):
//   1. CBF AML: t(8;21) / RUNX1::RUNX1T1 or inv(16)/t(16;16) / CBFB::MYH11 -> favourable
//      (KIT and FLT3 do not modify CBF AML; myelodysplasia-related (MR) gene mutations
//      are not adverse beside a favourable subtype).
//   2. Adverse cytogenetics / fusions -> adverse, also with mutated NPM1. A KMT2A
//      rearrangement that is t(9;11) MLLT3::KMT2A is not adverse; complex and monosomal
//      karyotypes do not count beside t(9;11) (a class-defining lesion).
//   3. t(9;11) / KMT2A::MLLT3 -> intermediate (takes precedence over concurrent adverse
//      gene mutations).
//   4. TP53 mutated with VAF >= 10 % -> adverse.
//   5. NPM1 mutated with FLT3-ITD -> intermediate.
//   6. NPM1 mutated without FLT3-ITD -> favourable (MR gene mutations do not change it).
//   7. In-frame bZIP CEBPA -> favourable (MR gene mutations do not change it).
//   8. Mutated ASXL1, BCOR, EZH2, RUNX1, SF3B1, SRSF2, STAG2, U2AF1 or ZRSR2 -> adverse.
//   9. FLT3-ITD (wild-type NPM1, no adverse lesion) -> intermediate.
//  10. Otherwise intermediate.
// A rule whose condition cannot be decided (missing data) keeps its category as
// possible; the answer is decided only when every possible path gives one category.
// Recurrent class-defining fusions are taken as mutually exclusive: a recorded adverse or
// t(9;11) fusion rules out CBF AML when there is no karyotype. FLT3-ITD allelic ratio is
// not used.
//
// Thread safety: pure function over its arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.h"
#include "core/patient_history.h"

namespace stream::clinical {

enum class GeneticRisk { kFavourable, kIntermediate, kAdverse, kUnknown };

// "favourable", "intermediate", "adverse", "unknown".
std::string_view ToString(GeneticRisk risk);

struct GeneticRiskResult {
  GeneticRisk category = GeneticRisk::kUnknown;
  // The lesion(s) that decided the category, e.g. "NPM1 mutated without FLT3-ITD".
  std::vector<std::string> reasons;
  // When kUnknown: the facts that would decide it, e.g. "no karyotype", "FLT3 not tested".
  std::vector<std::string> missing;
};

// The genetic input: normally the patient's lists as recorded.
struct GeneticFindings {
  const std::vector<Karyotype>* karyotypes = nullptr;
  const std::vector<Fusion>* fusions = nullptr;
  const std::vector<Variant>* variants = nullptr;
  const std::vector<GeneTest>* gene_tests = nullptr;
  // Only samples taken on or before this date are used (all when nullopt).
  std::optional<Date> up_to;
};

[[nodiscard]] GeneticRiskResult ClassifyEln2022GeneticRisk(const GeneticFindings& findings);
[[nodiscard]] GeneticRiskResult ClassifyEln2022GeneticRisk(const PatientHistory& patient,
                                                           std::optional<Date> up_to = {});

// The ELN 2022 myelodysplasia-related genes (adverse outside favourable subtypes).
const std::vector<std::string_view>& MyelodysplasiaRelatedGenes();

}  // namespace stream::clinical
