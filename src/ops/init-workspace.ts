/**
 * `sluice init`: scaffolds a workspace in a folder. Writes package.json only
 * when there is none, appends what is missing of `node_modules`,
 * `/cache/` and `/report/` to an existing .gitignore, and refuses (naming them) when any
 * other file it would write already exists: init never overwrites someone's
 * work.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { refuse, type OpResult } from "./failure.js";
import { gitignoreLines, projectName, scaffoldFiles, scaffoldPackageJson } from "./init-scaffold.js";

export interface InitializedWorkspace {
  readonly root: string;
  readonly project: string;
  readonly created: readonly string[];
  readonly updated: readonly string[];
  /** Worth a note: an existing package.json that is not an ES module package. */
  readonly notModule: boolean;
}

export function initWorkspace(cwd: string): OpResult<InitializedWorkspace> {
  const root = resolve(cwd);
  const name = projectName(basename(root));
  const files = scaffoldFiles(name);
  const existing = files.map((f) => f.path).filter((path) => existsSync(join(root, path)));
  if (existing.length > 0) {
    return refuse("usage", `sluice init would overwrite ${existing.join(", ")} in ${root}; move them away or init in an empty folder`);
  }
  const created: string[] = [];
  const packageJson = join(root, "package.json");
  const hadPackage = existsSync(packageJson);
  if (!hadPackage) {
    write(root, "package.json", scaffoldPackageJson(name));
    created.push("package.json");
  }
  for (const file of files) {
    write(root, file.path, file.text);
    created.push(file.path);
  }
  const ignored = ignoreGenerated(root, gitignoreLines(name));
  if (ignored === "created") created.push(".gitignore");
  return { ok: true, value: { root, project: name, created, updated: ignored === "updated" ? [".gitignore"] : [], notModule: hadPackage && !isModulePackage(packageJson) } };
}

/** Makes .gitignore name what sluice generates: a new file, lines appended to an existing one, or nothing to do. */
function ignoreGenerated(root: string, lines: readonly string[]): "created" | "updated" | "unchanged" {
  const gitignore = join(root, ".gitignore");
  if (!existsSync(gitignore)) {
    write(root, ".gitignore", `${lines.join("\n")}\n`);
    return "created";
  }
  const text = readFileSync(gitignore, "utf8");
  const bare = (pattern: string) => pattern.trim().replace(/^\/|\/$/g, "");
  const missing = lines.filter((line) => !text.split("\n").some((l) => bare(l) === bare(line)));
  if (missing.length === 0) return "unchanged";
  appendFileSync(gitignore, `${text.endsWith("\n") || text === "" ? "" : "\n"}${missing.join("\n")}\n`);
  return "updated";
}

function write(root: string, path: string, text: string): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  // `wx`: a file that appeared since the check is still never overwritten.
  writeFileSync(full, text, { flag: "wx" });
}

function isModulePackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, "utf8")) as { type?: unknown }).type === "module";
  } catch {
    return false;
  }
}
