// The derived picture on the patient page: the disease state on a date with the records
// behind it, the dated course, ELN 2022 genetic risk, and each assessment's derived response
// beside the site's, flagged where they disagree (docs/clinical-rules.md).
import { get, query } from "../api";
import { h, scrollRegion, thead } from "../dom";
import type { CourseEvidence, DiseaseCourse } from "../model";
import { go } from "../router";

const rulesName = { aml_eln2022: "AML, ELN 2022", all_ibfm: "childhood ALL, I-BFM" } as const;

function evidenceText(evidence: CourseEvidence[]): string {
  return evidence.map((e) => `${e.kind.replace(/_/g, " ")} ${e.record_id} of ${e.date}: ${e.summary}`).join("; ");
}

function stateFacts(c: DiseaseCourse): HTMLElement {
  const facts: [string, string][] = [];
  if (c.state) {
    facts.push(["Disease state", `${c.state.description} since ${c.state.since}`]);
    facts.push(["Evidence", evidenceText(c.state.evidence)]);
  } else {
    facts.push(["Disease state", "Not established: no assessment, relapse or registration status recorded"]);
  }
  if (c.mrd.status) facts.push(["MRD", c.mrd.status.replace(/_/g, " ")]);
  if (c.mrd.relapse) facts.push(["MRD relapse", `since ${c.mrd.relapse_date} (haematological remission kept)`]);
  if (c.last_transplant) facts.push(["Last transplant", c.last_transplant]);
  facts.push(["Vital status", c.vital.death_date ? `died ${c.vital.death_date}` : c.vital.lost_to_follow_up ? "lost to follow-up" : "alive"]);
  const risk = c.genetic_risk;
  facts.push([
    "ELN 2022 genetic risk",
    !risk.applies ? "does not apply (not AML)" : risk.category ? `${risk.category}: ${risk.reasons.join("; ")}` : `undecided; missing: ${risk.missing.join("; ")}`,
  ]);
  facts.push(["Rules", rulesName[c.rules]]);
  return h("dl", { class: "facts" }, facts.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-fact": k }, v)]));
}

function assessments(c: DiseaseCourse): HTMLElement | null {
  if (c.assessments.length === 0) return null;
  return scrollRegion(
    "Response assessments, derived and entered",
    h(
      "table",
      { class: "records" },
      h("caption", {}, "Response assessments: STREAM's category beside the site's"),
      thead(["Date", "Derived", "Entered by the site", "Read from", "MRD"]),
      h(
        "tbody",
        {},
        c.assessments.map((a) =>
          h(
            "tr",
            {},
            h("td", {}, a.date),
            h("td", {}, a.derived ?? "—", a.disagrees ? h("span", { class: "badge no", title: "The derived category differs from the site's" }, " disagrees") : null),
            h("td", {}, a.entered ?? "—"),
            h("td", {}, a.reading),
            h("td", {}, a.mrd_status ?? "—"),
          ),
        ),
      ),
    ),
  );
}

function events(c: DiseaseCourse): HTMLElement {
  return h(
    "details",
    {},
    h("summary", {}, `Course: ${c.events.length} dated steps`),
    h(
      "ol",
      { class: "course" },
      c.events.map((e) => h("li", {}, `${e.date}: ${e.description}`, e.evidence.length ? h("span", { class: "muted" }, ` (${evidenceText(e.evidence)})`) : null)),
    ),
  );
}

export async function diseaseCoursePanel(patientId: number, asOf: string | null, tab: string): Promise<HTMLElement> {
  const c = await get<DiseaseCourse>(`/patients/${patientId}/disease-course${query({ as_of: asOf })}`);
  const input = h("input", { type: "date", id: "course-as-of", value: c.as_of }) as HTMLInputElement;
  input.addEventListener("change", () => go(`/patients/${patientId}${query({ tab, as_of: input.value || null })}`));
  return h(
    "section",
    { class: "disease-course", "aria-labelledby": "course-heading" },
    h("h2", { id: "course-heading" }, "Disease course"),
    h("p", {}, h("label", { for: "course-as-of" }, "As of "), input),
    stateFacts(c),
    c.notes.length ? h("p", { class: "muted" }, `Assessments that decided nothing: ${c.notes.join("; ")}`) : null,
    assessments(c),
    events(c),
  );
}
