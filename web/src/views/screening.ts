// A patient against every protocol STREAM runs.
import { get } from "../api";
import { h } from "../dom";
import type { Patient, ProtocolScreening } from "../model";
import { can } from "../roles";
import { session } from "../session";
import { link, pageHeader } from "../ui";
import { screeningCard } from "./screening_card";

const order = { eligible: 0, unknown: 1, "not eligible": 2 } as const;

export async function screeningView(params: Record<string, string>): Promise<Node> {
  const id = Number(params.id);
  const [patient, answer] = await Promise.all([
    get<Patient>(`/patients/${id}`),
    get<{ protocols: ProtocolScreening[] }>(`/patients/${id}/screening`),
  ]);
  const mayEnrol = can(session().role, "enrol");
  const protocols = [...answer.protocols].sort((a, b) => order[a.verdict] - order[b.verdict]);
  const counts = protocols.reduce<Record<string, number>>((acc, p) => ((acc[p.verdict] = (acc[p.verdict] ?? 0) + 1), acc), {});
  return h(
    "section",
    {},
    pageHeader(`Screening of ${patient.pseudonym}`, h("p", {}, link(`/patients/${id}`, "← Back to the patient"))),
    h("p", { role: "status" }, `Eligible for ${counts.eligible ?? 0}, undecided for ${counts.unknown ?? 0}, not eligible for ${counts["not eligible"] ?? 0} of ${protocols.length} protocols.`),
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
