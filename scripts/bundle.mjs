#!/usr/bin/env node
/**
 * Builds `dist/bundle/`: sluice's compiled modules and yargs as a handful of
 * ES module files, one entry per public import (`cli.js`, `index.js`,
 * `registry.js`, `contracts.js`) plus the stage worker, the code they share
 * split into chunks beside them. The CLI and a pipeline file's
 * `import ... from "sluice"` reach the same chunks, so they share one copy of
 * every module. Installed packages other than yargs stay imports: a user's
 * pipeline brings its own zod, and its schemas must be the ones sluice reads.
 *
 * Why: Node resolves, reads and links every ES module file on its own, and a
 * `sluice run` of the compiled tree loaded ~70 of them (~30 ms of a no-op
 * run over a thousand stages); yargs the ordinary way was ~60 files more
 * (~95 ms, most of it `string-width` and its tables, needed only to lay out
 * help text: inlined, it is evaluated on first use).
 *
 * Run by `npm run build` after `tsc`; `bin/sluice.js` uses `dist/bundle/cli.js`
 * when it exists, and the package's exports point into `dist/bundle/`.
 */
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The packages whose code is only needed to measure text for help output. */
const HELP_ONLY = /^string-width$/;

/**
 * `import stringWidth from "string-width"` becomes a function that requires
 * the real module on its first call. esbuild wraps a module reached through
 * `require` so that it is evaluated lazily, which is the point.
 */
const lazyHelpOnly = {
  name: "lazy-help-only",
  setup(builder) {
    builder.onResolve({ filter: HELP_ONLY }, async (args) => {
      if (args.pluginData === "real") return undefined;
      const real = await builder.resolve(args.path, { resolveDir: args.resolveDir, kind: "require-call", pluginData: "real" });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: "lazy-help-only" };
    });
    builder.onLoad({ filter: /.*/, namespace: "lazy-help-only" }, (args) => ({
      contents: [
        "let real;",
        `export default function lazy(...args) { real ??= require(${JSON.stringify(args.path)}).default; return real(...args); }`,
      ].join("\n"),
      resolveDir: root,
      loader: "js",
    }));
    builder.onResolve({ filter: /.*/, namespace: "lazy-help-only" }, (args) => ({ path: args.path, pluginData: "real" }));
  },
};

/**
 * yargs finds its locale files (and the package.json `--version` reads) from
 * its own module's URL; inlined, that URL would be the bundle's. Point it at
 * the installed yargs instead, wherever npm placed it.
 */
const yargsKeepsItsLocation = {
  name: "yargs-keeps-its-location",
  setup(builder) {
    builder.onLoad({ filter: /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      const own = 'new URL("lib/platform-shims/esm.mjs", import.meta.resolve("yargs/package.json"))';
      if (!source.includes("fileURLToPath(import.meta.url)")) {
        return { errors: [{ text: "yargs' platform shim no longer locates itself with fileURLToPath(import.meta.url): revisit scripts/bundle.mjs" }] };
      }
      return { contents: source.replaceAll("fileURLToPath(import.meta.url)", `fileURLToPath(${own})`), loader: "js" };
    });
  },
};

const { dependencies } = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
// Chunk names carry a content hash: chunks of an earlier build would linger.
rmSync(`${root}dist/bundle`, { recursive: true, force: true });

await build({
  entryPoints: {
    cli: `${root}dist/src/cli/main.js`,
    index: `${root}dist/src/index.js`,
    registry: `${root}dist/src/registry/index.js`,
    contracts: `${root}dist/contracts/index.js`,
    // Beside the chunks: the worker pool finds it next to its own module.
    "stage-worker": `${root}dist/src/exec/stage-worker.js`,
    // The sluice server (SLUICE_SERVER=1): bin/sluice.js loads only the client before asking it.
    server: `${root}dist/src/cli/server/server-main.js`,
    "server-client": `${root}dist/src/cli/server/client.js`,
  },
  outdir: `${root}dist/bundle`,
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: Object.keys(dependencies).filter((name) => name !== "yargs"),
  // CommonJS dependencies (y18n, escalade, ...) call require; an ES module has none of its own.
  banner: { js: 'import { createRequire as createRequireForBundle } from "node:module"; const require = createRequireForBundle(import.meta.url);' },
  plugins: [lazyHelpOnly, yargsKeepsItsLocation],
  logLevel: "warning",
});
