/**
 * Checks a stage's metrics files once it has run, before anything is
 * stored: each must exist and parse as its format says, so `metrics show`
 * and `metrics diff` never meet a result they cannot read. Their values
 * also become the run's metrics in the run history.
 */
import { join } from "node:path";
import { readStructuredFile, type Json, type Stage } from "../pipeline/index.js";

/** The metrics of a run (one document, or one per file by name), or why a metrics file is unusable. */
export function readRunMetrics(
  stage: Stage,
  shadowRoot: string,
): { ok: true; metrics: Json | undefined } | { ok: false; missing: boolean; message: string } {
  const values: Record<string, Json> = {};
  for (const metrics of stage.metrics) {
    // Outputs are written at their workspace path inside the shadow, a file inside a directory output included.
    const read = readStructuredFile(join(shadowRoot, metrics.path), metrics.format);
    if (!read.ok) {
      const missing = read.problem === "does not exist";
      return { ok: false, missing, message: `metrics output "${metrics.name}" (${metrics.path}) ${missing ? "was not written" : read.problem}` };
    }
    values[metrics.name] = read.value;
  }
  const names = Object.keys(values);
  if (names.length === 0) return { ok: true, metrics: undefined };
  return { ok: true, metrics: names.length === 1 ? (values[names[0] as string] as Json) : values };
}
