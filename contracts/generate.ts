/**
 * Writes the generated JSON Schema files beside this script:
 *
 *   node --import tsx contracts/generate.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { renderJsonSchemas } from "./json-schemas.js";

for (const [name, text] of renderJsonSchemas()) {
  writeFileSync(fileURLToPath(new URL(name, import.meta.url)), text);
}
