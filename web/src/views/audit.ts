// The audit trail for monitors and inspectors: who changed what, when and why, filtered by
// patient, record kind or person, newest first.
import { get, query } from "../api";
import { h, scrollRegion, thead } from "../dom";
import type { AuditRow, Page } from "../model";
import { go } from "../router";
import { link, pageHeader } from "../ui";

export async function auditView(_: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const filters = {
    patient_id: q.get("patient_id") ?? "",
    entity: q.get("entity") ?? "",
    actor: q.get("actor") ?? "",
    before: q.get("before") ?? "",
  };
  const page = await get<Page<AuditRow>>(
    filters.patient_id && !filters.entity && !filters.actor && !filters.before
      ? `/patients/${filters.patient_id}/audit${query({ limit: 100 })}`
      : `/audit${query({ ...filters, limit: 100 })}`,
  );
  const inputs = {
    patient_id: h("input", { id: "f-patient", inputmode: "numeric", value: filters.patient_id }),
    entity: h("input", { id: "f-entity", value: filters.entity, placeholder: "e.g. response, patient, enrolment" }),
    actor: h("input", { id: "f-actor", value: filters.actor, placeholder: "user name" }),
  };
  const form = h(
    "form",
    { class: "filters", role: "search" },
    h("div", {}, h("label", { for: "f-patient" }, "Patient id"), inputs.patient_id),
    h("div", {}, h("label", { for: "f-entity" }, "Record kind"), inputs.entity),
    h("div", {}, h("label", { for: "f-actor" }, "Changed by"), inputs.actor),
    h("button", { type: "submit" }, "Filter"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go(`/audit${query({ patient_id: inputs.patient_id.value.trim(), entity: inputs.entity.value.trim(), actor: inputs.actor.value.trim() })}`);
  });
  const rows = page.items.map((r) =>
    h(
      "tr",
      {},
      h("td", {}, String(r.seq)),
      h("td", {}, r.at.replace("T", " ").slice(0, 19)),
      h("td", {}, r.actor),
      h("td", {}, r.action),
      h("td", {}, `${r.entity} ${r.entity_id}`),
      h("td", {}, r.patient_id ? link(`/patients/${r.patient_id}`, String(r.patient_id)) : "—"),
      h("td", {}, r.field || "—"),
      h("td", { class: "value" }, r.old_value ?? "—"),
      h("td", { class: "value" }, r.new_value ?? "—"),
      h("td", {}, r.reason || "—"),
    ),
  );
  const next = page.next_before
    ? link(`/audit${query({ ...filters, before: page.next_before })}`, "Older entries →")
    : null;
  return h(
    "section",
    {},
    pageHeader("Audit trail", h("p", { class: "muted" }, "Every change, with its reason, in a hash chain that `stream audit verify` checks.")),
    form,
    scrollRegion(
      "Audit entries",
      h(
        "table",
        { class: "audit" },
        h("caption", {}, `${rows.length} entries, newest first`),
        thead(["#", "When", "Who", "Action", "What", "Patient", "Field", "Before", "After", "Reason"]),
        h("tbody", {}, rows),
      ),
    ),
    h("nav", { class: "pager", "aria-label": "Pages" }, next),
  );
}
