// The CONSORT flow diagram (domain.md): assessed → excluded → enrolled → allocated per arm →
// follow-up → analysed, drawn as boxes in HTML so it reads as text too.
import { h } from "../dom";
import type { TrialDashboard } from "../dashboard_model";

function box(title: string, n: number, details: string[] = [], cls = ""): HTMLElement {
  return h(
    "div",
    { class: `consort-box ${cls}` },
    h("p", { class: "consort-title" }, `${title} (n = ${n})`),
    details.length ? h("ul", {}, details.map((d) => h("li", {}, d))) : null,
  );
}

export function consortDiagram(d: TrialDashboard): HTMLElement {
  const c = d.consort;
  const reasons = c.not_eligible_reasons.slice(0, 5).map((r) => `${r.wording} (n = ${r.patients})`);
  const missing = c.missing_data.slice(0, 5).map((r) => `${r.wording} (n = ${r.patients})`);
  const arrow = () => h("div", { class: "consort-arrow", "aria-hidden": "true" }, "↓");
  return h(
    "figure",
    { class: "consort", "data-testid": "consort" },
    h("figcaption", {}, "CONSORT flow"),
    box("Assessed for eligibility", c.assessed),
    h(
      "div",
      { class: "consort-side" },
      arrow(),
      h(
        "div",
        { class: "consort-excluded" },
        box("Not eligible", c.not_eligible, reasons, "excluded"),
        box("Eligibility undecided (data missing)", c.unknown, missing, "excluded"),
        box("Eligible, not enrolled", c.eligible_not_enrolled, [], "excluded"),
      ),
    ),
    arrow(),
    box("Enrolled", c.enrolled),
    arrow(),
    h(
      "div",
      { class: "consort-arms" },
      c.arms.map((a) =>
        h(
          "div",
          { class: "consort-arm" },
          box(`Allocated to ${d.arms.find((x) => x.id === a.arm)?.name ?? a.arm}`, a.allocated),
          arrow(),
          box("Follow-up", a.allocated, [
            `Relapsed: ${a.relapsed}`,
            `Died: ${a.died}`,
            `Lost to follow-up: ${a.lost_to_follow_up}`,
            `Consent withdrawn: ${a.consent_withdrawn}`,
          ]),
          arrow(),
          box("Analysed (primary endpoint)", a.analysed, a.allocated - a.analysed > 0 ? [`Not analysable: ${a.allocated - a.analysed}`] : []),
        ),
      ),
    ),
  );
}
