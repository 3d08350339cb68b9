// The shapes of the API's answers that the app reads (docs/api.md).

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

export interface Patient extends RegistryRecord {
  pseudonym: string;
  site: string;
  sex: string;
  birth_year: number;
  birth_month: number;
  registered_on: string;
}

export interface PatientRecords {
  patient: Patient;
  records: Record<string, RegistryRecord[]>;
}

export type FieldType = "integer" | "number" | "text" | "date" | "boolean" | "code" | "codes";

export interface FieldSpec {
  name: string;
  type: FieldType;
  required: boolean;
  unit: string;
  description: string;
  code_system: string;
  codes?: string[];
  min?: number;
  max?: number;
  format?: string;
  format_description?: string;
  not_before?: string;
}

export interface KindSpec {
  name: string;
  plural?: string;
  description: string;
  fields: FieldSpec[];
}

export interface Schema {
  kinds: KindSpec[];
}

export type Qualifies = "met" | "not met" | "unknown";

export interface CriterionResult {
  id: string;
  kind: "inclusion" | "exclusion";
  wording: string;
  qualifies: Qualifies;
  explanation: string;
  missing: string[];
}

export interface AssignmentPreview {
  state: string;
  entry: string;
  arms: string[];
  missing: string[];
}

export interface ProtocolScreening {
  protocol: string;
  title: string;
  verdict: "eligible" | "not eligible" | "unknown";
  criteria: CriterionResult[];
  assignment: AssignmentPreview;
}

export interface Candidate extends ProtocolScreening {
  patient_id?: number;
  pseudonym: string;
  site: string;
}

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

export interface Enrolment {
  protocol: string;
  protocol_version: string;
  patient: string;
  patient_id?: number;
  arm: string;
  method: string;
  stratum?: string;
  enrolled_at: string;
  enrolled_by: string;
}

export interface EnrolmentAnswer {
  status: "enrolled" | "replayed" | "refused";
  reasons?: string[];
  enrolment?: Enrolment;
}

export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  entity: string;
  entity_id: number;
  patient_id: number;
  field: string;
  old_value: string | null;
  new_value: string | null;
  reason: string;
  request_id: string;
  site: string;
}
