#!/usr/bin/env node
// A `cmd` stage whose dep is a source folder of 1000 small files (4 KiB,
// a tenth in a subfolder), the command itself nearly free: what laying the
// folder out in the shadow, confirming it after the command and the stat
// cache cost around it. For each sluice checkout given (default: this one),
// interleaved, the CPU (user + sys, GNU time) of
//   - a run where the stage runs (`--set p:one.n=<r>`, a new key each time),
//   - the declared run right after it (a hit), and
//   - a no-op after that.
// CPU rather than wall time: the machine is shared, and load moves wall time
// far more than the differences measured here.
//
//   node bench/folder-dep.mjs [--reps 7] [--files 1000] [--sluice DIR ...]
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { median } from "./lib/measure.mjs";
import { defaultWorkDir, repoRoot } from "./lib/paths.mjs";

const { values } = parseArgs({
  options: {
    reps: { type: "string", default: "7" },
    files: { type: "string", default: "1000" },
    sluice: { type: "string", multiple: true, default: [repoRoot] },
  },
});
const reps = Number(values.reps);
const fileCount = Number(values.files);

/** A workspace running `checkout`'s sluice, built and cached once. */
function workspace(checkout, index) {
  const root = join(defaultWorkDir, `folder-dep-${index}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "node_modules"), { recursive: true });
  symlinkSync(checkout, join(root, "node_modules", "sluice"));
  symlinkSync(join(checkout, "node_modules", "zod"), join(root, "node_modules", "zod"));
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "folder-dep", type: "module", private: true }));
  writeFileSync(join(root, "pipeline.ts"), `import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: ["projects/p"] });\n`);
  mkdirSync(join(root, "projects/p/corpus/sub"), { recursive: true });
  for (let i = 0; i < fileCount; i++) {
    writeFileSync(join(root, "projects/p/corpus", i % 10 === 0 ? "sub" : "", `f${i}.txt`), `${i}\n`.padEnd(4096, "."));
  }
  writeFileSync(
    join(root, "projects/p/pipeline.ts"),
    `import { defineProject, file, source } from "sluice";
export default defineProject("p", (p) => {
  p.stage("one", { deps: { c: source("corpus") }, params: { n: 0 }, outs: { o: file("out/o.txt") }, cmd: "head -c 10 {deps.c}/f1.txt > {outs.o}" });
});
`,
  );
  const bin = join(checkout, "bin", "sluice.js");
  const cpuMs = (args) => {
    const run = spawnSync("/usr/bin/time", ["-f", "%U %S", process.execPath, bin, ...args], { cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, CI: "true" } });
    if (run.status !== 0) throw new Error(`sluice ${args.join(" ")} exited ${run.status}: ${run.stderr}`);
    const [user, sys] = run.stderr.toString().trim().split("\n").pop().split(" ").map(Number);
    return (user + sys) * 1000;
  };
  for (let i = 0; i < 3; i++) cpuMs(["run"]); // built, then hashed with old enough stamps to be remembered
  return { checkout, cpuMs, ran: [], after: [], noop: [] };
}

const subjects = values.sluice.map(workspace);
for (let r = 1; r <= reps; r++) {
  for (const s of subjects) {
    s.ran.push(s.cpuMs(["run", "--set", `p:one.n=${r}`]));
    s.after.push(s.cpuMs(["run"]));
    s.noop.push(s.cpuMs(["run"]));
  }
}
console.log(`| sluice | stage runs | the hit after it | no-op |  (${fileCount} files, CPU ms, medians of ${reps})`);
console.log("|---|---|---|---|");
for (const s of subjects) console.log(`| ${s.checkout} | ${median(s.ran).toFixed(0)} | ${median(s.after).toFixed(0)} | ${median(s.noop).toFixed(0)} |`);
