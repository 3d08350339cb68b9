// PatientHistory: one patient's records as typed structs, the view that clinical
// derivations (ELN response, genetic risk, endpoints) and the criteria language read.
//
// Built from stored records by BuildHistory; field meanings and units are those of
// core/schema.h (docs/data-model.md). Optional members are "not recorded".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/record.h"
#include "core/value.h"

namespace stream {

struct Diagnosis {
  std::string disease;  // aml | all | mpal | other
  std::optional<std::string> who_2022_subtype, icc_subtype, lineage;
  Date diagnosis_date;
  std::string origin;
  std::string status_at_registration;
  int64_t record_id = 0;  // the stored record, named as evidence
};

struct Karyotype {
  Date sample_date;
  std::optional<std::string> iscn;
  CodeSet abnormalities;
  bool failed = false;
};

struct Variant {
  std::string gene;
  std::optional<std::string> hgvs;
  std::string variant_type;
  std::optional<double> vaf;  // %
  std::string method;
  Date sample_date;
};

struct Fusion {
  std::string fusion;  // GENE1::GENE2
  std::string method;
  Date sample_date;
};

struct GeneTest {
  std::string gene;
  std::string result;  // positive | negative | failed | not_tested
  std::string method;
  Date sample_date;
};

struct TreatmentLine {
  int line_number = 0;
  std::string regimen;
  CodeSet agents;
  std::string intensity;
  Date start_date;
  std::optional<Date> end_date;
  std::optional<std::string> reason_stopped;
  int64_t record_id = 0;
};

struct Transplant {
  Date transplant_date;
  std::string donor_type, stem_cell_source, conditioning;
  std::optional<std::string> graft_manipulation;
  CodeSet gvhd_prophylaxis;
  int64_t record_id = 0;
};

struct DonorLymphocyteInfusion {
  Date infusion_date;
  std::optional<double> cd3_dose;
  std::string indication;
};

struct ResponseAssessment {
  Date assessment_date;
  std::optional<double> marrow_blasts, blood_blasts, anc, platelets;  // %, %, 10^9/L, 10^9/L
  std::optional<bool> extramedullary_disease;
  std::optional<double> marrow_cellularity;  // %
  std::optional<std::string> mrd_method;
  std::optional<double> mrd_value;        // %
  std::optional<double> mrd_sensitivity;  // fraction
  std::optional<std::string> mrd_status;
  std::optional<std::string> eln2022_category;  // as entered
  std::optional<std::string> cns_status;        // cns1 | cns2 | cns3 (childhood ALL)
  int64_t record_id = 0;
};

struct Relapse {
  Date relapse_date;
  std::string relapse_type;
  CodeSet sites;  // bone_marrow, cns, testis, other: isolated or combined relapse
  int64_t record_id = 0;
};

struct Death {
  Date death_date;
  std::string cause;
  int64_t record_id = 0;
};

struct AcuteGvhd {
  Date onset_date;
  int grade = 0;
};

struct ChronicGvhd {
  Date onset_date;
  std::string severity;
};

struct AdverseEvent {
  std::string ctcae_term;
  std::optional<std::string> meddra_code;
  int grade = 0;
  Date onset_date;
  std::optional<Date> resolution_date;
  bool serious = false;
  std::optional<std::string> attribution;
};

struct PerformanceStatus {
  Date assessment_date;
  std::string scale;  // ecog | karnofsky | lansky
  int score = 0;
};

struct FollowUp {
  Date contact_date;
  std::string vital_status;
  int64_t record_id = 0;
};

struct Consent {
  std::string form_version;
  Date consent_date;
  CodeSet scope;
  std::optional<Date> withdrawal_date;
};

struct PatientHistory {
  int64_t id = 0;
  std::string pseudonym;
  std::string site;
  std::string sex;
  int birth_year = 0;
  int birth_month = 1;
  Date registered_on;

  // Each list is in the order of its clinical date.
  std::vector<Diagnosis> diagnoses;
  std::vector<Karyotype> karyotypes;
  std::vector<Variant> variants;
  std::vector<Fusion> fusions;
  std::vector<GeneTest> gene_tests;
  std::vector<TreatmentLine> treatment_lines;
  std::vector<Transplant> transplants;
  std::vector<DonorLymphocyteInfusion> dlis;
  std::vector<ResponseAssessment> responses;
  std::vector<Relapse> relapses;
  std::vector<Death> deaths;
  std::vector<AcuteGvhd> acute_gvhd;
  std::vector<ChronicGvhd> chronic_gvhd;
  std::vector<AdverseEvent> adverse_events;
  std::vector<PerformanceStatus> performance;
  std::vector<FollowUp> follow_ups;
  std::vector<Consent> consents;
};

// A stored record together with the kind it belongs to.
struct KindRecord {
  const KindSpec* kind;
  Record record;
};

// One consent record as the history reads it. Precondition: `record` is of kind consent.
Consent ConsentOf(const Record& record);

// Builds the typed view. Precondition: `patient` is a valid record of PatientKind() and
// every record valid for its kind (as stored records are); deleted records are skipped.
PatientHistory BuildHistory(const Record& patient, const std::vector<KindRecord>& records);

}  // namespace stream
