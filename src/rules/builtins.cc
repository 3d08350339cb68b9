// The catalogue of the criteria language's built-in facts and functions: their names,
// parameters, code lists, signatures, meaning and when they are unknown
// (docs/criteria-language.md repeats this table). The implementations are in
// builtins_genetics.cc, builtins_patient.cc and builtins_disease_course.cc.
#include <array>
#include <span>
#include <string_view>
#include <vector>

#include "core/schema.h"
#include "rules/builtins_internal.h"
#include "rules/criteria.h"
#include "rules/program.h"

namespace stream::rules {
namespace internal {
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

// The codes of the disease_state fact.
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
}  // namespace internal

std::span<const BuiltinSpec> BuiltinTable() {
  static const std::vector<BuiltinSpec> kTable = internal::MakeTable();
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
