// A trial's dashboard: accrual, arm fill, CONSORT flow, response rates and the primary
// endpoint's Kaplan–Meier curves by arm.
import { ApiError, get, query } from "../api";
import type { SurvivalAnswer, TrialDashboard } from "../dashboard_model";
import { h } from "../dom";
import { kmPlot } from "../plots/km";
import { consortDiagram } from "../plots/consort";
import { figure } from "../plots/render";
import { accrualCharts, armFill, responseRates } from "../plots/trial_charts";
import { go } from "../router";
import { errorText, pageHeader } from "../ui";

export async function trialDashboardView(params: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const id = params.protocol;
  const d = await get<TrialDashboard>(`/protocols/${id}/dashboard`);
  const timeToEvent = d.endpoints.filter((e) => e.time_to_event);
  const endpoint = q.get("endpoint") ?? timeToEvent[0]?.id ?? "";
  let survival: Node;
  try {
    survival = endpoint
      ? kmPlot(await get<SurvivalAnswer>(`/protocols/${id}/survival${query({ endpoint })}`))
      : figure("Survival", h("p", { class: "muted" }, "The protocol has no time-to-event endpoint."));
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    survival = figure("Survival", h("p", { role: "alert" }, errorText(e)));
  }
  const picker = h(
    "select",
    { id: "endpoint" },
    timeToEvent.map((e) => h("option", { value: e.id, selected: e.id === endpoint }, `${e.id} — ${e.role}: ${e.wording}`)),
  );
  picker.addEventListener("change", () => go(`/protocols/${id}/dashboard${query({ endpoint: picker.value })}`));
  return h(
    "section",
    { class: "dashboard" },
    pageHeader(d.title, d.blinded ? h("p", { class: "notice" }, "Arms are concealed for your role: figures are pooled over arms.") : null),
    h("div", { class: "grid-2" }, accrualCharts(d), armFill(d)),
    consortDiagram(d),
    responseRates(d),
    timeToEvent.length > 1 ? h("div", { class: "filters" }, h("label", { for: "endpoint" }, "Endpoint"), picker) : null,
    survival,
  );
}
