// A patient's course on one time axis: diagnosis, lines of therapy as bars, transplant and
// DLI, responses (ELN 2022 category), relapses, death or last contact; MRD values below
// on a log scale.
import type { RegistryRecord } from "../model";
import { h } from "../dom";
import { Plot, chartWidth, dataTable, figure, plot } from "./render";

interface Event {
  date: Date;
  row: string;
  label: string;
}

const rows = ["Diagnosis", "Treatment", "Transplant", "Response", "Relapse", "Outcome"];

function day(v: unknown): Date | null {
  return typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) ? new Date(`${v}T00:00:00Z`) : null;
}

// ELN 2022 categories as haematologists write them: CR, CRh, CRi, MLFS, PR, no response…
function responseLabel(category: unknown): string {
  if (typeof category !== "string" || !category) return "assessed";
  const upper = category.toUpperCase();
  if (/^(CR|MLFS|PR|SD|PD)$/.test(upper)) return upper;
  if (/^CR[HI]$/.test(upper)) return `CR${category.slice(2).toLowerCase()}`;
  return category.replace(/_/g, " ");
}

export function timeline(records: Record<string, RegistryRecord[]>): HTMLElement {
  const events: Event[] = [];
  const add = (kind: string, field: string, row: string, labelOf: (r: RegistryRecord) => string) => {
    for (const r of records[kind] ?? []) {
      const d = day(r[field]);
      if (d) events.push({ date: d, row, label: labelOf(r) });
    }
  };
  add("diagnosis", "diagnosis_date", "Diagnosis", (r) => String(r.disease ?? "").toUpperCase());
  add("transplant", "transplant_date", "Transplant", (r) => `HSCT (${r.donor_type ?? ""})`);
  add("dli", "infusion_date", "Transplant", () => "DLI");
  add("response", "assessment_date", "Response", (r) => responseLabel(r.eln2022_category));
  add("relapse", "relapse_date", "Relapse", (r) => `Relapse${r.relapse_type ? ` (${r.relapse_type})` : ""}`);
  add("death", "death_date", "Outcome", () => "Death");
  const contacts = (records.follow_up ?? []).map((r) => ({ d: day(r.contact_date), s: r.vital_status }));
  const last = contacts.filter((c) => c.d).sort((a, b) => b.d!.getTime() - a.d!.getTime())[0];
  if (last && !(records.death ?? []).length) events.push({ date: last.d!, row: "Outcome", label: `Last contact (${last.s})` });

  const today = new Date();
  const lines = (records.treatment_line ?? [])
    .map((r) => ({ start: day(r.start_date), end: day(r.end_date) ?? today, label: `L${r.line_number} ${r.regimen}`, ongoing: !r.end_date }))
    .filter((l): l is { start: Date; end: Date; label: string; ongoing: boolean } => l.start !== null);
  const mrd = (records.response ?? [])
    .map((r) => ({ date: day(r.assessment_date), value: typeof r.mrd_value === "number" ? r.mrd_value : null, status: r.mrd_status }))
    .filter((m): m is { date: Date; value: number; status: RegistryRecord[string] } => m.date !== null && m.value !== null);

  if (events.length === 0 && lines.length === 0) {
    return figure("Course", h("p", { class: "muted" }, "Nothing recorded yet: add a diagnosis to start the timeline."));
  }
  const dates = [...events.map((e) => e.date), ...lines.flatMap((l) => [l.start, l.end])];
  const domain = [new Date(Math.min(...dates.map(Number))), new Date(Math.max(...dates.map(Number)))];
  const width = chartWidth();
  const course = plot(
    {
      width,
      height: 240,
      marginLeft: 80,
      x: { type: "utc", domain, label: null, nice: true },
      y: { domain: rows, label: null },
      marks: [
        Plot.barX(lines, { x1: "start", x2: "end", y: () => "Treatment", fill: (l) => (l.ongoing ? "#6a9fd8" : "#2b6cb0"), inset: 4 }),
        Plot.text(lines, { x: "start", y: () => "Treatment", text: "label", textAnchor: "start", dx: 3, dy: -14, fontSize: 10 }),
        Plot.dot(events, { x: "date", y: "row", r: 4, fill: "#c05621" }),
        Plot.text(events, { x: "date", y: "row", text: "label", dy: -10, fontSize: 10 }),
        Plot.gridX({ strokeOpacity: 0.1 }),
      ],
    },
    "Timeline of the patient's diagnosis, treatment lines, transplants, responses, relapses and outcome",
  );
  const parts: Node[] = [course];
  if (mrd.length > 0) {
    parts.push(
      plot(
        {
          width,
          height: 140,
          marginLeft: 80,
          x: { type: "utc", domain, label: null, nice: true },
          y: { type: "log", label: "MRD %", grid: true, tickFormat: "~g" },
          marks: [
            Plot.line(mrd, { x: "date", y: (m) => Math.max(m.value, 1e-5), stroke: "#555" }),
            Plot.dot(mrd, { x: "date", y: (m) => Math.max(m.value, 1e-5), fill: (m) => (m.status === "negative" ? "#2f855a" : "#c53030"), r: 4 }),
          ],
        },
        "MRD values over time, on a log scale",
      ),
    );
  }
  const table = dataTable(
    "The timeline as a table",
    ["Date", "Kind", "What"],
    [
      ...lines.map((l) => [l.start.toISOString().slice(0, 10), "Treatment", `${l.label}${l.ongoing ? " (ongoing)" : ` to ${l.end.toISOString().slice(0, 10)}`}`]),
      ...events.map((e) => [e.date.toISOString().slice(0, 10), e.row, e.label]),
      ...mrd.map((m) => [m.date.toISOString().slice(0, 10), "MRD", `${m.value} % (${m.status ?? "—"})`]),
    ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
  );
  return figure("Course", h("div", { class: "timeline" }, parts), table);
}
