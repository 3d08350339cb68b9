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
import { recruitmentPanel } from "./recruitment";
import { errorText, pageHeader } from "../ui";

// How many patients the analysis used, and why the others were left out (issue 13).
function analysedNote(a: SurvivalAnswer): HTMLElement {
  const left = a.excluded.map((e) => `${e.patients} ${e.reason}`).join("; ");
  return h("p", { class: "muted", "data-analysed": String(a.analysed) }, `Analysed: ${a.analysed} patients.`, left ? ` Left out: ${left}.` : "");
}

export async function trialDashboardView(params: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const id = params.protocol;
  const [d, recruitment] = await Promise.all([get<TrialDashboard>(`/protocols/${id}/dashboard`), recruitmentPanel(id)]);
  const timeToEvent = d.endpoints.filter((e) => e.time_to_event);
  const endpoint = q.get("endpoint") ?? timeToEvent[0]?.id ?? "";
  let survival: Node;
  try {
    if (endpoint) {
      const answer = await get<SurvivalAnswer>(`/protocols/${id}/survival${query({ endpoint })}`);
      survival = h("div", {}, kmPlot(answer), analysedNote(answer));
    } else {
      survival = figure("Survival", h("p", { class: "muted" }, "The protocol has no time-to-event endpoint."));
    }
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
    recruitment,
    consortDiagram(d),
    responseRates(d),
    ...d.remission_spans.map((r) =>
      figure(
        r.wording,
        h(
          "p",
          {},
          r.days === null
            ? `No enrolled patient has reached remission yet (${r.enrolled} enrolled).`
            : `${r.days} days from the first remission (${r.first}) to the last (${r.last}); ${r.in_remission} of ${r.enrolled} enrolled patients reached remission.`,
        ),
      ),
    ),
    timeToEvent.length > 1 ? h("div", { class: "filters" }, h("label", { for: "endpoint" }, "Endpoint"), picker) : null,
    survival,
  );
}
