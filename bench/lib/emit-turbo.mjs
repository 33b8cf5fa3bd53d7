// Emits the DAG for turbo in single-package mode: one package.json script and
// one turbo.json task per stage, same-package `dependsOn` for the edges. This
// is the leanest encoding turbo accepts: the alternative, one workspace
// package per stage, needs N package.json files and a dependency entry per
// edge, and turbo would still launch each task through the package manager.
import { commandTemplate, fillCommand } from "./dag.mjs";
import { inPath, outPath } from "./emit-make.mjs";

export function emitTurbo(dag, runLog, npmVersion) {
  const scripts = {};
  const tasks = { all: { dependsOn: dag.sinks, cache: false } };
  for (const s of dag.stages) {
    const slots = { in: inPath(s.name), out: outPath(s.name) };
    s.deps.forEach((d, i) => (slots[`dep${i}`] = outPath(d)));
    scripts[s.name] = fillCommand(commandTemplate(s, runLog), slots);
    tasks[s.name] = {
      inputs: [inPath(s.name)],
      outputs: [outPath(s.name)],
      ...(s.deps.length > 0 ? { dependsOn: s.deps } : {}),
    };
  }
  const pkg = { name: "bench-turbo", private: true, packageManager: `npm@${npmVersion}`, scripts };
  // turbo reads the lockfile to hash external dependencies; an empty one says
  // "there are none" without running npm install.
  const lock = { name: "bench-turbo", lockfileVersion: 3, requires: true, packages: { "": { name: "bench-turbo" } } };
  return {
    "package.json": JSON.stringify(pkg, null, 1) + "\n",
    "package-lock.json": JSON.stringify(lock, null, 1) + "\n",
    "turbo.json": JSON.stringify({ $schema: "https://turborepo.com/schema.json", tasks }, null, 1) + "\n",
  };
}
