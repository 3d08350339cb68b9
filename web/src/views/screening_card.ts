// One protocol's screening of one patient: the verdict, every criterion met / not met /
// unknown with its explanation, and what is missing to decide.
import { h, scrollRegion, thead } from "../dom";
import type { CriterionResult, ProtocolScreening } from "../model";
import { verdictBadge } from "../ui";

// An exclusion "met" means the patient is excluded: say present / absent instead, so that a
// green badge always means "this criterion keeps the patient eligible".
function resultText(c: CriterionResult): string {
  if (c.kind === "inclusion" || c.qualifies === "unknown") return c.qualifies;
  return c.qualifies === "met" ? "absent" : "present";
}

function extraMissing(c: CriterionResult): string[] {
  return c.missing.filter((m) => !c.explanation.includes(m));
}

export function criteriaTable(s: ProtocolScreening): HTMLElement {
  return scrollRegion(`Criteria of ${s.title}`, h(
    "table",
    { class: "criteria" },
    h("caption", { class: "visually-hidden" }, `Criteria of ${s.title}`),
    thead(["Criterion", "Kind", "Result", "Why"]),
    h(
      "tbody",
      {},
      s.criteria.map((c) =>
        h(
          "tr",
          { class: `criterion ${c.qualifies.replace(" ", "-")}`, "data-criterion": c.id },
          h("th", { scope: "row" }, c.wording),
          h("td", {}, c.kind),
          h("td", {}, verdictBadge(c.qualifies, resultText(c))),
          h("td", {}, c.explanation, extraMissing(c).length ? h("ul", { class: "missing" }, extraMissing(c).map((m) => h("li", {}, m))) : null),
        ),
      ),
    ),
  ));
}

export function missingList(s: ProtocolScreening): string[] {
  const out = new Set<string>();
  for (const c of s.criteria) for (const m of c.missing) out.add(m);
  for (const m of s.assignment.missing) out.add(m);
  return [...out];
}

export function screeningCard(s: ProtocolScreening, actions: Node | null): HTMLElement {
  const missing = missingList(s);
  const arms = s.assignment.arms ?? [];
  return h(
    "article",
    { class: `screening panel verdict-${s.verdict.replace(" ", "-")}`, "data-protocol": s.protocol },
    h("header", {}, h("h2", {}, s.title), verdictBadge(s.verdict)),
    criteriaTable(s),
    missing.length
      ? h("div", { class: "missing-box" }, h("h3", {}, "Missing to decide"), h("ul", {}, missing.map((m) => h("li", {}, m))))
      : null,
    s.assignment.state !== "none" && s.assignment.state
      ? h("p", { class: "assignment" }, `Assignment: ${s.assignment.state}`, s.assignment.entry ? ` by ${s.assignment.entry}` : "", arms.length ? ` → ${arms.join(", ")}` : "")
      : null,
    actions,
  );
}
