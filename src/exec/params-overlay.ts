/**
 * The params files a `cmd` stage reads, as it finds them in its shadow: at
 * their workspace path, holding only the keys the stage names, with the
 * values its key was computed from (a `--set` included), in the file's own words. What ran is then
 * exactly what the key and the run history record, and the workspace's own
 * file is never linked in, so nothing the stage does to its copy leaks out.
 */
import { fileParamName, renderWritten, type Stage } from "../pipeline/index.js";
import { placeFile, type Shadow } from "./shadow.js";

/**
 * Writes each params file of `stage` into `shadow`, each value in the words its key took
 * (`paramsWritten` of its key components, see params-written.ts): the copy is what the key says.
 */
export function writeParamsOverlays(shadow: Shadow, stage: Stage, written: Readonly<Record<string, string>>): void {
  for (const file of stage.paramsFiles) {
    placeFile(shadow, file.path, renderWritten(file.format, file.keys.map((key) => [key, written[fileParamName(file.declared, key)] ?? "null"] as const)));
  }
}
