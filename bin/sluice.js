#!/usr/bin/env node
// Entry point: the compiled CLI in dist/ (built by `npm run build`, which
// `npm ci` runs through `prepare`). A checkout that has not been built yet
// falls back to running the TypeScript sources through tsx.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/src/cli/main.js", import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
