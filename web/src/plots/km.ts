// Kaplan–Meier (or cumulative incidence) curves by arm with their confidence bands, censor
// marks, and the number at risk beneath, from GET /protocols/{p}/survival.
import { h, scrollRegion, thead } from "../dom";
import type { SurvivalAnswer } from "../dashboard_model";
import { Plot, chartWidth, figure, plot } from "./render";
import { shortName } from "../ui";

const fmt = (x: number | null, digits = 0) => (x === null || x === undefined ? "NR" : x.toFixed(digits));

export function kmPlot(s: SurvivalAnswer): HTMLElement {
  const points = s.arms.flatMap((a) => a.curve.map((p) => ({ ...p, arm: shortName(a.name || a.arm) })));
  const censored = points.filter((p) => p.censored > 0);
  const incidence = s.kind === "cumulative_incidence";
  const chart = plot(
    {
      width: chartWidth(),
      height: 320,
      marginLeft: 50,
      x: { label: `Days since enrolment`, grid: true, domain: [0, Math.max(1, ...points.map((p) => p.time))] },
      y: { label: incidence ? "Cumulative incidence" : "Probability", domain: [0, 1], grid: true },
      color: { legend: true },
      marks: [
        Plot.areaY(points.filter((p) => p.lower !== null && p.upper !== null), { x: "time", y1: "lower", y2: "upper", fill: "arm", fillOpacity: 0.15, curve: "step-after" }),
        Plot.lineY(points, { x: "time", y: "estimate", stroke: "arm", curve: "step-after", strokeWidth: 2 }),
        Plot.dot(censored, { x: "time", y: "estimate", stroke: "arm", symbol: "plus", r: 3 }),
        Plot.ruleY([0]),
      ],
    },
    `${incidence ? "Cumulative incidence" : "Kaplan–Meier"} curves of ${s.endpoint} by arm`,
  );
  const atRisk = h(
    "table",
    { class: "at-risk" },
    h("caption", {}, "Number at risk"),
    thead(["Arm \\ day", ...s.at_risk.times.map(String)]),
    h("tbody", {}, s.at_risk.arms.map((a) => h("tr", {}, h("th", { scope: "row" }, shortName(s.arms.find((x) => x.arm === a.arm)?.name || a.arm)), a.counts.map((c) => h("td", {}, String(c)))))),
  );
  const summary = h(
    "table",
    { class: "km-summary" },
    h("caption", {}, "Summary"),
    thead(["Arm", "Patients", "Events", `Median (${Math.round(s.conf_level * 100)} % CI), days`]),
    h("tbody", {}, s.arms.map((a) => h("tr", {}, h("th", { scope: "row" }, a.name || a.arm), h("td", {}, String(a.n)), h("td", {}, String(a.events)), h("td", {}, `${fmt(a.median)} (${fmt(a.median_lower)}–${fmt(a.median_upper)})`)))),
  );
  const test = s.log_rank
    ? h("p", {}, `Log-rank test: χ² = ${s.log_rank.chisq.toFixed(2)} on ${s.log_rank.df} df, p = ${s.log_rank.p < 0.001 ? s.log_rank.p.toExponential(2) : s.log_rank.p.toFixed(3)}`)
    : null;
  return figure(`${incidence ? "Cumulative incidence" : "Kaplan–Meier"}: ${s.endpoint.toUpperCase()} (${s.definition})`, h("div", { class: "km", "data-testid": "km-plot" }, chart), scrollRegion("Number at risk", atRisk), scrollRegion("Summary by arm", summary), test);
}
