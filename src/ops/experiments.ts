/**
 * The experiment operations (`sluice exp`), loaded on first use through
 * `loadExperiments` in index.ts: a run never pays for them or for zod.
 */
export { applyExperiment, type ApplyReport } from "./exp-apply.js";
export { experimentKeys, removeExperiments } from "./exp-remove.js";
export { expandGrid, nameExperiments } from "./exp-grid.js";
export { runExperiments, type ExpRunOutcome, type ExpRunRequest } from "./exp-run.js";
export { BASELINE, diffExperiments, experimentTable, type ExperimentRow, type ExperimentSort, type ExperimentTable } from "./exp-views.js";
export type { Experiment, ExperimentValue } from "./experiments-file.js";
