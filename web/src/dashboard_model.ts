// The answers of the dashboard routes (docs/api.md: /protocols/{p}/dashboard,
// /protocols/{p}/survival, /registry/dashboard), as the API's OpenAPI description declares
// them (src/generated/api.ts, generated in `npm run build`).
import type * as api from "./generated/api";

export type TrialDashboard = api.ProtocolDashboard;
export type SurvivalAnswer = api.Survival;
export type CurvePoint = SurvivalAnswer["arms"][number]["curve"][number];
export type RegistryDashboard = api.RegistryDashboard;
