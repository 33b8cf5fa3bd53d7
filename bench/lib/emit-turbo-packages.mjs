// Emits the DAG for turbo as one workspace package per stage, the encoding
// turbo is built for and its fastest no-op: `packages/<stage>/package.json`
// with a `build` script and a dependency on each upstream stage's package,
// and one `build` task with `dependsOn: ["^build"]`. A package's input is
// `in.txt`, a hard link to the shared `inputs/<stage>.txt` (the scenarios
// write that file in place, so the link sees every edit), and its output
// `out.txt`, which the script also copies to the shared `out/` the outputs
// cross-check reads: one `cp` per task, next to the `npm run` turbo starts
// each task through.
import { commandTemplate, fillCommand } from "./dag.mjs";
import { outPath } from "./emit-make.mjs";

/** The package folder of a stage, from the workspace root. */
export const packageDir = (name) => `packages/${name}`;

export function emitTurboPackages(dag, runLog, npmVersion) {
  const files = {};
  const lockPackages = { "": { name: "bench-turbo-packages", workspaces: ["packages/*"] } };
  for (const s of dag.stages) {
    const slots = { in: "in.txt", out: "out.txt" };
    s.deps.forEach((d, i) => (slots[`dep${i}`] = `../${d}/out.txt`));
    const build = `${fillCommand(commandTemplate(s, runLog), slots)} && cp out.txt ../../${outPath(s.name)}`;
    const dependencies = Object.fromEntries(s.deps.map((d) => [d, "*"]));
    const pkg = { name: s.name, version: "0.0.0", private: true, scripts: { build }, ...(s.deps.length > 0 ? { dependencies } : {}) };
    files[`${packageDir(s.name)}/package.json`] = JSON.stringify(pkg, null, 1) + "\n";
    lockPackages[packageDir(s.name)] = { name: s.name, version: "0.0.0", ...(s.deps.length > 0 ? { dependencies } : {}) };
    lockPackages[`node_modules/${s.name}`] = { resolved: packageDir(s.name), link: true };
  }
  const root = { name: "bench-turbo-packages", private: true, packageManager: `npm@${npmVersion}`, workspaces: ["packages/*"] };
  // npm's own lockfile format for workspaces: each package, and the link that makes it a dependency of the others.
  const lock = { name: "bench-turbo-packages", lockfileVersion: 3, requires: true, packages: lockPackages };
  const task = { dependsOn: ["^build"], inputs: ["in.txt"], outputs: ["out.txt"] };
  files["package.json"] = JSON.stringify(root, null, 1) + "\n";
  files["package-lock.json"] = JSON.stringify(lock, null, 1) + "\n";
  files["turbo.json"] = JSON.stringify({ $schema: "https://turborepo.com/schema.json", tasks: { build: task } }, null, 1) + "\n";
  return files;
}
