// Emits the DAG as a Makefile: one rule per stage, a phony `all` over the
// sinks. Make decides by mtime alone, which is the baseline the content-
// addressed tools are measured against.
import { commandTemplate, fillCommand } from "./dag.mjs";

/** @param {import("./dag.mjs").Dag} dag @returns {Record<string,string>} files to write */
export function emitMake(dag, runLog) {
  // Without built-in rules make stops searching implicit rules (RCS, SCCS,
  // `%.txt,v`, ...) for every input file: 10x faster no-op at N=1000, and
  // what a careful Makefile author writes anyway.
  const lines = ["MAKEFLAGS += --no-builtin-rules", ".SUFFIXES:", ".PHONY: all", `all: ${dag.sinks.map(outPath).join(" ")}`, ""];
  for (const s of dag.stages) {
    const prereqs = [inPath(s.name), ...s.deps.map(outPath)].join(" ");
    lines.push(`${outPath(s.name)}: ${prereqs}`);
    lines.push(`\t${fillCommand(commandTemplate(s, runLog), slots(s))}`);
  }
  return { Makefile: lines.join("\n") + "\n" };
}

function slots(s) {
  const out = { in: inPath(s.name), out: outPath(s.name) };
  s.deps.forEach((d, i) => (out[`dep${i}`] = outPath(d)));
  return out;
}

export const inPath = (name) => `inputs/${name}.txt`;
export const outPath = (name) => `out/${name}.txt`;
