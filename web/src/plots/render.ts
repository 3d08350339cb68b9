// Observable Plot under STREAM's Content-Security-Policy: Plot puts a <style> element in
// every chart, which a policy without 'unsafe-inline' refuses. It is taken out before the
// chart enters the page; style.css carries the same rules for the `plot` class.
import * as Plot from "@observablehq/plot";
import { h, scrollRegion, thead } from "../dom";

export function plot(options: Plot.PlotOptions, description: string): HTMLElement {
  const chart = Plot.plot({ className: "plot", ...options }) as HTMLElement;
  chart.querySelectorAll("style").forEach((s) => s.remove());
  for (const svg of chart.tagName.toLowerCase() === "svg" ? [chart] : Array.from(chart.querySelectorAll("svg"))) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", description);
    // Plot labels its mark groups; inside an image those labels are not allowed, and the
    // chart's data table says it all.
    svg.querySelectorAll("[aria-label], [aria-description]").forEach((g) => {
      g.removeAttribute("aria-label");
      g.removeAttribute("aria-description");
    });
  }
  return chart;
}

export function figure(title: string, chart: Node, ...rest: Array<Node | null>): HTMLElement {
  return h("figure", { class: "chart" }, h("figcaption", {}, title), chart, ...rest);
}

// The numbers behind a chart, as a table a screen reader (or a monitor) can read.
export function dataTable(summary: string, headers: string[], rows: Array<Array<string | number>>): HTMLElement {
  return h(
    "details",
    { class: "chart-data" },
    h("summary", {}, summary),
    scrollRegion(summary, h(
      "table",
      {},
      thead(headers),
      h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, String(c)))))),
    )),
  );
}

export function chartWidth(container = 1100): number {
  return Math.max(320, Math.min(container, window.innerWidth - 48));
}

export { Plot };
