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
  source,
  type DeclaredProject,
  type DeclaredWorkspace,
  type DepRef,
  type ExternalRef,
  type Json,
  type OutputRef,
  type ProjectBuilder,
  type RunContext,
  type SourceRef,
  type StageDecision,
  type StageHandle,
} from "./pipeline/index.js";
