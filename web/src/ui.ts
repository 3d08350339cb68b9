// Small pieces every screen uses: error panels, verdict badges, labels and dates.
import { ApiError } from "./api";
import { h } from "./dom";
import type { FieldSpec } from "./model";

export function errorPanel(e: unknown): HTMLElement {
  const message = e instanceof ApiError ? e.message : String(e);
  const title = e instanceof ApiError && e.status === 404 ? "Not found" : "Something went wrong";
  return h(
    "section",
    { class: "panel error", role: "alert" },
    h("h1", {}, title),
    h("p", {}, message),
    e instanceof ApiError && e.requestId ? h("p", { class: "muted" }, `Request ${e.requestId}`) : null,
  );
}

// "status_at_registration" → "Status at registration"; "mrd_value" → "MRD value".
const upper = new Set(["mrd", "eln2022", "ctcae", "meddra", "dli", "gvhd", "anc", "who", "icc",
  "iscn", "hgvs", "vaf", "cd3", "aml", "all", "id", "os", "efs", "rfs", "cir", "orr", "cr",
  "crc", "nct"]);
export function label(name: string): string {
  const words = name.split("_").map((w) => (upper.has(w) ? w.toUpperCase() : w));
  const first = words[0] ?? "";
  words[0] = first === first.toUpperCase() ? first : first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(" ").replace("ELN2022", "ELN 2022");
}

const kindNames: Record<string, string> = {
  diagnosis: "Diagnosis",
  karyotype: "Karyotype",
  variant: "Gene variants",
  fusion: "Fusions",
  gene_test: "Gene tests",
  treatment_line: "Treatment lines",
  transplant: "Transplants",
  dli: "DLI",
  response: "Responses and MRD",
  relapse: "Relapses",
  death: "Death",
  acute_gvhd: "Acute GVHD",
  chronic_gvhd: "Chronic GVHD",
  adverse_event: "Adverse events",
  performance_status: "Performance status",
  follow_up: "Follow-up",
  consent: "Consent",
  patient: "Patient",
};
// One record of a kind, for "New …" and "Save …".
const kindNouns: Record<string, string> = {
  variant: "gene variant",
  fusion: "fusion",
  gene_test: "gene test",
  treatment_line: "treatment line",
  transplant: "transplant",
  response: "response assessment",
  relapse: "relapse",
  death: "death",
  adverse_event: "adverse event",
  performance_status: "performance status",
  follow_up: "follow-up contact",
  consent: "consent",
  patient: "patient",
};
export function kindNoun(kind: string): string {
  return kindNouns[kind] ?? kindName(kind).toLowerCase();
}

export function kindName(kind: string): string {
  return kindNames[kind] ?? label(kind);
}

export function verdictBadge(verdict: string, text = verdict): HTMLElement {
  const cls = verdict === "eligible" || verdict === "met" ? "ok"
    : verdict === "unknown" ? "unknown" : "no";
  const symbol = cls === "ok" ? "✓" : cls === "unknown" ? "?" : "✗";
  return h("span", { class: `badge ${cls}` }, h("span", { "aria-hidden": "true" }, symbol), ` ${text}`);
}

export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (Array.isArray(value)) return value.join("; ");
  if (typeof value === "boolean") return value ? "yes" : "no";
  return String(value);
}

// A code of a field by its label from the data model ("cr" → "Complete remission (CR)").
export function codeLabel(field: FieldSpec, code: string): string {
  return field.code_labels?.[code] ?? label(code);
}

// A field's value as a reader wants it: codes by their labels from the data model. A member
// the server left out is a field this role may not see (docs/data-model.md, "seen by"), not
// a missing value.
export function showFieldValue(field: FieldSpec, value: unknown): string {
  if (value === undefined) return "not shown to your role";
  if (!field.code_labels) return showValue(value);
  if (typeof value === "string") return codeLabel(field, value);
  if (Array.isArray(value)) return value.map((c) => codeLabel(field, String(c))).join("; ");
  return showValue(value);
}

export function errorText(e: unknown): string {
  if (e instanceof ApiError) return e.where ? `${e.message} (${e.where})` : e.message;
  return String(e);
}

export function busy<T>(button: HTMLButtonElement, work: () => Promise<T>): Promise<T> {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  return work().finally(() => {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  });
}

export function pageHeader(title: string, ...extra: Array<Node | string | null>): HTMLElement {
  return h("header", { class: "page-header" }, h("h1", {}, title), ...extra);
}

export function link(href: string, text: string, attrs: Record<string, string> = {}): HTMLAnchorElement {
  return h("a", { href: `#${href}`, ...attrs }, text);
}

// An arm's name short enough for a chart axis: up to the first " (" or " -- ".
export function shortName(name: string): string {
  const cut = name.split(/ \(| -- /)[0];
  return cut.length > 34 ? `${cut.slice(0, 32)}…` : cut;
}

// Year and month of birth, "1970-03"; the year alone when the month is not shown to the role.
export function bornText(p: { birth_year: number; birth_month?: number }): string {
  return p.birth_month === undefined ? String(p.birth_year) : `${p.birth_year}-${String(p.birth_month).padStart(2, "0")}`;
}
