// Locations the harness derives from its own file, never hard-coded, so the
// bench runs from any checkout.
import { fileURLToPath } from "node:url";
import { join } from "node:path";

/** The sluice repository root (the parent of `bench/`). */
export const repoRoot = fileURLToPath(new URL("../..", import.meta.url)).replace(/\/$/, "");
export const benchDir = join(repoRoot, "bench");
/** Generated workspaces; git-ignored. */
export const defaultWorkDir = join(benchDir, "work");
export const resultsDir = join(benchDir, "results");
export const bin = (name) => join(repoRoot, "node_modules", ".bin", name);
