/**
 * How `sluice retrain` tells a project's promote stage why this candidate
 * is being built: `SLUICE_TRIGGER`, a JSON object naming the project, the
 * trigger kind and its cause. The promote stage puts it in its params (so
 * it is part of the stage key) and the registry records it in the release's
 * lineage. Only the named project's promote stage sees it.
 */
import { z } from "zod";
import { Trigger } from "../../contracts/index.js";

/** The environment variable `sluice retrain` sets for the run it starts. */
export const TRIGGER_ENV = "SLUICE_TRIGGER";

const TriggerEnvelope = z.strictObject({ project: z.string().min(1), ...Trigger.shape });

/** The trigger of the current retrain for `project`, or null when this run is not one. */
export function retrainTrigger(project: string, env: NodeJS.ProcessEnv = process.env): Trigger | null {
  const raw = env[TRIGGER_ENV];
  if (raw === undefined || raw === "") return null;
  let parsed: z.output<typeof TriggerEnvelope>;
  try {
    parsed = TriggerEnvelope.parse(JSON.parse(raw));
  } catch {
    throw new Error(`${TRIGGER_ENV} must be {"project", "kind": "manual"|"schedule"|"drift", "cause"} as JSON (got ${raw.slice(0, 80)})`);
  }
  return parsed.project === project ? { kind: parsed.kind, cause: parsed.cause } : null;
}

/** The value of `SLUICE_TRIGGER` for a retrain of `project`. */
export function encodeRetrainTrigger(project: string, trigger: Trigger): string {
  return JSON.stringify({ project, kind: trigger.kind, cause: trigger.cause });
}
