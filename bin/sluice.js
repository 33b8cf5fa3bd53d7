#!/usr/bin/env node
// Entry point: the bundled CLI in dist/bundle/ (built by `npm run build`,
// which `npm ci` runs through `prepare`; see scripts/bundle.mjs), or the
// compiled modules in dist/src/ when only `tsc` has run. A checkout that has
// not been built yet falls back to running the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const compiled = ["../dist/bundle/cli.js", "../dist/src/cli/main.js"]
  .map((path) => new URL(path, import.meta.url))
  .find((url) => existsSync(url));
if (compiled) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
