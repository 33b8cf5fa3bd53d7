/**
 * Public surface of `graduate/`: turning a researcher's notebook into a
 * stage. It may use `pipeline/`; nothing in the engine imports it.
 */
export { graduateNotebook, type GraduateRequest, type Graduation, type Undetected } from "./graduate.js";
export { insertStage, newPipelineFile, type InsertRequest } from "./insert-stage.js";
export type { GraduateProblem, GraduateReason } from "./problem.js";
export type { DeclaredFiles, FileCandidate } from "./file-candidates.js";
export type { Magic } from "./magics.js";
export type { NotebookParam, ParamKind } from "./parameters.js";
export { graduateDocument, graduateSummary, type Written } from "./summary.js";
