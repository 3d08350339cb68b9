// The answers of the dashboard routes (docs/api.md: /protocols/{p}/dashboard,
// /protocols/{p}/survival, /registry/dashboard).

export interface TrialDashboard {
  protocol: string;
  title: string;
  blinded: boolean;
  target: { patients: number; start: string; end: string } | null;
  enrolments: Array<{ date: string; site: string; arm: string }>;
  arms: Array<{ id: string; name: string; status: string; cap: number | null; enrolled: number }>;
  consort: {
    assessed: number;
    not_eligible: number;
    unknown: number;
    eligible_not_enrolled: number;
    enrolled: number;
    not_eligible_reasons: Array<{ criterion: string; wording: string; patients: number }>;
    missing_data: Array<{ criterion: string; wording: string; patients: number }>;
    arms: Array<{ arm: string; allocated: number; died: number; relapsed: number; lost_to_follow_up: number; consent_withdrawn: number; analysed: number }>;
  };
  responses: Array<{
    endpoint: string;
    definition: string;
    wording: string;
    arms: Array<{ arm: string; responders: number; evaluable: number; rate: number | null; lower: number | null; upper: number | null }>;
  }>;
  endpoints: Array<{ id: string; definition: string; role: string; wording: string; time_to_event: boolean; origin: string; population: string; follow_up_days: number | null }>;
  remission_spans: Array<{ endpoint: string; wording: string; enrolled: number; in_remission: number; first: string | null; last: string | null; days: number | null }>;
}

export interface CurvePoint {
  time: number;
  estimate: number;
  lower: number | null;
  upper: number | null;
  at_risk: number;
  events: number;
  censored: number;
}

export interface SurvivalAnswer {
  protocol: string;
  endpoint: string;
  definition: string;
  kind: "survival" | "cumulative_incidence";
  unit: string;
  conf_level: number;
  arms: Array<{ arm: string; name: string; n: number; events: number; median: number | null; median_lower: number | null; median_upper: number | null; curve: CurvePoint[] }>;
  at_risk: { times: number[]; arms: Array<{ arm: string; counts: number[] }> };
  log_rank: { chisq: number; df: number; p: number } | null;
  not_applicable: number;
  analysed: number;
  excluded: Array<{ reason: string; patients: number }>;
}

export interface RegistryDashboard {
  patients: number;
  by_disease: Array<{ disease: string; patients: number }>;
  by_status: Array<{ status: string; patients: number }>;
  by_site: Array<{ site: string; patients: number }>;
  by_disease_status: Array<{ status: string; patients: number }>;
  swimmers: Array<{
    patient_id?: number;
    pseudonym: string;
    site: string;
    disease: string;
    start: string;
    end: string;
    status: string;
    lines: Array<{ line: number; regimen: string; start: string; end: string | null }>;
    events: Array<{ date: string; type: string; label: string }>;
  }>;
}
