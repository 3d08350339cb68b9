// The shared tables. A released definition is never edited: a change to the data
// model is a new migration in both backends. Placeholders: {id} an auto-assigned
// 64-bit primary key, {int} a 64-bit integer, {real} a double.
#include "storage/sql/registry_tables.h"

namespace stream::storage {
namespace {

constexpr const char* kRegistry = R"sql(
CREATE TABLE sites (
  id {id},
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  country TEXT NOT NULL
);
CREATE TABLE users (
  id {id},
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  site TEXT REFERENCES sites(code),
  password_hash TEXT NOT NULL DEFAULT '',
  disabled {int} NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
);
CREATE TABLE patients (
  id {id},
  pseudonym TEXT NOT NULL UNIQUE,
  site TEXT NOT NULL REFERENCES sites(code),
  sex TEXT NOT NULL,
  birth_year {int} NOT NULL CHECK (birth_year BETWEEN 1900 AND 2100),
  birth_month {int} NOT NULL CHECK (birth_month BETWEEN 1 AND 12),
  registered_on TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX patients_site ON patients(site);
CREATE TABLE diagnoses (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  disease TEXT NOT NULL,
  who_2022_subtype TEXT,
  icc_subtype TEXT,
  lineage TEXT,
  diagnosis_date TEXT NOT NULL,
  origin TEXT NOT NULL,
  status_at_registration TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX diagnoses_patient ON diagnoses(patient_id);
CREATE TABLE karyotypes (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  sample_date TEXT NOT NULL,
  iscn TEXT,
  abnormalities TEXT NOT NULL,
  failed {int} CHECK (failed IN (0, 1)),
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX karyotypes_patient ON karyotypes(patient_id);
CREATE TABLE variants (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  gene TEXT NOT NULL,
  hgvs TEXT,
  variant_type TEXT NOT NULL,
  vaf {real} CHECK (vaf BETWEEN 0 AND 100),
  method TEXT NOT NULL,
  sample_date TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX variants_patient ON variants(patient_id);
CREATE TABLE fusions (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  fusion TEXT NOT NULL,
  method TEXT NOT NULL,
  sample_date TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX fusions_patient ON fusions(patient_id);
CREATE TABLE gene_tests (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  gene TEXT NOT NULL,
  result TEXT NOT NULL,
  method TEXT NOT NULL,
  sample_date TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX gene_tests_patient ON gene_tests(patient_id);
CREATE TABLE treatment_lines (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  line_number {int} NOT NULL CHECK (line_number BETWEEN 1 AND 20),
  regimen TEXT NOT NULL,
  agents TEXT NOT NULL,
  intensity TEXT NOT NULL,
  start_date TEXT NOT NULL,
  end_date TEXT,
  reason_stopped TEXT,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX treatment_lines_patient ON treatment_lines(patient_id);
CREATE TABLE transplants (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  transplant_date TEXT NOT NULL,
  donor_type TEXT NOT NULL,
  stem_cell_source TEXT NOT NULL,
  graft_manipulation TEXT,
  conditioning TEXT NOT NULL,
  gvhd_prophylaxis TEXT,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX transplants_patient ON transplants(patient_id);
CREATE TABLE donor_lymphocyte_infusions (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  infusion_date TEXT NOT NULL,
  cd3_dose {real} CHECK (cd3_dose BETWEEN 0 AND 1e+10),
  indication TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX donor_lymphocyte_infusions_patient ON donor_lymphocyte_infusions(patient_id);
CREATE TABLE response_assessments (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  assessment_date TEXT NOT NULL,
  marrow_blasts {real} CHECK (marrow_blasts BETWEEN 0 AND 100),
  blood_blasts {real} CHECK (blood_blasts BETWEEN 0 AND 100),
  anc {real} CHECK (anc BETWEEN 0 AND 500),
  platelets {real} CHECK (platelets BETWEEN 0 AND 5000),
  extramedullary_disease {int} CHECK (extramedullary_disease IN (0, 1)),
  marrow_cellularity {real} CHECK (marrow_cellularity BETWEEN 0 AND 100),
  mrd_method TEXT,
  mrd_value {real} CHECK (mrd_value BETWEEN 0 AND 100),
  mrd_sensitivity {real} CHECK (mrd_sensitivity BETWEEN 0 AND 1),
  mrd_status TEXT,
  eln2022_category TEXT,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX response_assessments_patient ON response_assessments(patient_id);
CREATE TABLE relapses (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  relapse_date TEXT NOT NULL,
  relapse_type TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX relapses_patient ON relapses(patient_id);
CREATE TABLE deaths (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  death_date TEXT NOT NULL,
  cause TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX deaths_patient ON deaths(patient_id);
CREATE TABLE acute_gvhd (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  onset_date TEXT NOT NULL,
  grade {int} NOT NULL CHECK (grade BETWEEN 1 AND 4),
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX acute_gvhd_patient ON acute_gvhd(patient_id);
CREATE TABLE chronic_gvhd (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  onset_date TEXT NOT NULL,
  severity TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX chronic_gvhd_patient ON chronic_gvhd(patient_id);
CREATE TABLE adverse_events (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  ctcae_term TEXT NOT NULL,
  meddra_code TEXT,
  grade {int} NOT NULL CHECK (grade BETWEEN 1 AND 5),
  onset_date TEXT NOT NULL,
  resolution_date TEXT,
  serious {int} NOT NULL CHECK (serious IN (0, 1)),
  attribution TEXT,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX adverse_events_patient ON adverse_events(patient_id);
CREATE TABLE performance_status (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  assessment_date TEXT NOT NULL,
  scale TEXT NOT NULL,
  score {int} NOT NULL CHECK (score BETWEEN 0 AND 100),
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX performance_status_patient ON performance_status(patient_id);
CREATE TABLE follow_ups (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  contact_date TEXT NOT NULL,
  vital_status TEXT NOT NULL,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX follow_ups_patient ON follow_ups(patient_id);
CREATE TABLE consents (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  form_version TEXT NOT NULL,
  consent_date TEXT NOT NULL,
  scope TEXT NOT NULL,
  withdrawal_date TEXT,
  version {int} NOT NULL DEFAULT 1,
  deleted {int} NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);
CREATE INDEX consents_patient ON consents(patient_id);
CREATE TABLE audit_log (
  seq {id},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  site TEXT NOT NULL DEFAULT '',
  entity TEXT NOT NULL,
  entity_id {int} NOT NULL,
  patient_id {int} NOT NULL DEFAULT 0,
  action TEXT NOT NULL,
  field TEXT NOT NULL DEFAULT '',
  old_value TEXT,
  new_value TEXT,
  reason TEXT NOT NULL DEFAULT '',
  request_id TEXT NOT NULL DEFAULT '',
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
CREATE INDEX audit_log_patient ON audit_log(patient_id);
)sql";

constexpr const char* kEnrolment = R"sql(
CREATE TABLE enrolments (
  id {id},
  protocol_id TEXT NOT NULL,
  protocol_version TEXT NOT NULL,
  patient_id {int} NOT NULL REFERENCES patients(id),
  arm TEXT NOT NULL,
  method TEXT NOT NULL CHECK (method IN ('rule', 'blocks', 'minimisation')),
  stratum TEXT NOT NULL DEFAULT '',
  sequence_position {int},
  factor_levels TEXT NOT NULL DEFAULT '',
  algorithm_version TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  enrolled_at TEXT NOT NULL,
  enrolled_by TEXT NOT NULL,
  voided {int} NOT NULL DEFAULT 0 CHECK (voided IN (0, 1))
);
CREATE UNIQUE INDEX enrolments_once ON enrolments(protocol_id, patient_id) WHERE voided = 0;
CREATE UNIQUE INDEX enrolments_position ON enrolments(protocol_id, stratum, sequence_position)
  WHERE sequence_position IS NOT NULL;
CREATE INDEX enrolments_arm ON enrolments(protocol_id, arm);
CREATE TABLE randomisation_lists (
  id {id},
  protocol_id TEXT NOT NULL,
  stratum TEXT NOT NULL,
  algorithm TEXT NOT NULL,
  list_length {int} NOT NULL,
  list_hash TEXT NOT NULL,
  activated_at TEXT NOT NULL,
  activated_by TEXT NOT NULL,
  UNIQUE (protocol_id, stratum)
);
)sql";

constexpr const char* kAccess = R"sql(
CREATE TABLE api_tokens (
  id {id},
  token_hash TEXT NOT NULL UNIQUE,
  label TEXT NOT NULL,
  username TEXT NOT NULL REFERENCES users(username),
  role TEXT NOT NULL,
  site TEXT REFERENCES sites(code),
  created_at TEXT NOT NULL,
  revoked {int} NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1))
);
CREATE TABLE protocol_versions (
  id {id},
  protocol_id TEXT NOT NULL,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  UNIQUE (protocol_id, version)
);
CREATE TABLE arm_status_changes (
  id {id},
  protocol_id TEXT NOT NULL,
  arm TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'closed', 'suspended')),
  reason TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);
CREATE INDEX arm_status_changes_protocol ON arm_status_changes(protocol_id, id);
CREATE INDEX audit_log_actor ON audit_log(actor);
CREATE INDEX audit_log_site ON audit_log(site);
)sql";

constexpr const char* kOperations = R"sql(
CREATE TABLE enrolment_endings (
  enrolment_id {int} PRIMARY KEY REFERENCES enrolments(id),
  off_study_date TEXT NOT NULL,
  off_study_reason TEXT NOT NULL CHECK (off_study_reason IN ('completed', 'toxicity',
    'progression', 'withdrawal', 'death', 'investigator_decision')),
  note TEXT NOT NULL DEFAULT '',
  ended_at TEXT NOT NULL,
  ended_by TEXT NOT NULL
);
CREATE INDEX enrolments_patient ON enrolments(patient_id);
CREATE TABLE site_activations (
  id {id},
  protocol_id TEXT NOT NULL,
  site TEXT NOT NULL REFERENCES sites(code),
  status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'closed')),
  effective_on TEXT NOT NULL,
  protocol_version TEXT NOT NULL DEFAULT '',
  approval_reference TEXT NOT NULL DEFAULT '',
  reason TEXT NOT NULL DEFAULT '',
  changed_at TEXT NOT NULL,
  changed_by TEXT NOT NULL
);
CREATE INDEX site_activations_protocol ON site_activations(protocol_id, site, id);
CREATE TABLE attestations (
  id {id},
  patient_id {int} NOT NULL REFERENCES patients(id),
  protocol_id TEXT NOT NULL,
  protocol_version TEXT NOT NULL,
  criterion TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  value {int} NOT NULL CHECK (value IN (0, 1)),
  attested_on TEXT NOT NULL,
  attested_at TEXT NOT NULL,
  attested_by TEXT NOT NULL,
  site TEXT NOT NULL DEFAULT ''
);
CREATE INDEX attestations_patient ON attestations(patient_id, id);
)sql";

}  // namespace

std::string RenderSql(std::string text, SqlDialect dialect) {
  const bool sqlite = dialect == SqlDialect::kSqlite;
  const std::pair<const char*, const char*> substitutions[] = {
      {"{id}", sqlite ? "INTEGER PRIMARY KEY" : "BIGSERIAL PRIMARY KEY"},
      {"{int}", sqlite ? "INTEGER" : "BIGINT"},
      {"{real}", sqlite ? "REAL" : "DOUBLE PRECISION"},
  };
  for (const auto& [from, to] : substitutions) {
    const std::string f = from;
    for (size_t at = text.find(f); at != std::string::npos; at = text.find(f, at + 1))
      text.replace(at, f.size(), to);
  }
  return text;
}

std::string RegistryTablesSql(SqlDialect dialect) { return RenderSql(kRegistry, dialect); }

std::string EnrolmentTablesSql(SqlDialect dialect) { return RenderSql(kEnrolment, dialect); }

std::string AccessTablesSql(SqlDialect dialect) { return RenderSql(kAccess, dialect); }

std::string DiseaseCourseColumnsSql(SqlDialect) {
  return "ALTER TABLE response_assessments ADD COLUMN cns_status TEXT;\n"
         "ALTER TABLE relapses ADD COLUMN sites TEXT;\n";
}

std::string OperationsTablesSql(SqlDialect dialect) { return RenderSql(kOperations, dialect); }

}  // namespace stream::storage
