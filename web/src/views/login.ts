// The log-in screen. Errors are the server's: wrong credentials and locked accounts
// (after five failures) read differently.
import { ApiError } from "../api";
import { h } from "../dom";
import { logIn } from "../session";
import { busy } from "../ui";

export function loginView(notice: string, done: () => void): HTMLElement {
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password",
    name: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const message = h("p", { class: "form-error", role: "alert", id: "login-error" });
  const submit = h("button", { type: "submit" }, "Log in");
  const form = h(
    "form",
    { class: "login panel", "aria-describedby": "login-error" },
    h("h1", {}, "Log in to STREAM"),
    notice ? h("p", { class: "notice", role: "status" }, notice) : null,
    h("label", { for: "username" }, "User name"),
    username,
    h("label", { for: "password" }, "Password"),
    password,
    message,
    submit,
    h("p", { class: "muted" }, "Synthetic demo data only — never enter real patient data in a demo registry."),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    message.textContent = "";
    void busy(submit, async () => {
      try {
        await logIn(username.value.trim(), password.value);
        done();
      } catch (err) {
        message.textContent =
          err instanceof ApiError && err.status === 401
            ? "The user name or password is wrong."
            : err instanceof ApiError
              ? err.message
              : String(err);
        password.value = "";
        password.focus();
      }
    });
  });
  queueMicrotask(() => username.focus());
  return h("div", { class: "login-page" }, form);
}
