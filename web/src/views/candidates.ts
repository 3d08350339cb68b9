// A protocol against the registry: every visible patient's verdict, sortable by any column.
import { get, query } from "../api";
import { h, scrollRegion } from "../dom";
import type { Candidate, ProtocolDetail } from "../model";
import { go } from "../router";
import { can } from "../roles";
import { link, pageHeader, verdictBadge } from "../ui";
import { missingList } from "./screening_card";

interface Row {
  c: Candidate;
  met: number;
  unknown: number;
  missing: string[];
}

type Key = "pseudonym" | "site" | "verdict" | "met" | "unknown";
const verdictRank: Record<string, number> = { eligible: 0, unknown: 1, "not eligible": 2 };

function compare(key: Key): (a: Row, b: Row) => number {
  switch (key) {
    case "pseudonym": return (a, b) => a.c.pseudonym.localeCompare(b.c.pseudonym);
    case "site": return (a, b) => a.c.site.localeCompare(b.c.site) || a.c.pseudonym.localeCompare(b.c.pseudonym);
    case "verdict": return (a, b) => verdictRank[a.c.verdict] - verdictRank[b.c.verdict] || b.met - a.met;
    case "met": return (a, b) => a.met - b.met;
    case "unknown": return (a, b) => a.unknown - b.unknown;
  }
}

export async function candidatesView(params: Record<string, string>, q: URLSearchParams): Promise<Node> {
  const id = params.protocol;
  const verdict = q.get("verdict") ?? "all";
  const [protocol, answer] = await Promise.all([
    get<ProtocolDetail>(`/protocols/${id}`),
    get<{ items: Candidate[] }>(`/protocols/${id}/candidates${query({ verdict })}`),
  ]);
  const rows: Row[] = answer.items.map((c) => ({
    c,
    met: c.criteria.filter((x) => x.qualifies === "met").length,
    unknown: c.criteria.filter((x) => x.qualifies === "unknown").length,
    missing: missingList(c),
  }));
  let key: Key = "verdict";
  let ascending = true;
  const mayEnrol = can("enrol");
  const columns: Array<[Key | null, string]> = [["pseudonym", "Patient"], ["site", "Site"], ["verdict", "Verdict"], ["met", "Criteria met"], ["unknown", "Unknown"], [null, "Missing"], [null, "Action"]];
  const tbody = h("tbody");
  const headers = columns.map(([k, text]) => {
    if (!k) return h("th", { scope: "col" }, text);
    const button = h("button", { type: "button", class: "sort" }, text);
    const th = h("th", { scope: "col", "data-sort": k }, button);
    button.addEventListener("click", () => {
      ascending = key === k ? !ascending : true;
      key = k;
      draw();
    });
    return th;
  });
  const draw = () => {
    const sorted = [...rows].sort(compare(key));
    if (!ascending) sorted.reverse();
    headers.forEach((th, i) => {
      const k = columns[i][0];
      if (k) th.setAttribute("aria-sort", k === key ? (ascending ? "ascending" : "descending") : "none");
    });
    tbody.replaceChildren(
      ...sorted.map((r) =>
        h(
          "tr",
          {},
          h("th", { scope: "row" }, r.c.patient_id ? link(`/patients/${r.c.patient_id}/screening`, r.c.pseudonym) : r.c.pseudonym),
          h("td", {}, r.c.site),
          h("td", {}, verdictBadge(r.c.verdict)),
          h("td", {}, `${r.met} / ${r.c.criteria.length}`),
          h("td", {}, String(r.unknown)),
          h("td", {}, r.missing.length ? r.missing.slice(0, 3).join("; ") + (r.missing.length > 3 ? ` and ${r.missing.length - 3} more` : "") : "—"),
          h("td", {}, mayEnrol && r.c.patient_id && r.c.verdict !== "not eligible" ? link(`/protocols/${id}/enrol/${r.c.patient_id}`, "Enrol…") : ""),
        ),
      ),
    );
  };
  draw();
  const filter = h("select", { id: "verdict-filter" }, ["all", "eligible", "unknown"].map((v) => h("option", { value: v, selected: v === verdict }, v === "all" ? "Every patient" : v === "eligible" ? "Eligible" : "Undecided (data missing)")));
  filter.addEventListener("change", () => go(`/protocols/${id}/candidates${query({ verdict: filter.value })}`));
  const counts = rows.reduce<Record<string, number>>((a, r) => ((a[r.c.verdict] = (a[r.c.verdict] ?? 0) + 1), a), {});
  return h(
    "section",
    {},
    pageHeader(`Candidates for ${protocol.title}`),
    h("div", { class: "filters" }, h("label", { for: "verdict-filter" }, "Show"), filter),
    h("p", { role: "status" }, `${rows.length} patients: ${counts.eligible ?? 0} eligible, ${counts.unknown ?? 0} undecided, ${counts["not eligible"] ?? 0} not eligible.`),
    scrollRegion("Candidates",
      h("table", { class: "candidates" }, h("caption", {}, "Sort by a column's heading"), h("thead", {}, h("tr", {}, headers)), tbody)),
  );
}
