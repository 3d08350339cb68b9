// A patient's page: who (pseudonymously), the course on a timeline, and a tab for each
// record kind with its records, a form to add one and a form to correct each.
import { get, query } from "../api";
import { h, scrollRegion, thead } from "../dom";
import type { KindSpec, PatientRecords, RegistryRecord } from "../model";
import { timeline } from "../plots/timeline";
import { go } from "../router";
import { can } from "../roles";
import { kindSpec, schema } from "../schema";
import { bornText, kindName, kindNoun, label, link, pageHeader, showFieldValue } from "../ui";
import { diseaseCoursePanel } from "./disease_course";
import { recordForm } from "./record_form";

function recordTable(kind: string, spec: KindSpec, records: RegistryRecord[], patientId: number, writable: boolean): HTMLElement {
  if (records.length === 0) return h("p", { class: "muted" }, `No ${kindName(kind).toLowerCase()} recorded.`);
  const fields = spec.fields;
  return scrollRegion(
    kindName(kind),
    h(
      "table",
      { class: "records" },
      h("caption", {}, `${kindName(kind)}: ${records.length}`),
      thead([...fields.map((f) => label(f.name)), h("span", { class: "visually-hidden" }, "Actions")]),
      h(
        "tbody",
        {},
        records.map((r) =>
          h(
            "tr",
            {},
            fields.map((f) => h("td", {}, showFieldValue(f, r[f.name]))),
            h("td", {}, link(`/patients/${patientId}${query({ tab: kind, edit: r.id })}`, writable ? "Correct" : "History", { "aria-label": `${writable ? "Correct" : "History of"} ${kindName(kind).toLowerCase()} ${r.id}` })),
          ),
        ),
      ),
    ),
  );
}

export async function patientView(params: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const id = Number(params.id);
  const [data, s] = await Promise.all([get<PatientRecords>(`/patients/${id}/records`), schema()]);
  const tabParam = q.get("tab") ?? "diagnosis";
  const course = await diseaseCoursePanel(id, q.get("as_of"), tabParam);
  const p = data.patient;
  const writable = can("registry.write");
  // The record kinds in the order the server's data model lists them (docs/data-model.md).
  const kinds = s.kinds.map((x) => x.name).filter((k) => k !== "patient");
  const tab = q.get("tab") && (kinds.includes(q.get("tab")!) || q.get("tab") === "patient") ? q.get("tab")! : "diagnosis";
  const editId = q.get("edit");
  const adding = q.get("new") === "1";
  const back = () => go(`/patients/${id}${query({ tab })}`);

  const tabs = [...kinds, "patient"];
  const tablist = h("div", { role: "tablist", "aria-label": "Record kinds", class: "tabs" });
  tabs.forEach((k) => {
    const count = k === "patient" ? null : (data.records[k] ?? []).length;
    const a = h(
      "a",
      {
        role: "tab",
        id: `tab-${k}`,
        href: `#/patients/${id}${query({ tab: k })}`,
        "aria-selected": k === tab ? "true" : "false",
        "aria-controls": "tab-panel",
        tabindex: k === tab ? "0" : "-1",
      },
      k === "patient" ? "Patient details" : kindName(k),
      count ? h("span", { class: "count" }, ` ${count}`) : null,
    );
    tablist.appendChild(a);
  });
  tablist.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(tab);
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : -1;
    if (next >= 0 && next < tabs.length) go(`/patients/${id}${query({ tab: tabs[next] })}`);
  });

  const panel = h("div", { role: "tabpanel", id: "tab-panel", "aria-labelledby": `tab-${tab}`, class: "panel" });
  const spec = await kindSpec(tab);
  if (tab === "patient") {
    panel.appendChild(
      editId || !writable
        ? recordForm({ kind: "patient", spec, record: p, auditPath: `/patients/${id}/audit`, readOnly: !writable, onSaved: back, onCancel: back })
        : h(
            "div",
            {},
            h("dl", { class: "facts" }, spec.fields.flatMap((f) => [h("dt", {}, label(f.name)), h("dd", {}, showFieldValue(f, p[f.name]))])),
            link(`/patients/${id}${query({ tab, edit: p.id })}`, "Correct patient details", { class: "button" }),
          ),
    );
  } else if (editId) {
    const record = (data.records[tab] ?? []).find((r) => String(r.id) === editId);
    if (!record) panel.appendChild(h("p", { role: "alert" }, "That record is not here any more."));
    else
      panel.appendChild(
        recordForm({ kind: tab, spec, record, patientId: id, auditPath: `/records/${tab}/${record.id}/audit`, readOnly: !writable, onSaved: back, onCancel: back }),
      );
  } else if (adding && writable) {
    panel.appendChild(recordForm({ kind: tab, spec, patientId: id, onSaved: back, onCancel: back }));
  } else {
    panel.appendChild(recordTable(tab, spec, data.records[tab] ?? [], id, writable));
    if (writable) panel.appendChild(link(`/patients/${id}${query({ tab, new: 1 })}`, `Add ${kindNoun(tab)}`, { class: "button" }));
  }

  const actions = h(
    "div",
    { class: "page-actions" },
    can("screen") ? link(`/patients/${id}/screening`, "Screen against protocols", { class: "button" }) : null,
    can("audit") ? link(`/audit${query({ patient_id: id })}`, "Audit trail", { class: "button secondary" }) : null,
  );
  return h(
    "section",
    { class: "patient" },
    pageHeader(p.pseudonym, h("p", { class: "muted" }, `${p.site} · ${p.sex} · born ${bornText(p)} · registered ${p.registered_on}`)),
    actions,
    course,
    timeline(data.records),
    tablist,
    panel,
  );
}
