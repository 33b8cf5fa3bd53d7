/**
 * The pipeline API users import in `pipeline.ts`:
 *
 *   import { defineProject, file, json, source } from "sluice";
 */
export {
  defineProject,
  defineWorkspace,
  dir,
  external,
  file,
  json,
  findWorkspaceRoot,
  metrics,
  paramsFrom,
  source,
  type CachedHit,
  type ConfirmHit,
  type DeclaredProject,
  type DeclaredWorkspace,
  type DepRef,
  type DepsDecl,
  type DirOutDecl,
  type FileOutDecl,
  type JsonOutDecl,
  type MetricsOutDecl,
  type OutDecl,
  type OutsDecl,
  type ParamsDecl,
  type ParamsFileDecl,
  type ExternalRef,
  type Json,
  type OutputRef,
  type ProjectBuilder,
  type RunContext,
  type SourceRef,
  type StageDecision,
  type StageHandle,
} from "./pipeline/index.js";
