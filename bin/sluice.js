#!/usr/bin/env node
// Entry point: the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci` runs through `prepare`), as the bundle with its argument parser
// inlined (scripts/bundle-cli.mjs) when there is one. A checkout that has
// not been built yet falls back to running the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const compiled = ["../dist/src/cli/main.bundle.js", "../dist/src/cli/main.js"]
  .map((path) => new URL(path, import.meta.url))
  .find((url) => existsSync(url));
if (compiled) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
