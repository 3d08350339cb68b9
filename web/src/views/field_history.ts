// One field's audit history, one click from the form: every value it has had, who set it,
// when and why, from the audit trail.
import { get, query } from "../api";
import { showDialog } from "../dialog";
import { h, thead } from "../dom";
import type { AuditRow, Page } from "../model";
import { errorText, label } from "../ui";

// The value a field got in a create row ("a=1; b=x") or an update row of that field.
function valueOf(row: AuditRow, field: string): string | null {
  if (row.field === field) return row.new_value;
  if (row.field) return null;
  if (row.action !== "create" || !row.new_value) return null;
  for (const part of row.new_value.split("; ")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq) === field) return part.slice(eq + 1);
  }
  return null;
}

export async function showFieldHistory(auditPath: string, field: string): Promise<void> {
  const body = h("div", { class: "history" }, h("p", {}, "Loading…"));
  showDialog(`History of ${label(field)}`, body);
  try {
    const page = await get<Page<AuditRow>>(auditPath + query({ limit: 1000 }));
    const rows = page.items
      .map((r) => ({ r, value: valueOf(r, field) }))
      .filter(({ r, value }) => value !== null || (r.field === field));
    body.replaceChildren(
      rows.length === 0
        ? h("p", {}, "No recorded history for this field.")
        : h(
            "table",
            {},
            h("caption", {}, `${rows.length} entries, newest first`),
            thead(["When", "Who", "Action", "Value", "Before", "Reason"]),
            h(
              "tbody",
              {},
              rows.map(({ r, value }) =>
                h(
                  "tr",
                  {},
                  h("td", {}, r.at.replace("T", " ").slice(0, 19)),
                  h("td", {}, r.actor),
                  h("td", {}, r.action),
                  h("td", {}, value ?? "—"),
                  h("td", {}, r.field === field ? (r.old_value ?? "—") : "—"),
                  h("td", {}, r.reason || "—"),
                ),
              ),
            ),
          ),
    );
  } catch (e) {
    body.replaceChildren(h("p", { class: "form-error", role: "alert" }, errorText(e)));
  }
}
