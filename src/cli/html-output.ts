/**
 * Where a command that writes an HTML page (`report`, `plots show|diff`)
 * puts it: `--out` relative to where sluice was started, else a default
 * inside the workspace (under the git-ignored `report/`). A folder gets
 * `index.html`.
 */
import { existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { writeErr } from "../report/index.js";
import { writeFileAtomicSync } from "../util/atomic-write.js";

/** The absolute path of the page. */
export function htmlOutputPath(out: string | undefined, cwd: string, root: string, defaultPath: string): string {
  if (out === undefined) return join(root, defaultPath);
  const path = resolve(cwd, out);
  const isFolder = out.endsWith("/") || (existsSync(path) && statSync(path).isDirectory());
  return isFolder ? join(path, "index.html") : path;
}

/** Writes the page whole (never half a file under its name) and says where. */
export function writeHtmlPage(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, text);
  writeErr(`wrote ${relative(process.cwd(), path) || path}`);
}
