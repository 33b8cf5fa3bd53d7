/**
 * The version of the installed sluice, read from sluice's own package.json.
 * yargs' `.version()` without an argument reads the package.json nearest to
 * the *working directory*, which in a user's repository is their package,
 * not ours.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Walks up from this module (dist/bundle/, dist/src/cli/ or src/cli/, each
 * inside the package) to the first package.json naming sluice.
 */
export function ownVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "package.json");
    if (existsSync(candidate)) {
      const manifest = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string };
      if (manifest.name === "sluice" && manifest.version) return manifest.version;
    }
    const parent = dirname(dir);
    if (parent === dir) return "unknown";
    dir = parent;
  }
}
