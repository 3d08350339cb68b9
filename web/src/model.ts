// The shapes of the API's answers that the app reads (docs/api.md).
import type * as api from "./generated/api";

export interface Page<T> {
  items: T[];
  next_after?: number | null;
  next_before?: number | null;
  next_offset?: number | null;
}

export type FieldValue = string | number | boolean | string[] | null;

export interface RegistryRecord {
  id: number;
  patient_id?: number;
  version: number;
  [field: string]: FieldValue | undefined;
}

// The types below that alias `api.` are generated from the API's OpenAPI description
// (src/generated/api.ts, made by scripts/openapi-types.mjs in `npm run build`), which the
// server generates from its declarative data model: a field the contract does not declare
// fails the type check.

// The patient (pseudonym, site, sex, birth year and month, registration date) as typed by
// the data model, readable field by field like any record.
export type Patient = api.PatientRecord & RegistryRecord;

export interface PatientRecords {
  patient: Patient;
  records: { [K in api.RecordKind]: RegistryRecord[] } & Record<string, RegistryRecord[]>;
}

export type RecordKind = api.RecordKind;
export type FieldSpec = api.SchemaField;
export type FieldType = api.SchemaField["type"];
export type Schema = api.Schema;
export type KindSpec = Schema["kinds"][number];

export type Qualifies = "met" | "not met" | "unknown";

// Screening answers (GET /patients/{id}/screening, /protocols/{p}/candidates).
export type CriterionResult = api.Screening["criteria"][number];
export type AssignmentPreview = api.Screening["assignment"];
export type ProtocolScreening = api.Screening;
export type Candidate = api.Screening & { pseudonym: string; site: string };

export interface Arm {
  id: string;
  name: string;
  description: string;
  status: string;
  cap?: number;
}

export interface ProtocolSummary {
  id: string;
  title: string;
  version: string;
  nct_id: string;
  phase: string;
  part_of: string;
  randomised: boolean;
  blinded: boolean;
  arms: Arm[];
}

export interface ProtocolDetail extends ProtocolSummary {
  sponsor: string;
  population: string;
  criteria: Array<{ id: string; kind: string; wording: string }>;
  accrual?: { target: number; start: string; end: string } | null;
}

export type Enrolment = api.Enrolment;
export type EnrolmentAnswer = api.EnrolmentOutcome;

// A protocol's standing at a site on a day (issue 23): the state, from when, and the
// version and approval of the activation in force; a suspension or closure's reason.
export interface SiteStanding {
  state: "not_activated" | "active" | "suspended" | "closed";
  since: string | null;
  version: string;
  approval_reference: string;
  reason: string;
}

// One activation, suspension or closure of a protocol at a site (issue 23):
// GET /api/v1/protocols/{p}/sites, and the answer of POST …/sites/{site}/status.
export interface SiteActivation {
  id: number;
  protocol: string;
  site: string;
  status: "active" | "suspended" | "closed";
  effective_on: string;
  protocol_version: string;
  approval_reference: string;
  reason: string;
  changed_at: string;
  changed_by: string;
}

export type AuditRow = api.AuditEntry;

// GET /api/v1/patients/{id}/disease-course (docs/clinical-rules.md).
export interface CourseEvidence {
  kind: string;
  record_id: number;
  date: string;
  summary: string;
}

export interface DiseaseCourse {
  patient: string;
  as_of: string;
  rules: "aml_eln2022" | "all_ibfm";
  state: { code: string; description: string; since: string; confirmed_on: string; evidence: CourseEvidence[] } | null;
  remission_date: string | null;
  mrd: { status: string | null; relapse: boolean; relapse_date: string | null };
  last_transplant: string | null;
  vital: { alive: boolean; death_date: string | null; lost_to_follow_up: boolean };
  events: { date: string; kind: string; state: string | null; description: string; evidence: CourseEvidence[] }[];
  genetic_risk: { category: string | null; applies: boolean; reasons: string[]; missing: string[] };
  assessments: { record_id: number; date: string; entered: string | null; derived: string | null; disagrees: boolean; reading: string; mrd_status: string | null }[];
  notes: string[];
}
