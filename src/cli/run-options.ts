/**
 * Parsing of the run options that carry values: `--resources gpu=1,memGiB=16`
 * here, `--set stage.param=value` in src/ops/param-overrides.ts (queued
 * experiments are parsed there too).
 */
import { parseParamOverrides, type ParamOverrides } from "../ops/index.js";
import type { Diagnostic } from "../pipeline/index.js";
import { fail, ok, type Result } from "../util/result.js";

export { parseParamOverrides, type ParamOverrides };

export function parseResources(spec: string | undefined): Result<Record<string, number>, Diagnostic[]> {
  const capacity: Record<string, number> = {};
  if (!spec) return ok(capacity);
  for (const part of spec.split(",")) {
    const match = /^\s*([A-Za-z][\w-]*)\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(part);
    if (!match) {
      return fail([{ reason: "bad-resources", message: `--resources ${spec}: expected name=number[,name=number], e.g. gpu=1,memGiB=16` }]);
    }
    capacity[match[1] as string] = Number(match[2]);
  }
  return ok(capacity);
}
