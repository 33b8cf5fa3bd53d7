/**
 * The check every json output passes before it is stored: it parses, and
 * its zod contract accepts it. The `metrics` output's value is kept for the
 * run history.
 */
import { readFile } from "node:fs/promises";
import type { Json, Stage } from "../pipeline/index.js";
import { contractMessage } from "../util/contract-message.js";
import type { StageFailure } from "./events.js";

/** The checked metrics (if the stage declares them), or the first output that breaks its contract. */
export type ContractCheck = { readonly ok: true; readonly metrics: Json | undefined } | { readonly ok: false; readonly failure: StageFailure };

export async function checkJsonOutputs(stage: Stage, tempOuts: Readonly<Record<string, string>>): Promise<ContractCheck> {
  let metrics: Json | undefined;
  for (const out of stage.outs) {
    if (out.kind !== "json" || !out.schema) continue;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(tempOuts[out.name] as string, "utf8"));
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === "ENOENT";
      return missing
        ? { ok: false, failure: { reason: "missing-output", message: `did not write json output "${out.name}" (${out.path})` } }
        : { ok: false, failure: { reason: "contract-violation", message: `json output "${out.name}" (${out.path}) is not valid JSON` } };
    }
    const checked = out.schema.safeParse(value);
    if (!checked.success) {
      return { ok: false, failure: { reason: "contract-violation", message: `json output "${out.name}" (${out.path}) breaks its contract: ${contractMessage(checked.error)}` } };
    }
    if (out.name === "metrics") metrics = value as Json;
  }
  return { ok: true, metrics };
}
