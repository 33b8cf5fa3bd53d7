/** Public surface of `report/`: every renderer; the only code that writes to the terminal. */
export { renderDiagnostic } from "./diagnostics.js";
export { runDocument, type RunDocument } from "./json-report.js";
export { plainReporter, resultLine } from "./plain-reporter.js";
export { formatBytes, formatDuration, table, writeErr, writeOut } from "./terminal.js";
export { explainChange } from "./explain-change.js";
export { renderChanges, renderValues, type ShownChange, type ShownValue } from "./value-tables.js";
export { renderDag, type DagFormat } from "./dag-render.js";
// ci-summary.ts (GitHub job summary and ::error annotations) is imported lazily by `sluice run`, only in CI.
export { renderCacheProblem, renderCacheVerdict, renderReruns } from "./verify-render.js";
