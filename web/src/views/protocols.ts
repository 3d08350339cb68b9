// The protocols STREAM runs, with their arms, and the ways into each.
import { get } from "../api";
import { h } from "../dom";
import type { ProtocolSummary } from "../model";
import { can } from "../roles";
import { link, pageHeader } from "../ui";

export async function protocolsView(): Promise<Node> {
  const { items } = await get<{ items: ProtocolSummary[] }>("/protocols");
  return h(
    "section",
    {},
    pageHeader("Protocols"),
    h(
      "div",
      { class: "cards" },
      items.map((p) =>
        h(
          "article",
          { class: "panel protocol", "data-protocol": p.id },
          h("h2", {}, p.title),
          h("p", { class: "muted" }, [p.phase ? `Phase ${p.phase}` : "", p.randomised ? (p.blinded ? "randomised, blinded" : "randomised") : "rule-assigned arms", `version ${p.version}`, p.nct_id].filter(Boolean).join(" · ")),
          h("ul", { class: "arms" }, p.arms.map((a) => h("li", {}, h("span", { class: `status ${a.status}` }, a.status), ` ${a.name}`, a.cap ? ` (cap ${a.cap})` : ""))),
          h(
            "div",
            { class: "actions" },
            can("screen") ? link(`/protocols/${p.id}/candidates`, "Candidates", { class: "button" }) : null,
            can("allocations") ? link(`/protocols/${p.id}/dashboard`, "Dashboard", { class: "button secondary" }) : null,
          ),
        ),
      ),
    ),
  );
}
