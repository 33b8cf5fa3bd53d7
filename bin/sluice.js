#!/usr/bin/env node
// Entry point: the bundled CLI in dist/bundle/ (built by `npm run build`,
// which `npm ci` runs through `prepare`; see scripts/bundle.mjs), or the
// compiled modules in dist/src/ when only `tsc` has run. A checkout that has
// not been built yet falls back to running the TypeScript sources through tsx.
//
// With SLUICE_SERVER=1 and a bundle, `run` and `status` first ask the
// workspace's sluice server (src/cli/server/client.ts), loading nothing
// else of sluice; the CLI below runs only when the server does not.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = new URL("../dist/bundle/", import.meta.url);
const served =
  process.env.SLUICE_SERVER === "1" && existsSync(new URL("server.js", bundle))
    ? await (await import(new URL("server-client.js", bundle).href)).runThroughServer(process.argv.slice(2), {
        dir: fileURLToPath(new URL("..", import.meta.url)),
        serverEntry: fileURLToPath(new URL("server.js", bundle)),
      })
    : undefined;
if (served !== undefined) {
  process.exitCode = served;
} else {
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
}
