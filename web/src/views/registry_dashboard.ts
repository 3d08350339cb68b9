// The registry at a glance: who is in it, by disease, status and site, and the recent
// patients' courses.
import { get } from "../api";
import type { RegistryDashboard } from "../dashboard_model";
import { h } from "../dom";
import { countBars, swimmerPlot } from "../plots/registry_charts";
import { pageHeader } from "../ui";

export async function registryDashboardView(): Promise<Node> {
  const d = await get<RegistryDashboard>("/registry/dashboard?recent=30");
  return h(
    "section",
    { class: "dashboard" },
    pageHeader("Registry dashboard", h("p", { role: "status" }, `${d.patients} patients you may see.`)),
    h(
      "div",
      { class: "grid-2" },
      countBars("By disease", d.by_disease.map((r) => ({ name: r.disease.toUpperCase(), patients: r.patients }))),
      countBars("By vital status", d.by_status.map((r) => ({ name: r.status.replace(/_/g, " "), patients: r.patients }))),
      countBars("By disease status at registration", d.by_disease_status.map((r) => ({ name: r.status.replace(/_/g, " "), patients: r.patients }))),
      countBars("By site", d.by_site.map((r) => ({ name: r.site, patients: r.patients }))),
    ),
    swimmerPlot(d),
  );
}
