/** Public surface of `report/`: every renderer; the only code that writes to the terminal. */
export { relativise, renderDiagnostic } from "./diagnostics.js";
export { runDocument, type RunDocument } from "./json-report.js";
export { plainReporter, resultLine } from "./plain-reporter.js";
export { formatBytes, formatDuration, stdoutWritten, table, writeErr, writeOut, writeOutRaw } from "./terminal.js";
export { explainChange } from "./explain-change.js";
export { renderRunsTable, RUNS_WIDTH, type RunRow } from "./runs-table.js";
export { renderChanges, renderValues, type ShownChange, type ShownValue } from "./value-tables.js";
export { renderBuiltExperiments, renderExperimentTable, type ShownExperiment, type ShownExperimentTable } from "./experiment-table.js";
export { renderDag, type DagFormat } from "./dag-render.js";
export { printRegistryError, printRegistryNote, printRegistryResult, shortDigest, writeRegistryText } from "./registry-messages.js";
export { renderCacheProblem, renderCacheVerdict, renderReruns } from "./verify-render.js";
export { freshness, renderLockSummary, renderStatusTable, statusDetail, type Freshness } from "./status-render.js";

/** The listr2 task list, loaded only for an interactive terminal: listr2 is the biggest thing `run` could load. */
export const loadListrReporter = () => import("./listr-reporter.js");
/** The GitHub job summary and `::error` annotations, loaded by `sluice run` only in CI. */
export const loadCiSummary = () => import("./ci-summary.js");
