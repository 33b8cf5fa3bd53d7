/**
 * Where an operation that writes an HTML page (`report`, `plots show|diff`)
 * puts it: `--out` relative to where sluice was started, else a default
 * inside the workspace (under the git-ignored `report/`). A folder gets
 * `index.html`. The page is written whole, never half a file under its name.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, statSync } from "node:fs";
import { delimiter, dirname, join, resolve } from "node:path";
import { writeFileAtomicSync } from "../util/atomic-write.js";

/** The absolute path of the page. */
export function htmlOutputPath(out: string | undefined, cwd: string, root: string, defaultPath: string): string {
  if (out === undefined) return join(root, defaultPath);
  const path = resolve(cwd, out);
  const isFolder = out.endsWith("/") || (existsSync(path) && statSync(path).isDirectory());
  return isFolder ? join(path, "index.html") : path;
}

/** Writes the page whole. */
export function writeHtmlPage(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileAtomicSync(path, text);
}

/**
 * Best effort: hands the file to xdg-open and never waits for it or fails
 * the command. Returns the line to show: that it is opening, or why not.
 */
export function openInBrowser(file: string, onProblem: (message: string) => void): string {
  const opener = (process.env["PATH"] ?? "").split(delimiter).map((dir) => join(dir, "xdg-open")).find((p) => existsSync(p));
  if (!opener) return `--open: xdg-open is not available; open ${file} in a browser`;
  const child = spawn(opener, [file], { detached: true, stdio: "ignore" });
  child.on("error", (error) => onProblem(`--open: ${error.message}; open ${file} in a browser`));
  child.unref();
  return `opening ${file} with xdg-open`;
}
