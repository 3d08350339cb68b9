// Changing a protocol's standing at one site (issue 23), for the trial office: activate it
// (with the ethics approval and the version the site approved), suspend or close it (with a
// reason), from a date. The server decides and records the change; its error is shown on
// the field it names.
import { ApiError, post } from "../api";
import { showDialog } from "../dialog";
import { h, uid } from "../dom";
import type { SiteActivation, SiteStanding } from "../model";
import { busy, errorText } from "../ui";

export interface SiteAction {
  key: "activate" | "reactivate" | "amend" | "suspend" | "close";
  status: SiteActivation["status"];
  label: string;   // on the row's button, followed by "…"
  submit: string;  // on the dialog's button
}

const actions: Record<SiteAction["key"], SiteAction> = {
  activate: { key: "activate", status: "active", label: "Activate", submit: "Activate site" },
  reactivate: { key: "reactivate", status: "active", label: "Re-activate", submit: "Re-activate site" },
  amend: { key: "amend", status: "active", label: "Approve amendment", submit: "Approve amendment" },
  suspend: { key: "suspend", status: "suspended", label: "Suspend", submit: "Suspend site" },
  close: { key: "close", status: "closed", label: "Close", submit: "Close site" },
};

// What may follow a site's standing today. An active site on an earlier version than the
// protocol's current one may approve the amendment (a new activation with the new version).
export function siteActions(standing: SiteStanding, currentVersion: string): SiteAction[] {
  switch (standing.state) {
    case "not_activated":
      return [actions.activate];
    case "active":
      return standing.version && standing.version !== currentVersion
        ? [actions.suspend, actions.close, actions.amend]
        : [actions.suspend, actions.close];
    case "suspended":
      return [actions.reactivate, actions.close];
    case "closed":
      return [actions.reactivate];
    default:
      return [];
  }
}

export interface SiteStatusTarget {
  protocol: string;
  site: string;
  standing: SiteStanding;
  versions: string[];  // loaded, earlier first
  currentVersion: string;
}

interface Field {
  name: string;  // the request member it fills, as the server's `where` names it
  input: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
  needed: string;  // the message when a required field is empty
  error: HTMLElement;
  root: HTMLElement;
}

export const today = () => new Date().toISOString().slice(0, 10);

function field(name: string, text: string, input: Field["input"], hint: string, needed = ""): Field {
  const id = uid(`site-${name}`);
  const error = h("p", { class: "field-error", id: `${id}-error` });
  const help = h("p", { class: "hint", id: `${id}-hint` }, hint);
  input.id = id;
  input.name = name;
  input.required = needed !== "";
  input.setAttribute("aria-describedby", `${help.id} ${error.id}`);
  const root = h("div", { class: "field" }, h("label", { for: id }, text, needed ? " (required)" : ""), input, help, error);
  return { name, input, needed, error, root };
}

function showError(f: Field, message: string): void {
  f.error.textContent = message;
  if (message) f.input.setAttribute("aria-invalid", "true");
  else f.input.removeAttribute("aria-invalid");
}

function fieldsFor(t: SiteStatusTarget, action: SiteAction): Field[] {
  const activating = action.status === "active";
  const date = h("input", { type: "date", value: today() });
  const out = [field("effective_on", "Effective from", date, "Enrolment follows the new status from this day.", "Give the day the change takes effect.")];
  if (activating) {
    const version = h(
      "select",
      {},
      t.versions.map((v) => h("option", { value: v, selected: v === t.currentVersion }, v === t.currentVersion ? `${v} (current)` : v)),
    );
    out.push(
      field("protocol_version", "Protocol version approved at the site", version, "The site enrols under this version until a later activation approves an amendment."),
      field("approval_reference", "Approval reference", h("input", { type: "text", autocomplete: "off" }), "The ethics approval or site contract, e.g. CE-IRST 2025/117.", "Give the approval reference (ethics approval, contract)."),
    );
  }
  out.push(
    field(
      "reason",
      activating ? "Reason (optional)" : "Reason",
      h("textarea", { rows: 3 }),
      "Kept in the audit trail with the change; at most 500 characters.",
      activating ? "" : `Give the reason for the ${action.status === "closed" ? "closure" : "suspension"}.`,
    ),
  );
  return out;
}

function standingText(s: SiteStanding): string {
  const state = s.state.replace(/_/g, " ");
  if (!s.since) return `Now: ${state}.`;
  const version = s.version ? `; version ${s.version}, approval ${s.approval_reference}` : "";
  return `Now: ${state} since ${s.since}${s.reason ? ` (${s.reason})` : ""}${version}.`;
}

async function send(t: SiteStatusTarget, action: SiteAction, fields: Field[], formError: HTMLElement): Promise<SiteActivation | null> {
  const value = (name: string) => fields.find((f) => f.name === name)?.input.value.trim() ?? "";
  try {
    return await post<SiteActivation>(`/protocols/${encodeURIComponent(t.protocol)}/sites/${encodeURIComponent(t.site)}/status`, {
      status: action.status,
      effective_on: value("effective_on"),
      protocol_version: value("protocol_version"),
      approval_reference: value("approval_reference"),
      reason: value("reason"),
    });
  } catch (err) {
    const f = err instanceof ApiError ? fields.find((x) => x.name === err.where) : undefined;
    if (f) {
      showError(f, (err as ApiError).message);
      f.input.focus();
      formError.textContent = `The server did not accept this change: ${(err as ApiError).message}`;
    } else {
      formError.textContent = errorText(err);
    }
    return null;
  }
}

// Opens the dialog for one change; resolves with the change recorded, or null when cancelled.
export function changeSiteStatus(t: SiteStatusTarget, action: SiteAction): Promise<SiteActivation | null> {
  return new Promise((resolve) => {
    const fields = fieldsFor(t, action);
    const formError = h("div", { class: "form-error", role: "alert" });
    const formId = uid("site-status");
    const submit = h("button", { type: "submit", form: formId }, action.submit);
    const form = h(
      "form",
      { id: formId, class: "site-status", novalidate: true, "data-site": t.site },
      h("p", { class: "muted" }, standingText(t.standing)),
      fields.map((f) => f.root),
      formError,
    );
    let saved: SiteActivation | null = null;
    const dialog = showDialog(`${action.label} ${t.protocol} at ${t.site}`, form, [submit], "Cancel");
    dialog.addEventListener("close", () => resolve(saved));
    // An error stands until the field it is about is edited.
    form.addEventListener("input", (e) => {
      const f = fields.find((x) => x.input === e.target);
      if (f) showError(f, "");
      formError.textContent = "";
    });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      formError.textContent = "";
      for (const f of fields) showError(f, f.needed && !f.input.value.trim() ? f.needed : "");
      const empty = fields.find((f) => f.error.textContent);
      if (empty) {
        empty.input.focus();
        formError.textContent = "Please complete the required fields.";
        return;
      }
      void busy(submit, async () => {
        saved = await send(t, action, fields, formError);
        if (saved) dialog.close();
      });
    });
  });
}
