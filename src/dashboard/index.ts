/**
 * Public surface of `dashboard/`: what sluice shows of the release world,
 * above the registry and the monitor that it reads. The texts of the
 * registry and monitor commands are here; the HTML report of `sluice report`
 * is `dashboard/html/`, imported on its own when that command runs.
 * Writing to the terminal stays in `report/`.
 */
export { describeMonitorDecision } from "./monitor-messages.js";
export { renderLineage } from "./registry-lineage.js";
export { renderHistory, renderRelease, renderReleaseList, type AliasMoveRow, type ReleaseRow } from "./registry-tables.js";
export { renderVerification } from "./registry-verify.js";
export { renderApproval, renderPromotion, renderRollback } from "./registry-moves.js";
export { renderAnchor, renderExport, renderImport, renderSync } from "./registry-transfers.js";
export type { PlotsPage, PlotView, PlotViewSeries } from "./html/index.js";
