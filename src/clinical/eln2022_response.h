// ELN 2022 response category of one AML response assessment (Döhner et al., Blood
// 2022;140:1345, table 6), with the MRD-negative qualifier, and the mapping from the
// ELN 2017 categories kept for older data.
//
// Contract: ClassifyEln2022Response is total. When the assessment lacks a value the rule
// needs (ANC, platelets, blood blasts, extramedullary disease, the pre-treatment marrow
// blasts for PR, marrow cellularity for MLFS) the category is kUndetermined with the
// missing facts in clinicians' words. An assessment without marrow blasts is
// kNonEvaluable (no adequate marrow evaluation).
//
// Interpretation choices (documented in docs/criteria-language.md):
//   - CRi is "all CR criteria except ANC < 1.0 *or* platelets < 100": exactly one of the
//     two counts is short; with both short and a non-aplastic marrow the category is MLFS.
//     Where CRh is reported, CRh is tested before CRi, so CRi counts only those who miss
//     CRh.
//   - PR needs the haematological criteria of CR (ANC >= 1.0, platelets >= 100, no blood
//     blasts, no EMD), marrow blasts 5-25 % and a fall of >= 50 % from pre-treatment.
//   - An aplastic marrow (cellularity < 10 %) with blasts < 5 % and no recovery is
//     non-evaluable.
//   - Refractory, relapse and "no response by the landmark" need more than one
//     assessment; this function answers kNoResponse for an evaluable assessment that
//     meets none of the response categories.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/patient_history.h"

namespace stream::clinical {

enum class ResponseCategory {
  kCr,
  kCrh,
  kCri,
  kMlfs,
  kPr,
  kNoResponse,
  kNonEvaluable,
  kUndetermined,  // the data cannot decide; see ResponseResult::missing
};

// The registry code: "cr", "crh", "cri", "mlfs", "pr", "no_response", "non_evaluable",
// "undetermined".
std::string_view ToCode(ResponseCategory category);
// The inverse of ToCode for the ELN 2022 codes of the registry's code list, plus the
// ELN 2017 codes mapped by MapEln2017; nullopt for anything else.
std::optional<ResponseCategory> ParseResponseCode(std::string_view code);

// Protocol parameters; defaults are ELN 2022's.
struct ResponseOptions {
  bool report_crh = true;                    // whether the protocol reports CRh
  double cr_anc = 1.0, cr_platelets = 100;   // full recovery, 10^9/L
  double crh_anc = 0.5, crh_platelets = 50;  // partial recovery, 10^9/L
  double mlfs_min_cellularity = 10;          // %, below which the marrow is aplastic
  // When the site left extramedullary disease empty: true treats it as absent,
  // false (default) makes CR-type categories undetermined.
  bool unrecorded_emd_is_absent = false;
  // MRD-negative when mrd_status is "negative"; when the status is missing and this is
  // set, also when mrd_value < the threshold (%).
  std::optional<double> mrd_negative_below_percent;
};

struct ResponseResult {
  ResponseCategory category = ResponseCategory::kUndetermined;
  bool mrd_negative = false;  // only ever true for CR, CRh, CRi
  std::string reason;         // e.g. "marrow blasts 2 % < 5 %, ANC 1.2, platelets 140"
  std::vector<std::string> missing;
};

// `pretreatment_marrow_blasts` (%) is the value before the current line; needed for PR.
[[nodiscard]] ResponseResult ClassifyEln2022Response(
    const ResponseAssessment& assessment, std::optional<double> pretreatment_marrow_blasts,
    const ResponseOptions& options = {});

// True for CR, CRh and CRi (composite complete remission, CRc).
bool IsCompositeCompleteRemission(ResponseCategory category);

// ELN 2017 code (registry codes, including "stable_disease_eln2017" and
// "progressive_disease_eln2017") to the ELN 2022 category: CR, CRi, MLFS and PR keep
// their meaning; stable and progressive disease become no response. nullopt for codes
// that are not ELN 2017 categories.
std::optional<ResponseCategory> MapEln2017(std::string_view eln2017_code);

// ELN 2022 category to its ELN 2017 code, for comparison with older cohorts: CRh, which
// ELN 2017 did not have, becomes "cri"; the other categories keep their code (ELN 2017's
// stable/progressive disease cannot be derived from one assessment, so no response stays
// "no_response").
std::string_view ToEln2017Code(ResponseCategory category);

}  // namespace stream::clinical
