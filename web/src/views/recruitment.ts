// Recruitment by site on a trial's dashboard (issue 23): whether the protocol is open at
// each site (activated, suspended, closed, not activated), the version in force there,
// enrolments by version, and patients due to re-consent after an amendment. Roles that
// may manage protocols (the trial office, administrators) change a site's standing from
// its row; every change so far is listed under the table.
import { ApiError, get } from "../api";
import { h, scrollRegion, thead } from "../dom";
import type { SiteActivation, SiteStanding } from "../model";
import { figure } from "../plots/render";
import { can } from "../roles";
import { changeSiteStatus, siteActions, today, type SiteAction, type SiteStatusTarget } from "./site_status";

export interface RecruitmentStatus {
  protocol: string;
  current_version: string;
  versions: string[];
  active_sites: number;
  enrolled_by_version: Record<string, number>;
  sites: Array<{ site: string; standing: SiteStanding; enrolled: number; on_study: number; enrolled_by_version: Record<string, number>; reconsent_due: number[] }>;
}

type OnAction = (target: SiteStatusTarget, action: SiteAction) => void;

const byVersion = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([v, n]) => `v${v}: ${n}`)
    .join(", ") || "—";

const stateText = (state: string) => state.replace(/_/g, " ");

async function load(protocolId: string): Promise<RecruitmentStatus | null> {
  try {
    return await get<RecruitmentStatus>(`/protocols/${protocolId}/recruitment`);
  } catch (e) {
    if (e instanceof ApiError) return null; // a role that may not read it sees the rest
    throw e;
  }
}

const summary = (r: RecruitmentStatus) =>
  `Recruitment by site: open at ${r.active_sites} of ${r.sites.length} sites; version in force ${r.current_version}`;

// "Suspend…" on screen, "Suspend site IT-FO-01…" to a screen reader.
function actionButton(site: string, action: SiteAction, onClick: () => void): HTMLButtonElement {
  const button = h("button", { type: "button", class: "secondary", "data-action": action.key, "aria-label": `${action.label} site ${site}…` }, `${action.label}…`);
  button.addEventListener("click", onClick);
  return button;
}

function siteTable(r: RecruitmentStatus, onAction: OnAction | null): HTMLElement {
  const target = (s: RecruitmentStatus["sites"][number]): SiteStatusTarget => ({
    protocol: r.protocol,
    site: s.site,
    standing: s.standing,
    versions: r.versions,
    currentVersion: r.current_version,
  });
  return scrollRegion(
    "Recruitment by site",
    h(
      "table",
      { class: "records recruitment" },
      h("caption", {}, `Enrolments by version: ${byVersion(r.enrolled_by_version)}`),
      thead(["Site", "Status", "Since", "Version", "Approval", "Enrolled", "On study", "By version", "Re-consent due", ...(onAction ? ["Change status"] : [])]),
      h(
        "tbody",
        {},
        r.sites.map((s) =>
          h(
            "tr",
            { "data-site": s.site },
            h("td", { class: "nowrap" }, s.site),
            h("td", { "data-state": s.standing.state }, stateText(s.standing.state)),
            h("td", { class: "nowrap" }, s.standing.since ?? "—"),
            h("td", {}, s.standing.version || "—"),
            h("td", {}, s.standing.approval_reference || "—"),
            h("td", {}, String(s.enrolled)),
            h("td", {}, String(s.on_study)),
            h("td", {}, byVersion(s.enrolled_by_version)),
            h("td", {}, String(s.reconsent_due.length)),
            onAction
              ? h("td", {}, h("div", { class: "row-actions" }, siteActions(s.standing, r.current_version).map((a) => actionButton(s.site, a, () => onAction(target(s), a)))))
              : null,
          ),
        ),
      ),
    ),
  );
}

// Every activation, suspension and closure, newest first, folded away under the table.
async function historyDetails(protocolId: string, open: boolean): Promise<HTMLElement | null> {
  let items: SiteActivation[];
  try {
    items = (await get<{ items: SiteActivation[] }>(`/protocols/${protocolId}/sites`)).items;
  } catch (e) {
    if (e instanceof ApiError) return null;
    throw e;
  }
  const rows = [...items].sort((a, b) => b.id - a.id);
  return h(
    "details",
    { class: "chart-data site-history", open },
    h("summary", {}, `History of site activations, suspensions and closures (${rows.length})`),
    rows.length === 0
      ? h("p", { class: "muted" }, "No site has been activated, suspended or closed for this protocol.")
      : scrollRegion(
          "History of site activations",
          h(
            "table",
            { class: "records site-history" },
            h("caption", {}, "Newest first"),
            thead(["Site", "Status", "From", "Version", "Approval", "Reason", "By", "Recorded"]),
            h(
              "tbody",
              {},
              rows.map((a) =>
                h(
                  "tr",
                  {},
                  h("td", { class: "nowrap" }, a.site),
                  h("td", {}, stateText(a.status)),
                  h("td", { class: "nowrap" }, a.effective_on),
                  h("td", {}, a.protocol_version || "—"),
                  h("td", {}, a.approval_reference || "—"),
                  h("td", {}, a.reason || "—"),
                  h("td", {}, a.changed_by),
                  h("td", { class: "nowrap" }, a.changed_at.replace("T", " ").slice(0, 16)),
                ),
              ),
            ),
          ),
        ),
  );
}

// What the live region says after a change.
function changedText(a: SiteActivation): string {
  const activation = a.status === "active" ? `, version ${a.protocol_version}, approval ${a.approval_reference}` : "";
  const later = a.effective_on > today() ? " The table shows today's standing until then." : "";
  return `${a.site}: ${stateText(a.status)} from ${a.effective_on}${activation}.${later}`;
}

export async function recruitmentPanel(protocolId: string): Promise<HTMLElement | null> {
  const first = await load(protocolId);
  if (!first) return null;
  const content = h("div", {});
  const notice = h("p", { class: "site-change", role: "status" });
  const panel = figure(summary(first), content, notice);
  const manage = can("protocols.manage");
  const draw = async (r: RecruitmentStatus) => {
    const wasOpen = content.querySelector("details")?.open ?? false;
    panel.querySelector("figcaption")!.textContent = summary(r);
    content.replaceChildren(siteTable(r, manage ? onAction : null), (await historyDetails(protocolId, wasOpen)) ?? "");
  };
  const onAction: OnAction = (target, action) =>
    void changeSiteStatus(target, action).then(async (saved) => {
      if (!saved) return;
      notice.textContent = changedText(saved);
      const r = await load(protocolId);
      if (r) await draw(r);
      content.querySelector<HTMLElement>(`tr[data-site="${CSS.escape(saved.site)}"] button`)?.focus();
    });
  await draw(first);
  return panel;
}
