// Emits the DAG as wireit scripts in one package.json: every stage declares
// its input file and its output so wireit can fingerprint and cache it.
// Dependency outputs need no `files` entry: a dependency's fingerprint is
// already part of its dependents' fingerprints.
import { commandTemplate, fillCommand } from "./dag.mjs";
import { inPath, outPath } from "./emit-make.mjs";

export function emitWireit(dag, runLog) {
  const scripts = { all: "wireit" };
  const wireit = { all: { dependencies: dag.sinks } };
  for (const s of dag.stages) {
    scripts[s.name] = "wireit";
    const slots = { in: inPath(s.name), out: outPath(s.name) };
    s.deps.forEach((d, i) => (slots[`dep${i}`] = outPath(d)));
    wireit[s.name] = {
      command: fillCommand(commandTemplate(s, runLog), slots),
      files: [inPath(s.name)],
      output: [outPath(s.name)],
      ...(s.deps.length > 0 ? { dependencies: s.deps } : {}),
    };
  }
  const pkg = { name: "bench-wireit", private: true, scripts, wireit };
  return { "package.json": JSON.stringify(pkg, null, 1) + "\n" };
}
