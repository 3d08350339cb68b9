// The registry dashboard's charts: patients by disease, vital status and site, and a
// swimmer plot of the most recently registered patients.
import type { RegistryDashboard } from "../dashboard_model";
import { h } from "../dom";
import { Plot, chartWidth, dataTable, figure, plot } from "./render";

export function countBars(title: string, rows: Array<{ name: string; patients: number }>): HTMLElement {
  const chart = plot(
    {
      width: Math.min(chartWidth(), 520),
      height: 40 + 28 * Math.max(1, rows.length),
      marginLeft: 150,
      x: { label: "Patients", grid: true },
      y: { label: null, domain: rows.map((r) => r.name) },
      marks: [
        Plot.barX(rows, { x: "patients", y: "name", fill: "#2b6cb0" }),
        Plot.text(rows, { x: "patients", y: "name", text: (r) => String(r.patients), textAnchor: "start", dx: 4 }),
        Plot.ruleX([0]),
      ],
    },
    `${title}: ${rows.map((r) => `${r.name} ${r.patients}`).join(", ")}`,
  );
  return figure(title, chart);
}

const day = (s: string) => new Date(`${s}T00:00:00Z`);

export function swimmerPlot(d: RegistryDashboard): HTMLElement {
  if (d.swimmers.length === 0) return figure("Recent patients", h("p", { class: "muted" }, "No patients yet."));
  const lanes = d.swimmers.map((s) => ({ ...s, lane: `${s.pseudonym} (${s.disease})` }));
  const months = (a: string, b: string) => (day(b).getTime() - day(a).getTime()) / (30.4375 * 86400000);
  const bars = lanes.map((s) => ({ lane: s.lane, x1: 0, x2: months(s.start, s.end), status: s.status }));
  const lines = lanes.flatMap((s) => s.lines.map((l) => ({ lane: s.lane, x1: months(s.start, l.start), x2: months(s.start, l.end ?? s.end) })));
  const events = lanes.flatMap((s) => s.events.map((e) => ({ lane: s.lane, x: months(s.start, e.date), type: e.type, label: e.label })));
  const chart = plot(
    {
      width: chartWidth(),
      height: 50 + 22 * lanes.length,
      marginLeft: 170,
      x: { label: "Months since diagnosis", grid: true },
      y: { label: null, domain: lanes.map((s) => s.lane) },
      color: { legend: true, domain: ["transplant", "dli", "response", "relapse", "death"], range: ["#6b46c1", "#b794f4", "#2f855a", "#dd6b20", "#1a202c"] },
      symbol: { domain: ["transplant", "dli", "response", "relapse", "death"], range: ["diamond", "diamond", "circle", "triangle", "cross"] },
      marks: [
        Plot.barX(bars, { x1: "x1", x2: "x2", y: "lane", fill: "#e2e8f0", insetTop: 4, insetBottom: 4 }),
        Plot.barX(lines, { x1: "x1", x2: "x2", y: "lane", fill: "#90cdf4", insetTop: 7, insetBottom: 7 }),
        Plot.dot(events, { x: "x", y: "lane", fill: "type", symbol: "type", r: 4 }),
      ],
    },
    "Swimmer plot: one lane per recent patient from diagnosis, with treatment lines, transplants, responses, relapses and deaths",
  );
  return figure(
    `Swimmer plot of the ${lanes.length} most recently registered patients`,
    chart,
    dataTable("The patients as a table", ["Patient", "Site", "Disease", "Diagnosis", "Last", "Status", "Events"], lanes.map((s) => [s.pseudonym, s.site, s.disease, s.start, s.end, s.status, s.events.map((e) => `${e.date} ${e.label || e.type}`).join("; ")])),
  );
}
