// A form for any record kind, drawn from the schema: the right control for each field type,
// inline checks as the user types (with the server's own words, confirmed by the server's
// validation route), a reason asked for every correction, and each field's history one
// click away.
import { ApiError, patch, post } from "../api";
import { askReason } from "../dialog";
import { h, uid } from "../dom";
import type { FieldSpec, FieldValue, KindSpec, RegistryRecord } from "../model";
import { parseField, inputText } from "../validation";
import { busy, codeLabel, errorText, kindNoun, label, showValue } from "../ui";
import { showFieldHistory } from "./field_history";

export interface RecordFormOptions {
  kind: string;  // "patient" or a record kind
  spec: KindSpec;
  record?: RegistryRecord;  // given: the form corrects it
  patientId?: number;
  defaults?: Record<string, FieldValue>;
  auditPath?: string;  // where this record's audit trail is, for field histories
  readOnly?: boolean;  // roles that may read but not change: values and histories only
  onSaved: (record: RegistryRecord) => void;
  onCancel: () => void;
}

interface Control {
  field: FieldSpec;
  root: HTMLElement;
  read: () => string | string[];
  focus: () => void;
  error: HTMLElement;
  inputs: HTMLElement[];
  touched: boolean;
}

function control(field: FieldSpec, initial: FieldValue | undefined): Control {
  const id = uid(`f-${field.name}`);
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const error = h("p", { class: "field-error", id: errorId, "data-field-error": field.name });
  const hint = h(
    "p",
    { class: "hint", id: hintId },
    field.description,
    field.unit ? ` (${field.unit})` : "",
    field.format_description ? ` — ${field.format_description}` : "",
  );
  const describedBy = `${hintId} ${errorId}`;
  const labelText = [label(field.name), field.required ? " (required)" : ""].join("");
  let read: () => string | string[];
  let inputs: HTMLElement[];
  let body: HTMLElement;
  if (field.type === "codes" && field.codes?.length) {
    const chosen = new Set(Array.isArray(initial) ? initial : []);
    const boxes = field.codes.map((code) =>
      h("input", { type: "checkbox", value: code, id: `${id}-${code}`, name: field.name, checked: chosen.has(code) }),
    );
    body = h(
      "fieldset",
      { "aria-describedby": describedBy },
      h("legend", {}, labelText),
      h("div", { class: "choices" }, boxes.map((b, i) => h("span", { class: "choice" }, b, h("label", { for: b.id }, codeLabel(field, field.codes![i]!))))),
    );
    read = () => boxes.filter((b) => b.checked).map((b) => b.value);
    inputs = boxes;
  } else {
    let input: HTMLInputElement | HTMLSelectElement;
    if (field.type === "code" || field.type === "boolean") {
      const options = field.type === "boolean" ? ["true", "false"] : (field.codes ?? []);
      input = h(
        "select",
        { id, name: field.name },
        h("option", { value: "" }, field.required ? "— choose —" : "— not recorded —"),
        options.map((o) => h("option", { value: o }, field.type === "boolean" ? (o === "true" ? "Yes" : "No") : codeLabel(field, o))),
      );
    } else {
      input = h("input", {
        id,
        name: field.name,
        type: field.type === "date" ? "date" : "text",
        inputmode: field.type === "integer" ? "numeric" : field.type === "number" ? "decimal" : null,
        autocomplete: "off",
      });
    }
    input.value = inputText(initial);
    input.setAttribute("aria-describedby", describedBy);
    if (field.required) input.setAttribute("aria-required", "true");
    body = h("div", { class: "control" }, h("label", { for: id }, labelText), input);
    read = () => input.value;
    inputs = [input];
  }
  const root = h("div", { class: "field", "data-field": field.name }, body, hint, error);
  return { field, root, read, error, inputs, touched: false, focus: () => inputs[0]?.focus() };
}

function showError(c: Control, message: string | null): void {
  c.error.textContent = message ?? "";
  for (const i of c.inputs) {
    if (message) i.setAttribute("aria-invalid", "true");
    else i.removeAttribute("aria-invalid");
  }
  c.root.classList.toggle("invalid", Boolean(message));
}

function fieldOf(where: string): string {
  return where.replace(/^\/(fields\/|changes\/)?/, "");
}

export function recordForm(o: RecordFormOptions): HTMLFormElement {
  const editing = o.record !== undefined;
  const controls = o.spec.fields.map((f) => control(f, o.record ? o.record[f.name] : o.defaults?.[f.name]));
  const formError = h("div", { class: "form-error", role: "alert" });
  const save = h("button", { type: "submit" }, editing ? "Save correction" : `Save ${kindNoun(o.kind)}`);
  const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
  cancel.addEventListener("click", o.onCancel);

  if (editing && o.auditPath) {
    for (const c of controls) {
      const history = h("button", { type: "button", class: "link-button history-button" }, `History of ${label(c.field.name)}`);
      history.addEventListener("click", () => void showFieldHistory(o.auditPath!, c.field.name));
      c.root.appendChild(history);
    }
  }

  const values = (): { values: Record<string, FieldValue>; errors: Map<string, string> } => {
    const out: Record<string, FieldValue> = {};
    const errors = new Map<string, string>();
    for (const c of controls) {
      const p = parseField(c.field, c.read());
      out[c.field.name] = p.value;
      if (p.error) errors.set(c.field.name, p.error);
    }
    return { values: out, errors };
  };

  // The server's verdict on the whole draft, shown on the fields the user has touched.
  let serverCheck = 0;
  // A correction is checked field by field only: the route's history and registration checks
  // treat the draft as a new record (a second death, a pseudonym already taken) and would
  // flag the record being corrected; saving gets the server's full answer.
  const askServer = async (showAll: boolean) => {
    if (editing && o.kind === "patient") return;
    const ticket = ++serverCheck;
    const { values: v, errors: local } = values();
    const fields: Record<string, FieldValue> = {};
    for (const [k, value] of Object.entries(v)) if (!local.has(k) || typeof value === "string") fields[k] = value;
    try {
      const answer = await post<{ errors: Array<{ field: string | null; message: string }> }>(
        `/records/${o.kind}/validation`,
        { fields, ...(o.patientId && !editing ? { patient_id: o.patientId } : {}) },
      );
      if (ticket !== serverCheck) return;
      const server = new Map<string, string>();
      for (const e of answer.errors) if (e.field) server.set(fieldOf(e.field), e.message);
      for (const c of controls) {
        if (!showAll && !c.touched) continue;
        showError(c, server.get(c.field.name) ?? local.get(c.field.name) ?? null);
      }
    } catch {
      // The inline checks stand; saving will give the server's answer.
    }
  };
  let timer = 0;
  for (const c of controls) {
    const onChange = () => {
      c.touched = true;
      showError(c, parseField(c.field, c.read()).error);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => void askServer(false), 250);
    };
    for (const i of c.inputs) {
      i.addEventListener("input", onChange);
      i.addEventListener("change", onChange);
    }
  }

  if (o.readOnly) {
    for (const c of controls) for (const i of c.inputs) i.setAttribute("disabled", "");
    save.hidden = true;
    cancel.textContent = "Back";
  }
  const form = h(
    "form",
    { class: "record-form", novalidate: true, "data-kind": o.kind },
    h("h2", {}, o.readOnly ? label(kindNoun(o.kind)) : editing ? `Correct ${kindNoun(o.kind)}` : `New ${kindNoun(o.kind)}`),
    h("p", { class: "muted" }, o.spec.description),
    h("div", { class: "fields" }, controls.map((c) => c.root)),
    formError,
    h("div", { class: "actions" }, save, cancel),
  );

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    formError.textContent = "";
    const { values: v, errors } = values();
    for (const c of controls) {
      c.touched = true;
      showError(c, errors.get(c.field.name) ?? null);
    }
    if (errors.size > 0) {
      formError.textContent = `Please correct ${errors.size} field${errors.size > 1 ? "s" : ""}.`;
      controls.find((c) => errors.has(c.field.name))?.focus();
      return;
    }
    void busy(save, async () => {
      try {
        let saved: RegistryRecord;
        if (!editing) {
          const path = o.kind === "patient" ? "/patients" : `/patients/${o.patientId}/records/${o.kind}`;
          const body: Record<string, FieldValue> = {};
          for (const [k, value] of Object.entries(v)) if (value !== null) body[k] = value;
          saved = await post<RegistryRecord>(path, body);
        } else {
          const changes: Record<string, FieldValue> = {};
          for (const [k, value] of Object.entries(v)) {
            if (inputText(value) !== inputText(o.record![k] ?? null)) changes[k] = value;
          }
          if (Object.keys(changes).length === 0) {
            formError.textContent = "Nothing has changed.";
            return;
          }
          const summary = h(
            "ul",
            { class: "changes" },
            Object.entries(changes).map(([k, value]) =>
              h("li", {}, `${label(k)}: ${showValue(o.record![k])} → ${showValue(value)}`),
            ),
          );
          const reason = await askReason(summary);
          if (reason === null) return;
          const path = o.kind === "patient" ? `/patients/${o.record!.id}` : `/records/${o.kind}/${o.record!.id}`;
          saved = await patch<RegistryRecord>(path, { version: o.record!.version, reason, changes });
        }
        o.onSaved(saved);
      } catch (err) {
        const c = err instanceof ApiError ? controls.find((x) => x.field.name === fieldOf(err.where)) : undefined;
        if (c) {
          showError(c, (err as ApiError).message);
          c.focus();
          formError.textContent = "The server did not accept this record.";
        } else {
          formError.textContent = errorText(err);
        }
      }
    });
  });
  return form;
}
