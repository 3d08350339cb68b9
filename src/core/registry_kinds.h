// The registry's record kinds as constant data: every kind, its fields, units, ranges and
// code lists. A new kind or field names the migration that adds it (`added_in`, the next
// number): from migration 6 on its SQL is generated from this entry (storage/sql/
// schema_ddl.h); regenerate docs/data-model.md and docs/openapi.json (tests check both,
// and that the migrated tables match these entries). Every code needs a label in
// core/code_labels.cc (a test checks).
//
// The tables are in a header so that code reading records can name fields that are checked
// while compiling (core/field_reader.h); everything else reads them through core/schema.h.
#pragma once

#include <array>
#include <string_view>

#include "core/schema.h"

namespace stream::registry {

using sv = std::string_view;
inline constexpr sv kStream = "STREAM code list";

constexpr FieldSpec Int(sv name, bool required, sv unit, sv description, double min, double max) {
  return {name, FieldType::kInteger, required, unit, description, "", {}, min, max};
}
constexpr FieldSpec Num(sv name, bool required, sv unit, sv description, double min, double max) {
  return {name, FieldType::kNumber, required, unit, description, "", {}, min, max};
}
constexpr FieldSpec Day(sv name, bool required, sv description, sv not_before = "") {
  return {name,         FieldType::kDate,  required,  "",
          description,  "ISO 8601 date",   {},        std::nullopt,
          std::nullopt, TextFormat::kFree, not_before};
}
constexpr FieldSpec Bool(sv name, bool required, sv description) {
  return {name, FieldType::kBoolean, required, "", description, ""};
}
constexpr FieldSpec Text(sv name, bool required, sv description, sv system = "",
                         TextFormat format = TextFormat::kFree) {
  return {name, FieldType::kText, required,     "",    description, system,
          {},   std::nullopt,     std::nullopt, format};
}
constexpr FieldSpec Code(sv name, bool required, sv description, std::span<const sv> codes,
                         sv system = kStream) {
  return {name, FieldType::kCode, required, "", description, system, codes};
}
constexpr FieldSpec Codes(sv name, bool required, sv description, std::span<const sv> codes,
                          sv system = kStream) {
  return {name, FieldType::kCodeSet, required, "", description, system, codes};
}

// A field added to an existing table by a later migration.
constexpr FieldSpec AddedIn(FieldSpec field, int migration) {
  field.added_in = migration;
  return field;
}

// A quasi-identifier: seen only by the care team (core/schema.h, Audience).
constexpr FieldSpec CareTeamOnly(FieldSpec field) {
  field.audience = Audience::kCareTeam;
  return field;
}

// --- code lists -----------------------------------------------------------------------
inline constexpr std::array<sv, 4> kSex = {"female", "male", "other", "unknown"};
inline constexpr std::array<sv, 4> kDisease = {"aml", "all", "mpal", "other"};
inline constexpr std::array<sv, 3> kOrigin = {"de_novo", "secondary", "therapy_related"};
inline constexpr std::array<sv, 6> kDiseaseStatus = {"primary_refractory",       "first_relapse",
                                                     "second_relapse",           "later_relapse",
                                                     "relapse_after_transplant", "newly_diagnosed"};
inline constexpr std::array<sv, 3> kLineage = {"b_cell", "t_cell", "myeloid"};
// ISCN abnormalities that ELN 2022 genetic risk and the childhood ALL protocols need.
inline constexpr std::array<sv, 24> kKaryotypeAbnormality = {"normal",
                                                             "t_8_21",
                                                             "inv_16",
                                                             "t_9_11",
                                                             "t_6_9",
                                                             "kmt2a_rearranged",
                                                             "t_9_22",
                                                             "t_8_16",
                                                             "inv_3",
                                                             "mecom_rearranged",
                                                             "minus_5",
                                                             "del_5q",
                                                             "minus_7",
                                                             "minus_17",
                                                             "abn_17p",
                                                             "complex",
                                                             "monosomal",
                                                             "hyperdiploid_trisomies_only",
                                                             "t_12_21",
                                                             "t_1_19",
                                                             "t_17_19",
                                                             "hypodiploid",
                                                             "high_hyperdiploid",
                                                             "other"};
inline constexpr std::array<sv, 6> kVariantType = {
    "itd", "tkd", "missense", "nonsense_frameshift", "in_frame_bzip", "other"};
inline constexpr std::array<sv, 6> kGeneticMethod = {"ngs",  "pcr",       "fragment_analysis",
                                                     "fish", "karyotype", "other"};
inline constexpr std::array<sv, 4> kGeneResult = {"positive", "negative", "failed", "not_tested"};
inline constexpr std::array<sv, 5> kIntensity = {"intensive", "low_intensity", "targeted",
                                                 "immunotherapy", "cellular"};
inline constexpr std::array<sv, 9> kStopReason = {"completed",  "refractory", "relapse",
                                                  "toxicity",   "death",      "patient_choice",
                                                  "transplant", "ongoing",    "other"};
inline constexpr std::array<sv, 6> kDonorType = {"matched_sibling",      "matched_unrelated",
                                                 "mismatched_unrelated", "haploidentical",
                                                 "cord_blood",           "autologous"};
inline constexpr std::array<sv, 3> kStemCellSource = {"bone_marrow", "peripheral_blood",
                                                      "cord_blood"};
inline constexpr std::array<sv, 3> kGraftManipulation = {"unmanipulated", "t_cell_depleted",
                                                         "cd34_selected"};
inline constexpr std::array<sv, 3> kConditioning = {"myeloablative", "reduced_intensity",
                                                    "non_myeloablative"};
inline constexpr std::array<sv, 8> kGvhdProphylaxis = {"cyclosporin_a",
                                                       "tacrolimus",
                                                       "methotrexate",
                                                       "mycophenolate",
                                                       "post_transplant_cyclophosphamide",
                                                       "atg",
                                                       "sirolimus",
                                                       "other"};
inline constexpr std::array<sv, 3> kDliIndication = {"prophylactic", "preemptive", "therapeutic"};
inline constexpr std::array<sv, 4> kMrdMethod = {"flow", "qpcr", "ngs", "ddpcr"};
inline constexpr std::array<sv, 3> kMrdStatus = {"negative", "positive", "positive_below_lloq"};
// ELN 2022 per-assessment categories, plus the ELN 2017 ones kept for older data.
inline constexpr std::array<sv, 12> kResponseCategory = {"cr",
                                                         "crh",
                                                         "cri",
                                                         "mlfs",
                                                         "pr",
                                                         "no_response",
                                                         "non_evaluable",
                                                         "haematological_relapse",
                                                         "mrd_relapse",
                                                         "progressive_disease_eln2017",
                                                         "stable_disease_eln2017",
                                                         "refractory"};
inline constexpr std::array<sv, 3> kRelapseType = {"haematological", "mrd", "extramedullary"};
// Where a relapse was found: one site is an isolated relapse, the marrow with another site
// a combined one (I-BFM conventions for childhood ALL).
inline constexpr std::array<sv, 4> kRelapseSite = {"bone_marrow", "cns", "testis", "other"};
// CNS status of childhood ALL: CNS1 no blasts in the CSF, CNS2 < 5 WBC/uL with blasts,
// CNS3 >= 5 WBC/uL with blasts or cranial nerve palsy / CNS mass.
inline constexpr std::array<sv, 3> kCnsStatus = {"cns1", "cns2", "cns3"};
inline constexpr std::array<sv, 7> kDeathCause = {
    "leukaemia", "infection", "gvhd", "treatment_toxicity", "haemorrhage", "other", "unknown"};
inline constexpr std::array<sv, 3> kChronicGvhdSeverity = {"mild", "moderate", "severe"};
inline constexpr std::array<sv, 5> kAttribution = {"unrelated", "unlikely", "possible", "probable",
                                                   "definite"};
inline constexpr std::array<sv, 3> kPerformanceScale = {"ecog", "karnofsky", "lansky"};
inline constexpr std::array<sv, 3> kVitalStatus = {"alive", "dead", "lost_to_follow_up"};
// Biobank (issue #18.1).
inline constexpr std::array<sv, 5> kSpecimenType = {
    "bone_marrow", "peripheral_blood", "cerebrospinal_fluid", "buccal_swab", "skin_biopsy"};
inline constexpr std::array<sv, 5> kSpecimenPurpose = {"mrd", "diagnosis", "relapse", "research",
                                                       "germline_control"};
inline constexpr std::array<sv, 5> kAnticoagulant = {"edta", "heparin", "citrate", "acd", "none"};
inline constexpr std::array<sv, 5> kLongTermStorage = {"minus_80", "vapour_phase_nitrogen",
                                                       "liquid_nitrogen", "minus_20", "not_stored"};
// Patient-reported outcomes (issue #18.2).
inline constexpr std::array<sv, 11> kProVisit = {
    "baseline", "day_28",   "month_3",          "month_6", "month_9",    "month_12",
    "month_18", "month_24", "end_of_treatment", "relapse", "unscheduled"};
inline constexpr std::array<sv, 3> kRespondent = {"patient", "parent_proxy", "caregiver_proxy"};
inline constexpr std::array<sv, 4> kConsentScope = {"registry", "trial", "biobank", "data_sharing"};

// --- record kinds ---------------------------------------------------------------------
inline constexpr std::array kPatientFields = {
    Text("pseudonym", true, "Registry pseudonym; never a name or hospital number",
         "STREAM pseudonym"),
    Text("site", true, "Code of the registering site, e.g. IT-FO-01", "STREAM site code"),
    Code("sex", true, "Sex recorded at birth", kSex, "HL7 administrative gender"),
    Int("birth_year", true, "year", "Year of birth", 1900, 2100),
    CareTeamOnly(Int("birth_month", true, "month",
                     "Month of birth (the day is kept in the identity store only)", 1, 12)),
    Day("registered_on", true, "Date of registration in STREAM"),
};

inline constexpr std::array kDiagnosisFields = {
    Code("disease", true, "Acute leukaemia type", kDisease),
    Text("who_2022_subtype", false,
         "WHO 2022 (5th edition) subtype, as written in the classification", "WHO 2022"),
    Text("icc_subtype", false, "International Consensus Classification 2022 subtype", "ICC 2022"),
    Code("lineage", false, "Lineage (ALL: B or T cell)", kLineage),
    Day("diagnosis_date", true, "Date of the diagnosis of the leukaemia"),
    Code("origin", true, "De novo, secondary to a myeloid neoplasm, or therapy-related", kOrigin),
    Code("status_at_registration", true, "Disease status when registered", kDiseaseStatus),
};

inline constexpr std::array kKaryotypeFields = {
    Day("sample_date", true, "Date of the sample"),
    Text("iscn", false, "Karyotype as an ISCN 2020 string, e.g. 46,XX,t(8;21)(q22;q22.1)[20]",
         "ISCN 2020", TextFormat::kIscn),
    Codes("abnormalities", true,
          "Abnormalities ELN 2022 and the ALL protocols use; 'normal' for a normal karyotype",
          kKaryotypeAbnormality, "STREAM code list after ISCN 2020"),
    Bool("failed", false, "True when the karyotype could not be assessed"),
};

inline constexpr std::array kVariantFields = {
    Text("gene", true, "Gene symbol", "HGNC", TextFormat::kGeneSymbol),
    Text("hgvs", false, "Variant in HGVS nomenclature, e.g. p.Arg132His or c.1879+1G>A", "HGVS",
         TextFormat::kHgvs),
    Code("variant_type", true, "Kind of variant (ITD and TKD for FLT3; in_frame_bzip for CEBPA)",
         kVariantType),
    FieldSpec{
        "vaf", FieldType::kNumber, false, "%", "Variant allele frequency", "", {}, 0.0, 100.0},
    Code("method", true, "Assay", kGeneticMethod),
    Day("sample_date", true, "Date of the sample"),
};

inline constexpr std::array kFusionFields = {
    Text("fusion", true, "Fusion gene, 5' partner first, e.g. RUNX1::RUNX1T1, KMT2A::MLLT3",
         "HGNC (ISCN 2020 '::' notation)", TextFormat::kFusion),
    Code("method", true, "Assay", kGeneticMethod),
    Day("sample_date", true, "Date of the sample"),
};

inline constexpr std::array kGeneTestFields = {
    Text("gene", true, "Gene symbol tested (a panel is one row per gene)", "HGNC",
         TextFormat::kGeneSymbol),
    Code("result", true,
         "positive (a variant is recorded separately), negative (tested, none found), failed, or "
         "not_tested",
         kGeneResult),
    Code("method", true, "Assay", kGeneticMethod),
    Day("sample_date", true, "Date of the sample"),
};

inline constexpr std::array kTreatmentLineFields = {
    Int("line_number", true, "", "Line of therapy, counted from the first induction", 1, 20),
    Text("regimen", true, "Regimen name as given in the protocol or local standard, e.g. FLAG-Ida"),
    FieldSpec{"agents",
              FieldType::kCodeSet,
              true,
              "",
              "Agents given, by lower-case INN, separated by ';' (e.g. venetoclax;azacitidine)",
              "INN",
              {}},
    Code("intensity", true, "Treatment intensity", kIntensity),
    Day("start_date", true, "First day of the line"),
    Day("end_date", false, "Last day of the line (empty while ongoing)", "start_date"),
    Code("reason_stopped", false, "Why the line ended", kStopReason),
};

inline constexpr std::array kTransplantFields = {
    Day("transplant_date", true, "Day 0 of the allogeneic or autologous transplant"),
    Code("donor_type", true, "Donor", kDonorType),
    Code("stem_cell_source", true, "Graft source", kStemCellSource),
    Code("graft_manipulation", false, "Graft processing", kGraftManipulation),
    Code("conditioning", true, "Conditioning intensity", kConditioning),
    Codes("gvhd_prophylaxis", false, "GVHD prophylaxis agents", kGvhdProphylaxis),
};

inline constexpr std::array kDliFields = {
    Day("infusion_date", true, "Date of the donor lymphocyte infusion"),
    Num("cd3_dose", false, "CD3+ cells/kg", "T-cell dose", 0, 1e10),
    Code("indication", true, "Why it was given", kDliIndication),
};

inline constexpr std::array kResponseFields = {
    Day("assessment_date", true, "Date of the marrow and blood assessment"),
    Num("marrow_blasts", false, "%", "Bone-marrow blasts", 0, 100),
    Num("blood_blasts", false, "%", "Peripheral-blood blasts", 0, 100),
    Num("anc", false, "10^9/L", "Absolute neutrophil count", 0, 500),
    Num("platelets", false, "10^9/L", "Platelet count", 0, 5000),
    Bool("extramedullary_disease", false, "Extramedullary disease present"),
    Num("marrow_cellularity", false, "%", "Bone-marrow cellularity", 0, 100),
    Code("mrd_method", false, "MRD assay", kMrdMethod),
    Num("mrd_value", false, "%", "MRD level as a percentage of cells", 0, 100),
    Num("mrd_sensitivity", false, "fraction", "Assay sensitivity, e.g. 0.0001 for 10^-4", 0, 1),
    Code("mrd_status", false, "MRD result against the assay's threshold", kMrdStatus),
    Code("eln2022_category", false,
         "Response category as entered by the site (STREAM also derives it)", kResponseCategory,
         "ELN 2022 (ELN 2017 for older data)"),
    AddedIn(Code("cns_status", false, "CNS status (childhood ALL): CNS1, CNS2 or CNS3", kCnsStatus,
                 "I-BFM"),
            5),
};

inline constexpr std::array kRelapseFields = {
    Day("relapse_date", true, "Date relapse was established"),
    Code("relapse_type", true, "Haematological, MRD or extramedullary relapse", kRelapseType),
    AddedIn(Codes("sites", false,
                  "Sites involved: one is an isolated relapse, marrow and another combined",
                  kRelapseSite),
            5),
};

inline constexpr std::array kDeathFields = {
    Day("death_date", true, "Date of death"),
    Code("cause", true, "Main cause of death", kDeathCause),
};

inline constexpr std::array kAcuteGvhdFields = {
    Day("onset_date", true, "Onset of acute GVHD"),
    Int("grade", true, "", "Overall grade (MAGIC criteria)", 1, 4),
};

inline constexpr std::array kChronicGvhdFields = {
    Day("onset_date", true, "Onset of chronic GVHD"),
    Code("severity", true, "NIH global severity", kChronicGvhdSeverity, "NIH 2014"),
};

inline constexpr std::array kAdverseEventFields = {
    Text("ctcae_term", true, "CTCAE v5.0 term, e.g. Febrile neutropenia", "CTCAE v5.0"),
    Text("meddra_code", false, "MedDRA lowest-level term code of the CTCAE term", "MedDRA",
         TextFormat::kMeddraCode),
    Int("grade", true, "", "CTCAE grade: 1 mild, 2 moderate, 3 severe, 4 life-threatening, 5 death",
        1, 5),
    Day("onset_date", true, "Onset"),
    Day("resolution_date", false, "Resolution (empty while ongoing)", "onset_date"),
    Bool("serious", true, "Serious adverse event (ICH E2A)"),
    Code("attribution", false, "Relation to study treatment", kAttribution),
};

inline constexpr std::array kPerformanceFields = {
    Day("assessment_date", true, "Date assessed"),
    Code("scale", true,
         "ECOG for adults; Karnofsky (≥ 16 years) or Lansky (< 16 years) for children",
         kPerformanceScale),
    Int("score", true, "", "ECOG 0-5, or Karnofsky / Lansky 0-100 in steps of 10", 0, 100),
};

inline constexpr std::array kFollowUpFields = {
    Day("contact_date", true, "Date of last contact"),
    Code("vital_status", true, "Vital status at that contact", kVitalStatus),
};

inline constexpr std::array kConsentFields = {
    Text("form_version", true, "Version of the consent form, e.g. 2.1"),
    Day("consent_date", true, "Date signed"),
    Codes("scope", true, "What the patient consented to", kConsentScope),
    Day("withdrawal_date", false, "Date consent was withdrawn", "consent_date"),
};

inline constexpr std::array kSpecimenFields = {
    CareTeamOnly(Text("label", true, "The specimen's label as printed on the tube (barcode text)")),
    Code("specimen_type", true, "What was collected", kSpecimenType),
    Code("purpose", true, "Why: MRD, diagnosis, relapse, research or germline control",
         kSpecimenPurpose),
    Day("collection_date", true, "Date collected"),
    Num("hours_to_receipt", false, "h", "Time from collection to receipt in the laboratory", 0,
        720),
    Num("hours_to_processing", false, "h", "Time from collection to processing (SPREC)", 0, 720),
    Code("anticoagulant", false, "Anticoagulant of the tube", kAnticoagulant),
    Code("long_term_storage", false, "How the specimen or its aliquots are stored",
         kLongTermStorage),
};

inline constexpr std::array kQuestionnaireFields = {
    Text("instrument", true, "Instrument id, e.g. eortc_qlq_c30 (docs/instruments.md)"),
    Text("instrument_version", true, "Instrument version, e.g. 3.0"),
    Day("completed_on", true, "Date completed"),
    Code("visit", true, "The scheduled visit it belongs to", kProVisit),
    Code("respondent", true, "Who answered: the patient, or a parent or caregiver by proxy",
         kRespondent),
    Text("answers", true,
         "Answers by item number, e.g. 1=2;2=1;3=4 (items not answered are left out)", "",
         TextFormat::kItemAnswers),
};

inline constexpr std::array kKinds = {
    KindSpec{"diagnosis",
             "diagnoses",
             "The leukaemia diagnosis and the status at registration",
             kDiagnosisFields,
             {"diagnosis_date", false, true}},
    KindSpec{"karyotype",
             "karyotypes",
             "Conventional cytogenetics",
             kKaryotypeFields,
             {"sample_date", false, true}},
    KindSpec{"variant",
             "variants",
             "Gene variants found (one row per variant)",
             kVariantFields,
             {"sample_date", false, true}},
    KindSpec{"fusion",
             "fusions",
             "Fusion transcripts found",
             kFusionFields,
             {"sample_date", false, true}},
    KindSpec{"gene_test",
             "gene_tests",
             "Panel results per gene: tells tested-negative from not tested",
             kGeneTestFields,
             {"sample_date", false, true}},
    KindSpec{"treatment_line",
             "treatment_lines",
             "Lines of therapy",
             kTreatmentLineFields,
             {"start_date", true, true}},
    KindSpec{"transplant",
             "transplants",
             "Haematopoietic stem-cell transplants",
             kTransplantFields,
             {"transplant_date", true, true}},
    KindSpec{"dli",
             "donor_lymphocyte_infusions",
             "Donor lymphocyte infusions",
             kDliFields,
             {"infusion_date", true, true}},
    KindSpec{"response",
             "response_assessments",
             "Response assessments with counts and MRD",
             kResponseFields,
             {"assessment_date", true, true}},
    KindSpec{"relapse", "relapses", "Relapses", kRelapseFields, {"relapse_date", true, true}},
    KindSpec{"death", "deaths", "Death and its cause", kDeathFields, {"death_date", true, false}},
    KindSpec{"acute_gvhd",
             "acute_gvhd",
             "Acute graft-versus-host disease",
             kAcuteGvhdFields,
             {"onset_date", true, true}},
    KindSpec{"chronic_gvhd",
             "chronic_gvhd",
             "Chronic graft-versus-host disease",
             kChronicGvhdFields,
             {"onset_date", true, true}},
    KindSpec{"adverse_event",
             "adverse_events",
             "Adverse events graded by CTCAE v5.0",
             kAdverseEventFields,
             {"onset_date", true, true}},
    KindSpec{"performance_status",
             "performance_status",
             "ECOG, Karnofsky or Lansky performance status",
             kPerformanceFields,
             {"assessment_date", false, true}},
    KindSpec{"follow_up",
             "follow_ups",
             "Last contact and vital status",
             kFollowUpFields,
             {"contact_date", true, false}},
    KindSpec{
        "consent", "consents", "Informed consent", kConsentFields, {"consent_date", false, false}},
    KindSpec{"specimen",
             "specimens",
             "A biobank specimen: what was collected, when and how it was handled",
             kSpecimenFields,
             {"collection_date", false, true},
             6},
    KindSpec{"questionnaire",
             "questionnaires",
             "A completed patient-reported outcome questionnaire",
             kQuestionnaireFields,
             {"completed_on", false, true},
             6},
};

inline constexpr KindSpec kPatient{"patient",
                                   "patients",
                                   "A registered patient, pseudonymous",
                                   kPatientFields,
                                   {"registered_on", false, false}};

}  // namespace stream::registry
