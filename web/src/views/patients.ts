// The patient list: search by pseudonym, filter by site (central roles), pages of 25.
import { ApiError, get, query } from "../api";
import { h, replace, thead } from "../dom";
import type { Page, Patient } from "../model";
import { go } from "../router";
import { can } from "../roles";
import { session } from "../session";
import { bornText, link, pageHeader } from "../ui";

const pageSize = 25;

export async function patientsView(_: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const s = session();
  const after = q.get("after") ?? "";
  const site = q.get("site") ?? "";
  const search = q.get("pseudonym") ?? "";
  const trail = (q.get("trail") ?? "").split(",").filter(Boolean);  // the `after` of earlier pages

  let page: Page<Patient> = { items: [] };
  let notice = "";
  try {
    page = await get<Page<Patient>>(
      "/patients" + query({ limit: pageSize, after, site: s.site ? "" : site, pseudonym: search }),
    );
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && search) notice = `No patient with pseudonym ${search} that you may see.`;
    else throw e;
  }

  const searchBox = h("input", { id: "search", type: "search", value: search, placeholder: "e.g. STR-100042" });
  const siteBox = h("input", { id: "site-filter", value: site, placeholder: "e.g. IT-FO-01" });
  const form = h(
    "form",
    { class: "filters", role: "search" },
    h("div", {}, h("label", { for: "search" }, "Pseudonym"), searchBox),
    s.site ? null : h("div", {}, h("label", { for: "site-filter" }, "Site"), siteBox),
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    go("/patients" + query({ pseudonym: searchBox.value.trim(), site: siteBox.value.trim().toUpperCase() }));
  });

  const rows = page.items.map((p) =>
    h(
      "tr",
      {},
      h("th", { scope: "row" }, link(`/patients/${p.id}`, p.pseudonym)),
      h("td", {}, p.site),
      h("td", {}, p.sex),
      h("td", {}, bornText(p)),
      h("td", {}, p.registered_on),
    ),
  );
  const pager = h("nav", { class: "pager", "aria-label": "Pages" });
  if (trail.length > 0 || after) {
    const previous = trail.slice(0, -1);
    pager.appendChild(link(`/patients${query({ site, after: trail[trail.length - 1] ?? "", trail: previous.join(",") })}`, "← Previous"));
  }
  if (page.next_after) {
    pager.appendChild(link(`/patients${query({ site, after: page.next_after, trail: [...trail, after || "0"].join(",") })}`, "Next →"));
  }
  const list = h(
    "table",
    { class: "patients" },
    h("caption", {}, search ? "Search result" : `Patients${s.site ? ` of ${s.site}` : site ? ` of ${site}` : ""}`),
    thead(["Pseudonym", "Site", "Sex", "Born", "Registered"]),
    h("tbody", {}, rows),
  );
  const body = h("div", {});
  replace(body, notice ? h("p", { role: "status" }, notice) : rows.length ? list : h("p", {}, "No patients yet."), pager);
  return h(
    "section",
    {},
    pageHeader(
      "Patients",
      can("registry.write") ? h("a", { class: "button", href: "#/patients/new" }, "Register a patient") : null,
    ),
    form,
    body,
  );
}

