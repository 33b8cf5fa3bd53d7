/**
 * The params files a `cmd` stage reads, as it finds them in its shadow: at
 * their workspace path, holding only the keys the stage names, with the
 * values its key was computed from (a `--set` included). What ran is then
 * exactly what the key and the run history record, and the workspace's own
 * file is never linked in, so nothing the stage does to its copy leaks out.
 */
import { documentOf, fileParamName, renderStructured, type Json, type Stage } from "../pipeline/index.js";
import { placeFile, type Shadow } from "./shadow.js";

/** Writes each params file of `stage` into `shadow` from the effective `params`. */
export function writeParamsOverlays(shadow: Shadow, stage: Stage, params: Readonly<Record<string, Json>>): void {
  for (const file of stage.paramsFiles) {
    const document = documentOf(file.keys.map((key) => [key, params[fileParamName(file.declared, key)] ?? null] as const));
    placeFile(shadow, file.path, renderStructured(document, file.format));
  }
}
