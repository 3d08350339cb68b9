// Modal dialogs on the native <dialog> element: focus is trapped and Escape closes.
import { h } from "./dom";

export function showDialog(title: string, body: Node, actions: HTMLButtonElement[] = [], closeText = "Close"): HTMLDialogElement {
  const close = h("button", { type: "button", class: "secondary" }, closeText);
  const heading = h("h2", { id: `dialog-title-${Date.now()}` }, title);
  const dialog = h(
    "dialog",
    { "aria-labelledby": heading.id },
    heading,
    body,
    h("div", { class: "actions" }, ...actions, close),
  );
  close.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => dialog.remove());
  document.body.appendChild(dialog);
  dialog.showModal();
  return dialog;
}

// Asks for the reason for a change; resolves with it, or null when cancelled.
export function askReason(summary: Node): Promise<string | null> {
  return new Promise((resolve) => {
    const reason = h("textarea", { id: "change-reason", required: true, rows: 3 });
    const error = h("p", { class: "field-error", id: "change-reason-error" });
    const save = h("button", { type: "button" }, "Save change");
    const body = h(
      "div",
      {},
      summary,
      h("label", { for: "change-reason" }, "Reason for change (kept in the audit trail)"),
      reason,
      error,
    );
    reason.setAttribute("aria-describedby", error.id);
    let answered = false;
    const dialog = showDialog("Reason for change", body, [save]);
    save.addEventListener("click", () => {
      if (!reason.value.trim()) {
        error.textContent = "A reason for the change is required.";
        reason.setAttribute("aria-invalid", "true");
        reason.focus();
        return;
      }
      answered = true;
      resolve(reason.value.trim());
      dialog.close();
    });
    dialog.addEventListener("close", () => {
      if (!answered) resolve(null);
    });
    reason.focus();
  });
}
