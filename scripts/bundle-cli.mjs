#!/usr/bin/env node
/**
 * Builds `dist/src/cli/main.bundle.js`: the compiled CLI entry with yargs and
 * its dependencies inlined, every module of sluice itself left as an import
 * of the compiled file beside it (so pipeline files importing `sluice` share
 * those modules with the CLI, not a second copy).
 *
 * Why: importing yargs the ordinary way costs ~95 ms here, a quarter of a
 * no-op `sluice run` over a thousand stages. About half is resolving and
 * compiling its ~60 files; most of the rest is `string-width` and its tables
 * (an `Intl.Segmenter`, the East Asian width ranges), which yargs needs only
 * to lay out help text. Inlined, with `string-width` evaluated on first use,
 * the import costs ~15 ms.
 *
 * Run by `npm run build` after `tsc`; `bin/sluice.js` uses the bundle when it
 * exists.
 */
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
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

/** sluice's own modules stay separate files: only packages are inlined. */
const ownModulesExternal = {
  name: "own-modules-external",
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, (args) => (args.importer.endsWith("/dist/src/cli/main.js") ? { path: args.path, external: true } : undefined));
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
        return { errors: [{ text: "yargs' platform shim no longer locates itself with fileURLToPath(import.meta.url): revisit scripts/bundle-cli.mjs" }] };
      }
      return { contents: source.replaceAll("fileURLToPath(import.meta.url)", `fileURLToPath(${own})`), loader: "js" };
    });
  },
};

await build({
  entryPoints: [`${root}dist/src/cli/main.js`],
  outfile: `${root}dist/src/cli/main.bundle.js`,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies (y18n, escalade, ...) call require; an ES module has none of its own.
  banner: { js: 'import { createRequire as createRequireForBundle } from "node:module"; const require = createRequireForBundle(import.meta.url);' },
  plugins: [ownModulesExternal, lazyHelpOnly, yargsKeepsItsLocation],
  logLevel: "warning",
});
