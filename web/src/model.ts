// The shapes of the API's answers that the app reads (docs/api.md). All but the generic
// page and record shapes below are the types generated from the OpenAPI description
// (src/generated/api.ts), so the app does not compile when it reads what the contract
// does not declare.
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

// Screening answers (GET /patients/{id}/screening, /protocols/{p}/candidates).
export type CriterionResult = api.Screening["criteria"][number];
export type Qualifies = CriterionResult["qualifies"];
export type AssignmentPreview = api.Screening["assignment"];
export type ProtocolScreening = api.Screening;
export type Candidate = api.Screening & { pseudonym: string; site: string };

// GET /api/v1/protocols (summaries) and /api/v1/protocols/{p} (with the detail members).
export type ProtocolSummary = api.Protocol;
export type Arm = ProtocolSummary["arms"][number];
export type ProtocolDetail = api.Protocol & Required<Pick<api.Protocol, "sponsor" | "population" | "criteria">>;

export type Enrolment = api.Enrolment;
export type EnrolmentAnswer = api.EnrolmentOutcome;

// A protocol's standing at a site on a day (issue 23): the state, from when, and the
// version and approval of the activation in force; a suspension or closure's reason.
export type SiteStanding = api.RecruitmentStatus["sites"][number]["standing"];

// One activation, suspension or closure of a protocol at a site (issue 23):
// GET /api/v1/protocols/{p}/sites, and the answer of POST …/sites/{site}/status.
export type SiteActivation = api.SiteActivation;

export type AuditRow = api.AuditEntry;

// GET /api/v1/patients/{id}/disease-course (docs/clinical-rules.md).
export type DiseaseCourse = api.DiseaseCourse;
export type CourseEvidence = NonNullable<DiseaseCourse["state"]>["evidence"][number];
