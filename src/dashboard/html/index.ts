/**
 * Public surface of `dashboard/html/`: the self-contained HTML report of
 * `sluice report`. Loaded only by that command: it reads the registry and
 * the monitor's contracts, which nothing on the `sluice run` path needs.
 */
export { buildReportModel, type ReportInputs } from "./build-report-model.js";
export { gatherReportInputs } from "./gather-report-inputs.js";
export { readProjectWindows, type ProjectWindows } from "./read-report-files.js";
export { renderReportPage } from "./render-page.js";
export { renderPlotsPage } from "./render-plots.js";
export type { NodeStatus, ProjectReport, ReportModel, StageNode } from "./report-model.js";
export type { StageEvidence } from "./stage-nodes.js";
export type { PlotsPage, PlotView, PlotViewSeries } from "./plot-view.js";
