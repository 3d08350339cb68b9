// A patient against every protocol STREAM runs.
import { get, query } from "../api";
import { h } from "../dom";
import type { Patient, ProtocolScreening } from "../model";
import { can } from "../roles";
import { go } from "../router";
import { link, pageHeader } from "../ui";
import { screeningCard } from "./screening_card";

const order = { eligible: 0, unknown: 1, "not eligible": 2 } as const;

export async function screeningView(params: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const id = Number(params.id);
  const asOf = q.get("as_of");
  const [patient, answer] = await Promise.all([
    get<Patient>(`/patients/${id}`),
    get<{ protocols: ProtocolScreening[]; on: string }>(`/patients/${id}/screening${query({ as_of: asOf })}`),
  ]);
  // Screening on a past date reads only the records dated on or before it.
  const date = h("input", { type: "date", id: "screening-date", value: answer.on }) as HTMLInputElement;
  date.addEventListener("change", () => go(`/patients/${id}/screening${query({ as_of: date.value || null })}`));
  const mayEnrol = can("enrol");
  const protocols = [...answer.protocols].sort((a, b) => order[a.verdict] - order[b.verdict]);
  const counts = protocols.reduce<Record<string, number>>((acc, p) => ((acc[p.verdict] = (acc[p.verdict] ?? 0) + 1), acc), {});
  return h(
    "section",
    {},
    pageHeader(`Screening of ${patient.pseudonym}`, h("p", {}, link(`/patients/${id}`, "← Back to the patient"))),
    h("p", {}, h("label", { for: "screening-date" }, "Screened on "), date),
    h("p", { role: "status" }, `Screened on ${answer.on}: eligible for ${counts.eligible ?? 0}, undecided for ${counts.unknown ?? 0}, not eligible for ${counts["not eligible"] ?? 0} of ${protocols.length} protocols.`),
    protocols.map((p) =>
      screeningCard(
        p,
        mayEnrol && p.verdict !== "not eligible"
          ? h("div", { class: "actions" }, link(`/protocols/${p.protocol}/enrol/${id}`, p.verdict === "eligible" ? "Enrol…" : "Review for enrolment…", { class: "button" }))
          : null,
      ),
    ),
  );
}
