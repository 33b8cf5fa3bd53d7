/**
 * Static import scanning of local TypeScript/JavaScript modules, for code
 * identity: which local files a module reaches, transitively, and which
 * external packages those files import. The scan is textual (it may see an
 * import inside a comment), which only ever makes a key more conservative.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { commandScopedMap } from "../util/command-scope.js";

/** A static import or re-export (groups 1, 2), or a dynamic import of a quoted name (3) or of a template without `${}` (4). */
const IMPORT_SPECIFIER =
  /(?:^|[^\w$.])(?:import|export)\s*(type\s+)?(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']|(?:^|[^\w$.])import\s*\(\s*(?:["']([^"']+)["']|`((?:[^`$]|\$(?!\{))+)`)\s*[,)]/g;
const RESOLVE_SUFFIXES = ["", ".ts", ".tsx", ".mts", ".cts", ".js", ".mjs", "/index.ts", "/index.js"];
const BUILTINS = new Set(builtinModules);

/** The local files and the external packages a module imports directly. */
export interface ModuleImports {
  readonly local: readonly string[];
  readonly packages: readonly string[];
  /** Those of `local` named only by `import("…")`: loaded when the call runs, not with the importer. */
  readonly deferred?: readonly string[];
  /** Where the first `import(…)` of a local module by a name computed as the code runs is written, if anywhere. */
  readonly computedAt?: { readonly line: number; readonly column: number };
}

/** One import, re-export or dynamic `import()` in a module's text, where it is written. */
export interface ImportStatement {
  /** The module named, as written (`"./dag.js"`, `"zod"`, `"node:fs"`). */
  readonly specifier: string;
  /** `import type` / `export type`: erased when compiled, so no module is loaded. */
  readonly typeOnly: boolean;
  /** `import("…")`: the module loads when the call runs, not with its importer. */
  readonly dynamic: boolean;
  /** 1-based line of the specifier. */
  readonly line: number;
}

/** Every import statement in a module's text, in order (the same textual scan as `scanImports`). */
export function importStatements(text: string): ImportStatement[] {
  const statements: ImportStatement[] = [];
  // Lines are counted on from the previous match, so the scan stays linear.
  let line = 1;
  let counted = 0;
  for (const statement of text.matchAll(IMPORT_SPECIFIER)) {
    const specifier = statement[2] ?? statement[3] ?? statement[4];
    if (!specifier) continue;
    const at = statement.index + statement[0].indexOf(specifier);
    for (let i = text.indexOf("\n", counted); i !== -1 && i < at; i = text.indexOf("\n", i + 1)) line++;
    counted = at;
    statements.push({ specifier, typeOnly: Boolean(statement[1]), dynamic: statement[2] === undefined, line });
  }
  return statements;
}

/** Reads a module and lists what it imports; type-only imports are skipped. */
export function scanImports(file: string): ModuleImports {
  const text = readFileSync(file, "utf8");
  const local = new Set<string>();
  const loadedWith = new Set<string>();
  const packages = new Set<string>();
  for (const { specifier, typeOnly, dynamic } of importStatements(text)) {
    if (typeOnly) continue; // `import type`: erased, not code
    if (specifier.startsWith(".") || specifier.startsWith("/")) {
      const target = resolveLocal(dirname(file), specifier);
      if (target) local.add(target);
      if (target && !dynamic) loadedWith.add(target);
    } else if (!specifier.startsWith("node:") && !BUILTINS.has(specifier.split("/")[0] ?? "")) {
      packages.add(packageName(specifier));
    }
  }
  const deferred = [...local].filter((target) => !loadedWith.has(target)).sort();
  const computedAt = computedImportAt(text);
  return {
    local: [...local].sort(),
    packages: [...packages].sort(),
    ...(deferred.length > 0 ? { deferred } : {}),
    ...(computedAt !== undefined ? { computedAt } : {}),
  };
}

/** Where a dynamic `import(` starts its argument. */
const DYNAMIC_IMPORT = /(?:^|[^\w$.])import\s*\(\s*/g;

/**
 * Where the first dynamic import of a local module by a computed name is
 * written: a relative path built as the code runs, ``import(`./models/${name}.js`)``
 * or `import("./models/" + name)`. (A module named by a variable alone may
 * be a package, which the key holds by its version, or anything: not told.)
 */
function computedImportAt(text: string): { line: number; column: number } | undefined {
  for (const call of text.matchAll(DYNAMIC_IMPORT)) {
    const argument = text.slice(call.index + call[0].length, call.index + call[0].length + 500);
    const relativeTemplate = /^`\.\.?\/[^`]*\$\{/.test(argument);
    const relativeSum = /^(["'])\.\.?\/[^"'\n]*\1\s*\+/.test(argument);
    const at = call.index + call[0].indexOf("import");
    // Refused for this, so not for the words in a comment or a string (a worker's source, say).
    if ((relativeTemplate || relativeSum) && inCode(text, at)) return positionOf(text, at);
  }
  return undefined;
}

/** Whether a `/` at `at` starts a regular expression literal rather than a division: what comes before it says. */
function regexMayStart(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - 12), at).trimEnd();
  return before === "" || /[(,=:[!&|?{};+\-*%<>~^]$/.test(before) || /(^|[^\w$])(return|typeof|case|do|else|in|of|void|yield|await)$/.test(before);
}

/**
 * Whether `offset` of a module's text is code: not inside a comment, a
 * quoted string, a regular expression literal or the text of a template
 * literal (its `${}` is code).
 */
function inCode(text: string, offset: number): boolean {
  // Each open template literal, and the braces open in the `${` code inside it.
  const templates: number[] = [];
  let i = 0;
  const skipQuoted = (quote: string) => {
    for (i++; i < text.length && text[i] !== quote && text[i] !== "\n"; i++) if (text[i] === "\\") i++;
  };
  while (i < offset) {
    const char = text[i] as string;
    const inTemplateText = templates.length > 0 && templates[templates.length - 1] === -1;
    if (inTemplateText) {
      if (char === "\\") i++;
      else if (char === "`") templates.pop();
      else if (char === "$" && text[i + 1] === "{") {
        templates[templates.length - 1] = 0;
        i++;
      }
    } else if (char === "/" && text[i + 1] === "/") {
      const end = text.indexOf("\n", i);
      if (end < 0 || end >= offset) return false;
      i = end;
    } else if (char === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0 || end + 2 > offset) return false;
      i = end + 1;
    } else if (char === "'" || char === '"') {
      skipQuoted(char);
      if (i >= offset) return false;
    } else if (char === "/" && regexMayStart(text, i)) {
      // A regular expression literal: its quotes and backticks are not strings.
      let inClass = false;
      for (i++; i < text.length && text[i] !== "\n" && (inClass || text[i] !== "/"); i++) {
        if (text[i] === "\\") i++;
        else if (text[i] === "[") inClass = true;
        else if (text[i] === "]") inClass = false;
      }
      if (i >= offset) return false;
    } else if (char === "`") templates.push(-1);
    else if (templates.length > 0 && (char === "{" || char === "}")) {
      // `}` at depth 0 ends the `${`: back to the template's text (-1).
      const depth = templates.pop() as number;
      templates.push(char === "{" ? depth + 1 : depth - 1);
    }
    i++;
  }
  return templates.length === 0 || templates[templates.length - 1] !== -1;
}

/** Where a run stage's code imports a module by a name computed as it runs, if anywhere in `entry`'s closure. */
export function computedImportIn(entry: string, scan: (file: string) => ModuleImports = scanImports): { file: string; line: number; column: number } | undefined {
  for (const file of importClosure(entry, scan).local) {
    const at = scan(file).computedAt;
    if (at !== undefined) return { file, ...at };
  }
  return undefined;
}

/** Every local file reachable from `entry` (entry included) and every package they import. */
export function importClosure(entry: string, scan: (file: string) => ModuleImports = scanImports): ModuleImports {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const imports = scan(file);
    for (const pkg of imports.packages) packages.add(pkg);
    for (const next of imports.local) if (!seen.has(next)) pending.push(next);
  }
  return { local: [...seen].sort(), packages: [...packages].sort() };
}

/** A relative import naming a file that does not exist, where it is written. */
export interface MissingImport {
  readonly importer: string;
  readonly specifier: string;
  readonly line: number;
  readonly column: number;
}

/**
 * The import in `importer` that names `target` (an absolute path, as the
 * loader resolved it), when no file answers to it: a loader error says
 * which file was not found and who imported it, but not the line, and not
 * the specifier as written.
 */
export function missingImport(importer: string, target: string): MissingImport | undefined {
  let text: string;
  try {
    text = readFileSync(importer, "utf8");
  } catch {
    return undefined;
  }
  for (const statement of text.matchAll(IMPORT_SPECIFIER)) {
    const specifier = statement[2] ?? statement[3] ?? statement[4];
    if (!specifier || !(specifier.startsWith(".") || specifier.startsWith("/"))) continue;
    if (resolve(dirname(importer), specifier) !== target || resolveLocal(dirname(importer), specifier)) continue;
    return { importer, specifier, ...positionOf(text, statement.index + statement[0].indexOf(specifier) - 1) };
  }
  return undefined;
}

/**
 * Where `importer` imports `name` (a package name or a specifier as
 * written), for a loader error that names both but not the line.
 */
export function importPosition(importer: string, name: string): { line: number; column: number } | undefined {
  let text: string;
  try {
    text = readFileSync(importer, "utf8");
  } catch {
    return undefined;
  }
  for (const statement of text.matchAll(IMPORT_SPECIFIER)) {
    const specifier = statement[2] ?? statement[3] ?? statement[4];
    if (!specifier || (specifier !== name && packageName(specifier) !== name)) continue;
    return positionOf(text, statement.index + statement[0].indexOf(specifier) - 1);
  }
  return undefined;
}

/** 1-based line and column of an offset. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split("\n").length, column: offset - before.lastIndexOf("\n") };
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
export function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/**
 * The local file a relative or absolute specifier names, as TypeScript's
 * `nodenext` resolution finds it (`./x.js` meaning `./x.ts`), if any.
 */
export function resolveLocal(fromDir: string, specifier: string): string | undefined {
  const base = resolve(fromDir, specifier);
  // TypeScript sources import "./x.js" meaning "./x.ts".
  const stems = /\.(c|m)?js$/.test(base) ? [base.replace(/\.(c|m)?js$/, ""), base] : [base];
  for (const stem of stems) {
    for (const suffix of RESOLVE_SUFFIXES) {
      const candidate = stem + suffix;
      if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    }
  }
  return undefined;
}

const scans = commandScopedMap<string, ModuleImports>();

/**
 * `scanImports`, once per file per command: loading the workspace and
 * computing code identities walk the same closures many times over.
 */
export function scanImportsOnce(file: string): ModuleImports {
  let scan = scans.get(file);
  if (!scan) {
    scan = scanImports(file);
    scans.set(file, scan);
  }
  return scan;
}
