/**
 * Names a command hands the registry become parts of file paths
 * (`registry/<project>/<alias>.json`) and of log lines. They are checked
 * against the contracts before anything is planned, so `../x`, `a/b` or
 * `/etc` is refused as a usage error naming the rule, never joined into a
 * path and never left for the event contract to reject as an internal error.
 */
import type { z } from "zod";
import { AliasName, Name, ReleaseName } from "../../contracts/index.js";
import { fail, ok, type Result } from "../util/result.js";
import type { RegistryRefusal } from "./refusal.js";

/** The names of one request; absent (or null: "no release") means not given. */
export interface RequestNames {
  readonly project?: string;
  readonly alias?: string;
  readonly release?: string | null;
}

const RULES: readonly (readonly [keyof RequestNames, z.ZodString])[] = [
  ["project", Name],
  ["alias", AliasName],
  ["release", ReleaseName],
];

/** The first name that breaks its contract, as an `invalid-name` refusal. */
export function checkNames(names: RequestNames): Result<void, RegistryRefusal> {
  for (const [kind, schema] of RULES) {
    const value = names[kind];
    if (value === undefined || value === null) continue;
    const parsed = schema.safeParse(value);
    if (!parsed.success) return fail({ reason: "invalid-name", kind, value, rule: parsed.error.issues[0]?.message ?? "invalid" });
  }
  return ok(undefined);
}
