// Recruitment by site on a trial's dashboard (issue 23): whether the protocol is open at
// each site (activated, suspended, closed, not activated), the version in force there,
// enrolments by version, and patients due to re-consent after an amendment.
import { ApiError, get } from "../api";
import { h, scrollRegion, thead } from "../dom";
import { figure } from "../plots/render";

interface Standing {
  state: string;
  since: string | null;
  version: string;
  approval_reference: string;
  reason: string;
}

export interface RecruitmentStatus {
  protocol: string;
  current_version: string;
  versions: string[];
  active_sites: number;
  enrolled_by_version: Record<string, number>;
  sites: Array<{ site: string; standing: Standing; enrolled: number; on_study: number; enrolled_by_version: Record<string, number>; reconsent_due: number[] }>;
}

const byVersion = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([v, n]) => `v${v}: ${n}`)
    .join(", ") || "—";

export async function recruitmentPanel(protocolId: string): Promise<HTMLElement | null> {
  let r: RecruitmentStatus;
  try {
    r = await get<RecruitmentStatus>(`/protocols/${protocolId}/recruitment`);
  } catch (e) {
    if (e instanceof ApiError) return null; // a role that may not read it sees the rest
    throw e;
  }
  return figure(
    `Recruitment by site: open at ${r.active_sites} of ${r.sites.length} sites; version in force ${r.current_version}`,
    scrollRegion(
      "Recruitment by site",
      h(
        "table",
        { class: "records recruitment" },
        h("caption", {}, `Enrolments by version: ${byVersion(r.enrolled_by_version)}`),
        thead(["Site", "Status", "Since", "Version", "Approval", "Enrolled", "On study", "By version", "Re-consent due"]),
        h(
          "tbody",
          {},
          r.sites.map((s) =>
            h(
              "tr",
              {},
              h("td", {}, s.site),
              h("td", {}, s.standing.state.replace(/_/g, " ")),
              h("td", {}, s.standing.since ?? "—"),
              h("td", {}, s.standing.version || "—"),
              h("td", {}, s.standing.approval_reference || "—"),
              h("td", {}, String(s.enrolled)),
              h("td", {}, String(s.on_study)),
              h("td", {}, byVersion(s.enrolled_by_version)),
              h("td", {}, String(s.reconsent_due.length)),
            ),
          ),
        ),
      ),
    ),
  );
}
