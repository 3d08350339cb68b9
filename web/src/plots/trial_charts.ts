// The trial dashboard's charts: accrual against the target, arm fill against caps, response
// rates with their confidence intervals.
import type { TrialDashboard } from "../dashboard_model";
import { h } from "../dom";
import { shortName } from "../ui";
import { Plot, chartWidth, dataTable, figure, plot } from "./render";

const day = (s: string) => new Date(`${s}T00:00:00Z`);

function cumulative<T>(items: T[], group: (t: T) => string, date: (t: T) => string) {
  const counts = new Map<string, number>();
  return items.map((t) => {
    const g = group(t);
    const n = (counts.get(g) ?? 0) + 1;
    counts.set(g, n);
    return { date: day(date(t)), group: g, n };
  });
}

export function accrualCharts(d: TrialDashboard): HTMLElement {
  if (d.enrolments.length === 0) return figure("Accrual", h("p", { class: "muted" }, "No enrolments yet."));
  const e = [...d.enrolments].sort((a, b) => a.date.localeCompare(b.date));
  const total = cumulative(e, () => "All arms", (x) => x.date);
  const byArm = d.blinded ? [] : cumulative(e, (x) => shortName(d.arms.find((a) => a.id === x.arm)?.name ?? x.arm), (x) => x.date);
  const lines = [...total, ...byArm];
  const target = d.target
    ? [{ date: day(d.target.start), n: 0 }, { date: day(d.target.end), n: d.target.patients }]
    : [];
  const width = chartWidth(560);
  const overTime = plot(
    {
      width,
      height: 280,
      x: { type: "utc", label: null },
      y: { label: "Patients enrolled", grid: true },
      color: { legend: true },
      marks: [
        Plot.line(target, { x: "date", y: "n", stroke: "#999", strokeDasharray: "6 4" }),
        Plot.text(target.slice(1), { x: "date", y: "n", text: () => `target ${d.target?.patients}`, dy: -8, textAnchor: "end" }),
        Plot.line(lines, { x: "date", y: "n", stroke: "group", curve: "step-after", strokeWidth: 2 }),
        Plot.ruleY([0]),
      ],
    },
    `Cumulative enrolment over time${d.blinded ? "" : " by arm"}, against the target`,
  );
  const counts = new Map<string, number>();
  for (const x of e) {
    const key = `${x.date.slice(0, 7)}|${x.site}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const perMonth = [...counts].map(([k, patients]) => {
    const [month, site] = k.split("|");
    return { month, site, patients };
  }).sort((a, b) => a.month.localeCompare(b.month));
  const monthly = plot(
    {
      width,
      height: 220,
      x: { label: null, tickRotate: -45, tickFormat: (m: string, i: number) => (perMonth.length > 24 && i % 3 ? "" : m) },
      marginBottom: 50,
      y: { label: "Enrolments per month", grid: true },
      color: { legend: true, scheme: "tableau10" },
      marks: [
        Plot.barY(perMonth, { x: "month", y: "patients", fill: "site" }),
        Plot.ruleY([0]),
      ],
    },
    "Enrolments per month by site",
  );
  const bySite = new Map<string, number>();
  for (const x of e) bySite.set(x.site, (bySite.get(x.site) ?? 0) + 1);
  return h(
    "div",
    {},
    figure(`Accrual: ${e.length}${d.target ? ` of ${d.target.patients} planned` : ""}`, overTime, dataTable("Accrual by site", ["Site", "Patients"], [...bySite].sort())),
    figure("Accrual by site and month", monthly),
  );
}

export function armFill(d: TrialDashboard): HTMLElement {
  const arms = d.arms.map((a) => ({ ...a, label: shortName(a.name) }));
  const capped = arms.filter((a) => a.cap !== null);
  const chart = plot(
    {
      width: chartWidth(560),
      height: 60 + 36 * arms.length,
      marginLeft: 200,
      marginRight: 90,
      x: { label: "Patients", grid: true },
      y: { label: null, domain: arms.map((a) => a.label) },
      marks: [
        Plot.barX(capped, { x: "cap", y: "label", fill: "#e2e8f0" }),
        Plot.barX(arms, { x: "enrolled", y: "label", fill: (a) => (a.status === "open" ? "#2b6cb0" : "#a0aec0") }),
        Plot.text(arms, { x: "enrolled", y: "label", text: (a) => `${a.enrolled}${a.cap !== null ? ` / ${a.cap}` : ""} · ${a.status}`, textAnchor: "start", dx: 4 }),
        Plot.ruleX([0]),
      ],
    },
    "Patients enrolled in each arm against its cap",
  );
  return figure("Arm fill against caps", chart, dataTable("Arms as a table", ["Arm", "Status", "Enrolled", "Cap"], d.arms.map((a) => [a.name, a.status, a.enrolled, a.cap ?? "—"])));
}

export function responseRates(d: TrialDashboard): HTMLElement {
  if (d.responses.length === 0) return figure("Response rates", h("p", { class: "muted" }, "The protocol has no response endpoint."));
  const rows = d.responses.flatMap((r) =>
    r.arms.map((a) => ({ ...a, endpoint: r.endpoint, arm: shortName(d.arms.find((x) => x.id === a.arm)?.name ?? a.arm) })),
  );
  const shown = rows.filter((r) => r.rate !== null);
  if (shown.length === 0) {
    return figure("Response rates", h("p", { class: "muted" }, "No patient is evaluable yet: a patient counts once the response window has closed."));
  }
  const chart = plot(
    {
      width: chartWidth(),
      height: 60 + 30 * Math.max(1, shown.length),
      marginLeft: 260,
      x: { domain: [0, 1], label: "Rate (95 % Clopper–Pearson interval)", tickFormat: "%", grid: true },
      y: { label: null },
      marks: [
        Plot.ruleY(shown, { y: (r) => `${r.endpoint} · ${r.arm}`, x1: "lower", x2: "upper", stroke: "#2b6cb0", strokeWidth: 2 }),
        Plot.dot(shown, { y: (r) => `${r.endpoint} · ${r.arm}`, x: "rate", fill: "#2b6cb0", r: 4 }),
      ],
    },
    "Response rates by endpoint and arm with 95 % confidence intervals",
  );
  const pct = (x: number | null) => (x === null ? "—" : `${(100 * x).toFixed(1)} %`);
  return figure(
    "Response rates",
    chart,
    dataTable("Rates as a table", ["Endpoint", "Arm", "Responders", "Evaluable", "Rate", "95 % CI"], rows.map((r) => [r.endpoint, r.arm, r.responders, r.evaluable, pct(r.rate), `${pct(r.lower)} – ${pct(r.upper)}`])),
  );
}
