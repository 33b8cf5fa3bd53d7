/** Public surface of `pipeline/`: declare, load and validate pipeline files. */
export * from "./decl.js";
export {
  defineProject,
  defineWorkspace,
  dir,
  external,
  file,
  json,
  metrics,
  packagedFunction,
  packageOfFunction,
  paramsFrom,
  plots,
  runFrom,
  source,
  url,
  type ProjectBuilder,
} from "./define.js";
export { contractText } from "./contract-text.js";
export type { Diagnostic, DiagnosticReason } from "./diagnostic.js";
export { isLazyRun } from "./lazy-run.js";
export { findWorkspaceRoot, importModule, importThroughHooks, loadAfresh, loadWorkspace, PIPELINE_FILE, stoppedLoadCount, type LoadOptions } from "./load.js";
export { NotFresh, sharedModuleChanged } from "./fresh-modules.js";
export { forgetLoadLeftovers } from "./load-leftovers.js";
export { DEFAULT_LOAD_TIMEOUT_MS, LOAD_TIMEOUT_ENV, loadTimeoutMs } from "./load-watchdog.js";
export { originalStack } from "./mirror-positions.js";
export {
  parseStageId,
  STAGE_NAME,
  stageId,
  type Project,
  type Stage,
  type StageAction,
  type StageDep,
  type StageId,
  type StageMetrics,
  type StageOut,
  type StageParamsFile,
  type PlotFormat,
  type StagePlot,
  type Workspace,
} from "./model.js";
export {
  fileParamName,
  parseStructured,
  readStructuredFile,
  readWords,
  selectKey,
  setWords,
  structuredFormat,
  withKeysSet,
  type ParamsFormat,
} from "./params-file.js";
export { renderWritten, writtenParams } from "./params-written.js";
export {
  importClosure,
  importStatements,
  resolveLocal,
  scanImports,
  scanImportsOnce,
  type ImportStatement,
  type ModuleImports,
} from "./module-graph.js";
export { MAX_PLOT_FILE_BYTES, parsePlotTable, plotLines, type PlotCell, type PlotLines, type PlotSeries, type PlotTable } from "./plot-file.js";
export { plotFormat } from "./plots-decl.js";
export { pinAdvice } from "./stage-options-decl.js";
