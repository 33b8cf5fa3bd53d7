/**
 * The JSON Schema files generated from the zod contracts, for readers that
 * are not TypeScript (a Python evaluation step, a serving system reading an
 * alias file). Regenerate with `node --import tsx contracts/generate.ts`;
 * a test fails when a committed file is out of date.
 */
import { z } from "zod";
import { GateResult } from "./gate-result.js";
import { PromotionPolicy } from "./promotion-policy.js";
import { ReleaseManifest } from "./release-manifest.js";

/** Committed file name (in `contracts/`) -> the schema it is generated from. */
export const JSON_SCHEMA_FILES: Readonly<Record<string, z.ZodType>> = {
  "release_manifest.schema.json": ReleaseManifest,
  "promotion_policy.schema.json": PromotionPolicy,
  "gate_result.schema.json": GateResult,
};

/** File name -> the exact text that file must hold. */
export function renderJsonSchemas(): Map<string, string> {
  const files = new Map<string, string>();
  for (const [name, schema] of Object.entries(JSON_SCHEMA_FILES)) {
    files.set(name, `${JSON.stringify(z.toJSONSchema(schema, { target: "draft-2020-12" }), null, 2)}\n`);
  }
  return files;
}
