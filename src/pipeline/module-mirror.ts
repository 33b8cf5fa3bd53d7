/**
 * A compiled mirror of the workspace's TypeScript modules under
 * `cache/compiled/`, so loading `pipeline.ts` needs no loader hooks: on a
 * no-op run every module is plain JavaScript that was compiled before, and
 * a file is recompiled (esbuild, one file at a time) only when its size,
 * mtime or inode changed. Relative imports keep working because the mirror
 * has the same shape as the workspace (`helper.ts` -> `helper.js`), and bare
 * imports resolve through the workspace's node_modules above it. A
 * workspace importing itself by its package name (the repository's own
 * example imports "sluice") finds itself through a link in the mirror's
 * node_modules: the mirror's package.json hides the workspace's.
 *
 * `import.meta.url` is compiled to the original file's URL, and a source
 * map beside each compiled file (`mirror-positions.ts` reads it) points
 * diagnostics and stack frames back at the `.ts` source.
 */
import { mkdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomicSync } from "../util/atomic-write.js";
import { onCommandStart } from "../util/command-scope.js";
import { evaluationBanner } from "./load-watchdog.js";
import { mapFileOf } from "./mirror-positions.js";
import { scanImports } from "./module-graph.js";

/**
 * 2: source maps in `.map` files beside the compiled ones, no longer inline.
 * 4: each compiled file starts by naming itself to the load watchdog.
 */
const MANIFEST_VERSION = 4;
/** Timestamps this close to the recording time may hide a later write (see the stat cache). */
const RACY_MS = 50;
const OUTPUT_EXTENSION: Readonly<Record<string, string>> = {
  ".ts": ".js",
  ".tsx": ".js",
  ".mts": ".mjs",
  ".js": ".js",
  ".mjs": ".mjs",
  ".jsx": ".js",
};

interface ManifestEntry {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly recordedAt: number;
  /** Workspace-relative paths of the local modules this one imports. */
  readonly imports: readonly string[];
}

interface Manifest {
  readonly version: number;
  readonly compiler: string;
  readonly files: Record<string, ManifestEntry>;
}

/** Why a module graph cannot be mirrored; the loader then falls back to loader hooks. */
export class NotMirrorable extends Error {}

/** A compile error in a user file, with its position. */
export class CompileError extends Error {
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }
}

/**
 * Spelt in pieces: written whole, this line of sluice's own code reads as a
 * source map comment to Node, which then looks for a map beside the bundle.
 */
const MAP_COMMENT = ["//#", "sourceMappingURL="].join(" ");

/**
 * Mirror file -> original source. Kept on the global object because a
 * workspace may load its own copy of this module (importing the API by a
 * relative path), and every copy's call sites must see the same mapping.
 */
const originals: Map<string, string> = ((globalThis as Record<symbol, unknown>)[Symbol.for("sluice.mirror.originals")] ??= new Map<
  string,
  string
>()) as Map<string, string>;

/** The original source of a mirrored file (absolute paths), for call sites. */
export function originalOf(mirrorFile: string): string | undefined {
  return originals.get(mirrorFile);
}

export class ModuleMirror {
  readonly #root: string;
  readonly #dir: string;
  readonly #manifestPath: string;
  #manifest: Manifest | undefined;
  #dirty = false;

  constructor(workspaceRoot: string) {
    this.#root = workspaceRoot;
    this.#dir = join(workspaceRoot, "cache", "compiled");
    this.#manifestPath = join(this.#dir, "manifest.json");
  }

  /** The mirror path of an original module. */
  mirrorOf(file: string): string {
    const rel = relative(this.#root, file);
    const extension = extname(rel);
    return join(this.#dir, rel.slice(0, rel.length - extension.length) + (OUTPUT_EXTENSION[extension] ?? extension));
  }

  /** The workspace path a mirror path stands for (whether or not that file exists); other paths as they are. */
  originalPathOf(path: string): string {
    const rel = relative(this.#dir, path);
    return rel.startsWith("..") || isAbsolute(rel) ? path : join(this.#root, rel);
  }

  /**
   * Compiles `entry` and every local module it reaches, where stale, and
   * returns the mirror path of `entry`.
   */
  async prepare(entry: string): Promise<string> {
    const manifest = this.#load();
    const pending = [relative(this.#root, entry)];
    const seen = new Set<string>();
    let esbuild: typeof import("esbuild") | undefined;
    while (pending.length > 0) {
      const rel = pending.pop() as string;
      if (seen.has(rel)) continue;
      seen.add(rel);
      if (rel.startsWith("..") || isAbsolute(rel) || !(extname(rel) in OUTPUT_EXTENSION)) {
        throw new NotMirrorable(`${rel} is outside the workspace or not a script`);
      }
      const source = join(this.#root, rel);
      const info = statSync(source);
      const known = manifest.files[rel];
      const fresh =
        known &&
        known.size === info.size &&
        known.mtimeMs === info.mtimeMs &&
        known.ino === info.ino &&
        known.recordedAt - info.mtimeMs > RACY_MS &&
        statSync(this.mirrorOf(source), { throwIfNoEntry: false }) !== undefined;
      let imports = known?.imports ?? [];
      if (!fresh) {
        esbuild ??= await import("esbuild");
        imports = this.#compile(esbuild, source);
        manifest.files[rel] = { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, recordedAt: Date.now(), imports };
        this.#dirty = true;
      }
      originals.set(this.mirrorOf(source), source);
      for (const next of imports) if (!seen.has(next)) pending.push(next);
    }
    this.#save();
    return this.mirrorOf(entry);
  }

  #compile(esbuild: typeof import("esbuild"), source: string): string[] {
    const text = readFileSync(source, "utf8");
    const extension = extname(source);
    const url = pathToFileURL(source).href;
    let compiled: { code: string; map: string };
    try {
      compiled = esbuild.transformSync(text, {
        loader: extension === ".tsx" ? "tsx" : extension === ".jsx" ? "jsx" : extension.endsWith("ts") ? "ts" : "js",
        format: "esm",
        target: "node20",
        // Not inline: Node would decode an inline map with the module (see mirror-positions.ts).
        sourcemap: "external",
        sourcefile: source,
        // Which file was running when a load is stopped (load-watchdog.ts); the map accounts for the line.
        banner: evaluationBanner(source),
        define: {
          "import.meta.url": JSON.stringify(url),
          "import.meta.filename": JSON.stringify(source),
          "import.meta.dirname": JSON.stringify(dirname(source)),
        },
      });
    } catch (error) {
      const first = (error as { errors?: { text: string; location?: { line: number; column: number } }[] }).errors?.[0];
      if (!first) throw error;
      throw new CompileError(first.text, source, first.location?.line ?? 1, (first.location?.column ?? 0) + 1);
    }
    const target = this.mirrorOf(source);
    try {
      writeFileAtomicSync(mapFileOf(target), compiled.map);
      writeFileAtomicSync(target, `${compiled.code}${MAP_COMMENT}${basename(mapFileOf(target))}\n`);
    } catch (error) {
      // A read-only or full cache: load through loader hooks instead.
      throw new NotMirrorable(`cannot write ${target}: ${(error as Error).message}`);
    }
    return scanImports(source).local.map((file) => relative(this.#root, file));
  }

  #load(): Manifest {
    if (this.#manifest) return this.#manifest;
    let manifest: Manifest | undefined;
    try {
      manifest = JSON.parse(readFileSync(this.#manifestPath, "utf8")) as Manifest;
    } catch {
      manifest = undefined;
    }
    const compiler = compilerVersion();
    if (!manifest || manifest.version !== MANIFEST_VERSION || manifest.compiler !== compiler) {
      manifest = { version: MANIFEST_VERSION, compiler, files: {} };
    }
    this.#manifest = manifest;
    // Checked on every load, not only when something recompiles: a link removed by hand would
    // otherwise send every later load to the loader hooks.
    linkWorkspacePackage(this.#root, this.#dir);
    return manifest;
  }

  #save(): void {
    if (!this.#dirty || !this.#manifest) return;
    try {
      // Compiled files are ES modules whatever the workspace's package.json says.
      // Atomic like the rest: a run killed mid-write once left an empty one
      // here, which every later run failed to load.
      writeFileAtomicSync(join(this.#dir, "package.json"), '{ "type": "module" }\n');
      writeFileAtomicSync(this.#manifestPath, JSON.stringify(this.#manifest));
      this.#dirty = false;
    } catch (error) {
      throw new NotMirrorable(`cannot write ${this.#manifestPath}: ${(error as Error).message}`);
    }
  }
}

/**
 * Makes `import "<name>"` of a workspace whose package.json has a name and
 * exports resolve from the mirror as it does from the workspace, where Node
 * resolves a package's own name to itself. The link points at the
 * workspace, so the module loaded is the very file the original resolves to.
 */
function linkWorkspacePackage(root: string, mirrorDir: string): void {
  let manifest: { name?: unknown; exports?: unknown };
  try {
    manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as typeof manifest;
  } catch {
    return; // no package.json or not JSON: nothing resolves to the workspace by name
  }
  const name = manifest.name;
  if (typeof name !== "string" || manifest.exports === undefined || !/^(@[\w.-]+\/)?[\w.-]+$/.test(name)) return;
  const link = join(mirrorDir, "node_modules", name);
  try {
    if (readlinkSync(link) === root) return;
  } catch {
    // absent, or not a link
  }
  try {
    rmSync(link, { recursive: true, force: true });
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(root, link, "dir");
  } catch {
    // A read-only cache: the self-import then fails to resolve and the load falls back to loader hooks.
  }
}

let version: string | undefined;
onCommandStart(() => (version = undefined));

/** The esbuild version: a new compiler invalidates every compiled file. */
function compilerVersion(): string {
  if (!version) {
    try {
      version = (JSON.parse(readFileSync(new URL(import.meta.resolve("esbuild/package.json")), "utf8")) as { version: string }).version;
    } catch {
      version = "unknown";
    }
  }
  return version;
}
