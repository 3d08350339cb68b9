// The frame of every screen once signed in: skip link, navigation for the user's role,
// who is signed in, and the main region the router fills.
import { h, replace } from "./dom";
import { can, roleName } from "./roles";
import { logOut, session } from "./session";

interface NavItem {
  href: string;
  text: string;
  show: boolean;
}

export function layout(app: HTMLElement, path: string): { main: HTMLElement; setBusy: (b: boolean) => void } {
  const s = session();
  const items: NavItem[] = [
    { href: "/patients", text: "Patients", show: can("registry.read") },
    { href: "/protocols", text: "Protocols", show: true },
    { href: "/registry", text: "Registry dashboard", show: can("registry.read") },
    { href: "/audit", text: "Audit trail", show: can("audit") },
  ];
  const main = h("main", { id: "main", tabindex: "-1" });
  const logout = h("button", { type: "button", class: "link-button" }, "Log out");
  logout.addEventListener("click", () => {
    void logOut().finally(() => {
      location.hash = "/";
      location.reload();
    });
  });
  const nav = h(
    "nav",
    { "aria-label": "Main" },
    h(
      "ul",
      {},
      items
        .filter((i) => i.show)
        .map((i) =>
          h(
            "li",
            {},
            h("a", { href: `#${i.href}`, "aria-current": path.startsWith(i.href) ? "page" : null }, i.text),
          ),
        ),
    ),
  );
  const who = h(
    "div",
    { class: "who" },
    h("span", { class: "user", "data-testid": "user" }, s.username),
    h("span", { class: "muted" }, ` ${roleName(s.role)}${s.site ? ` · ${s.site}` : " · all sites"}`),
    " ",
    logout,
  );
  replace(
    app,
    h("a", { class: "skip", href: "#main" }, "Skip to content"),
    h("header", { class: "top" }, h("a", { class: "brand", href: "#/" }, "STREAM"), nav, who),
    main,
  );
  // The skip link must not change the route.
  app.querySelector<HTMLAnchorElement>(".skip")!.addEventListener("click", (e) => {
    e.preventDefault();
    main.focus();
  });
  return {
    main,
    setBusy: (b) => main.setAttribute("aria-busy", b ? "true" : "false"),
  };
}
