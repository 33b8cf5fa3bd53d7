/**
 * The sluice server (SLUICE_SERVER=1): `run` and `status` through a warm
 * process give what a process of their own gives, and whatever the server
 * cannot run that way runs in the client's own process.
 */
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync, utimesSync, watch, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BIN, cliEnv, statuses, Workspace, type RunOutput } from "../rig.js";

const SERVED = { SLUICE_SERVER: "1", SLUICE_SERVER_IDLE_MS: "120000" };

let ws: Workspace | undefined;
afterEach(async () => {
  await ws?.run(["server", "stop"]);
  ws?.dispose();
  ws = undefined;
});

/** A pipeline whose evaluation reads the environment and a local helper, like real ones do. */
function servedWorkspace(): Workspace {
  return new Workspace({
    "pipeline.ts": `import { defineProject, file, source } from "sluice";
import { SUFFIX } from "./helper.js";
export default defineProject("s", (p) => {
  const a = p.stage("a", {
    deps: { input: source("input.txt") },
    params: { greeting: process.env["GREETING"] ?? "hello" },
    outs: { out: file("out/a.txt") },
    cmd: "echo a >> $COUNTS/a && printf '%s ' {params.greeting} > {outs.out} && cat {deps.input} >> {outs.out} && echo " + SUFFIX + " >> {outs.out}",
  });
  p.stage("b", { deps: { a: a.outs.out }, outs: { out: file("out/b.txt") }, cmd: "echo b >> $COUNTS/b && tr a-z A-Z < {deps.a} > {outs.out}" });
});
`,
    "helper.ts": `export const SUFFIX = "one";\n`,
    "input.txt": "data\n",
  });
}

/** How many commands the workspace's server has run, or undefined when none is running. */
async function servedCount(workspace: Workspace): Promise<number | undefined> {
  const out = await workspace.run(["server", "status", "--json"]);
  const status = JSON.parse(out.stdout) as { running: boolean; commands?: number };
  return status.running ? status.commands : undefined;
}

/** Resolves once the workspace's server has ended `count` commands (a command whose client is gone ends unseen). */
async function servedCommandsReach(workspace: Workspace, count: number): Promise<void> {
  while (((await servedCount(workspace)) ?? 0) < count) await new Promise((resolve) => setTimeout(resolve, 50));
}

/** Resolves once `path` exists: its folder is watched, not polled. */
function fileAppears(path: string): Promise<void> {
  return new Promise((resolve) => {
    const watcher = watch(dirname(path), () => check());
    const check = () => {
      if (!existsSync(path)) return;
      watcher.close();
      resolve();
    };
    check();
  });
}

/** Resolves once process `pid` (not a child of this one, so nothing tells when it ends) is gone. */
async function processEnds(pid: number): Promise<void> {
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * `sluice <args>` on a terminal of 120 columns (a pseudo-terminal of
 * script(1)), outside CI: what a user at a terminal sees, with durations
 * blanked. The cursor is shown again at the end once or (a process of its
 * own, at its exit, once more) twice: both read as `<cursor shown>`.
 * `last` is the task list as it is left on the screen (the frames before
 * it depend on timing).
 */
function onTerminal(workspace: Workspace, args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number | null; screen: string; last: string }> {
  const line = ["stty cols 120 rows 40;", "exec", process.execPath, BIN, ...args].join(" ");
  const child = spawn("script", ["-qfec", line, "/dev/null"], {
    cwd: workspace.root,
    env: cliEnv({ CI: "", TERM: "xterm-256color", COUNTS: workspace.counts, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let screen = "";
  child.stdout.on("data", (d: Buffer) => (screen += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      const shown = screen.replace(/\d+(\.\d+)? ?m?s\b/g, "<t>").replace(/(\x1b\[\?25h)+$/, "<cursor shown>");
      resolve({ code, screen: shown, last: shown.slice(shown.lastIndexOf("\x1b[G")) });
    }),
  );
}

async function servedRun(workspace: Workspace, env: Record<string, string> = {}): Promise<RunOutput & { stages: Record<string, string> }> {
  const out = await workspace.run(["run", "--json"], { env: { ...SERVED, ...env } });
  let parsed: { stages: { id: string; status: string }[] };
  try {
    parsed = JSON.parse(out.stdout) as typeof parsed;
  } catch {
    throw new Error(`stdout is not JSON (exit ${out.code}):\n${out.stdout}\n--- stderr ---\n${out.stderr}`);
  }
  return { ...out, stages: statuses({ ok: true, decisions: [], stages: parsed.stages.map((s) => ({ ...s, key: null, durationMs: 0 })) }) };
}

describe("the sluice server", () => {
  it("runs each command as a fresh process would: edits, environment and helpers are seen", async () => {
    ws = servedWorkspace();
    const started = await ws.run(["server", "start", "--json"], { env: SERVED });
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ running: true, started: true, commands: 0 });

    const first = await servedRun(ws);
    expect(first.code).toBe(0);
    expect(first.stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    expect(ws.read("out/b.txt")).toBe("HELLO DATA\nONE\n");

    const again = await servedRun(ws);
    expect(again.stages).toEqual({ "s:a": "cached", "s:b": "cached" });

    // The pipeline reads GREETING as it is evaluated: the client's environment, each time.
    const greeted = await servedRun(ws, { GREETING: "hi" });
    expect(greeted.stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    expect(ws.read("out/b.txt")).toBe("HI DATA\nONE\n");
    // Back to the declared value: the outputs of the earlier run come back from the cache.
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "restored", "s:b": "restored" });
    expect(ws.read("out/b.txt")).toBe("HELLO DATA\nONE\n");

    // A helper the pipeline imports is evaluated anew, not taken from the last load.
    ws.edit("helper.ts", `"one"`, `"two"`);
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    expect(ws.read("out/b.txt")).toBe("HELLO DATA\nTWO\n");

    ws.write("input.txt", "more\n");
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    expect(ws.count("a")).toBe(4);

    const status = await ws.run(["status", "--json"], { env: SERVED });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ stages: [{ id: "s:a", state: "fresh" }, { id: "s:b", state: "fresh" }] });
    // Every one of those went through the server: none fell back to a process of its own.
    expect(await servedCount(ws)).toBe(7);
  });

  it("serves a load that collects garbage between linking its modules and evaluating them", async () => {
    // The pipeline's first import runs V8's full collection (reached as the server reaches it) before the
    // module that stands for sluice is evaluated: whatever of that module only the load held must survive it.
    ws = new Workspace({
      "collect.ts": `import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
setFlagsFromString("--expose-gc");
(runInNewContext("gc") as () => void)();
`,
      "pipeline.ts": `import "./collect.js";
import { defineProject, file } from "sluice";
import { z } from "zod";
export default defineProject("g", (p) => {
  p.stage("echo", { params: { n: z.number().parse(1) }, outs: { y: file("out/y.txt") }, cmd: "echo {params.n} > {outs.y}" });
});
`,
    });
    await ws.run(["server", "start"], { env: SERVED });
    for (const expected of ["ran", "cached", "cached"]) {
      const served = await servedRun(ws);
      expect(served.code).toBe(0);
      expect(served.stages).toEqual({ "g:echo": expected });
    }
    expect(await servedCount(ws)).toBe(3);
  });

  it("reports a definition error and a usage error as a process of its own does", async () => {
    ws = servedWorkspace();
    await ws.run(["server", "start"], { env: SERVED });
    ws.edit("pipeline.ts", `deps: { a: a.outs.out }`, `deps: { a: a.outs.missing }`);
    const served = await ws.run(["run", "--json"], { env: SERVED });
    const own = await ws.run(["run", "--json"]);
    expect(served.code).toBe(2);
    expect(served.stderr).toBe(own.stderr);
    expect(served.stdout).toBe(own.stdout);

    const misspelt = await ws.run(["run", "--jbos", "2"], { env: SERVED });
    expect(misspelt.code).toBe(2);
    expect(misspelt.stderr).toBe((await ws.run(["run", "--jbos", "2"])).stderr);
    expect(await servedCount(ws)).toBe(2);

    // An import of a file that does not exist: named where it is imported, as a process of its own names it.
    ws.edit("pipeline.ts", `deps: { a: a.outs.missing }`, `deps: { a: a.outs.out }`);
    ws.edit("pipeline.ts", `import { SUFFIX } from "./helper.js";`, `import { SUFFIX } from "./helper.js";\nimport "./nope.js";`);
    const missing = await ws.run(["status"], { env: SERVED });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe((await ws.run(["status"])).stderr);
    expect(missing.stderr).toMatch(/pipeline\.ts:3: .*"\.\/nope\.js"/);
    // Once the import is mended, the server serves again.
    ws.edit("pipeline.ts", `\nimport "./nope.js";`, "");
    const mended = await ws.run(["status", "--verbose"], { env: SERVED });
    expect(mended.code).toBe(0);
    expect(mended.stderr).not.toMatch(/declined/);
    expect(await servedCount(ws)).toBe(3);
  });

  it("starts on demand: the first command runs in its own process and starts the server for the next", async () => {
    ws = servedWorkspace();
    expect(await servedCount(ws)).toBeUndefined();
    const first = await servedRun(ws);
    expect(first.stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    // The server starts in the background; `start` waits for it without starting a second one.
    await ws.run(["server", "start"], { env: SERVED });
    expect(await servedCount(ws)).toBe(0);
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "cached", "s:b": "cached" });
    expect(await servedCount(ws)).toBe(1);
    // Starting it again says so, and starts no second one.
    await ws.run(["server", "stop"], { env: SERVED });
    const both = await Promise.all([1, 2].map(() => ws?.run(["server", "start", "--json"], { env: SERVED })));
    expect(both.map((out) => (JSON.parse(out?.stdout ?? "{}") as { started: boolean }).started).sort()).toEqual([false, true]);
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "cached", "s:b": "cached" });
    const again = await ws.run(["server", "start"], { env: SERVED });
    expect(again.stdout).toMatch(/^sluice server \d+ \(already running\) serving .* since .*: 1 command run/);
    expect(await servedCount(ws)).toBe(1);
  });

  it("declines a pipeline it cannot load afresh, and the command runs in its own process", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
import settings from "./settings.json" with { type: "json" };
export default defineProject("j", (p) => {
  p.stage("echo", { params: { greeting: settings.greeting }, outs: { y: file("out/y.txt") }, cmd: "echo {params.greeting} > {outs.y}" });
});
`,
      "settings.json": JSON.stringify({ greeting: "hello" }),
    });
    await ws.run(["server", "start"], { env: SERVED });
    const out = await ws.run(["run", "--json", "--verbose"], { env: SERVED });
    expect(out.code).toBe(0);
    expect(out.stderr).toMatch(/note: the sluice server declined \(the workspace cannot be loaded afresh: the pipeline needs TypeScript loader hooks/);
    expect(ws.read("out/y.txt")).toBe("hello\n");
    ws.write("settings.json", JSON.stringify({ greeting: "bye" }));
    expect((await ws.run(["run"], { env: SERVED })).code).toBe(0);
    expect(ws.read("out/y.txt")).toBe("bye\n");
  });

  const INVALID = "Invalid input: expected string, received number";

  it("undoes what one load leaves for the next: globals, prototypes, a required file, listeners, timers; workers get no server flags", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file, runFrom } from "sluice";
import { createRequire } from "node:module";
import { z } from "zod";
const settings = createRequire(import.meta.url)("./settings.json");
// zod's configuration is the process's: set by one load, a process of its own would not have it in the next.
if (process.env["CUSTOM"]) z.config({ customError: () => "custom" });
const message = z.string().safeParse(1).error?.issues[0]?.message;
const g = globalThis as { loads?: number; chosen?: string };
g.loads = (g.loads ?? 0) + 1;
g.chosen ??= process.env["CHOSEN"] ?? "first";
// zod's schema registry is the process's too: a process of its own holds only the ids its load declared.
z.string().meta({ id: \`\${process.env["CHOSEN"] ?? "first"}-id\` });
const ids = Object.keys(z.toJSONSchema(z.globalRegistry).schemas).join("+");
// Patched once per process, as the pipeline thinks: a second load must find the prototype and console as they were.
const arrays = Array.prototype as { patched?: number };
arrays.patched = (arrays.patched ?? 0) + 1;
const error = console.error.bind(console);
console.error = (...words: unknown[]) => error("[pipeline]", ...words);
console.error("loaded");
process.on("exit", (code) => console.error("exit listener, code", code));
const tag = process.env["TAG"];
setInterval(() => console.error("tick from the load of", tag), 5).unref();
export default defineProject("l", (p) => {
  p.stage("echo", {
    params: { size: settings.size, loads: g.loads, chosen: g.chosen, patched: arrays.patched, message: message ?? "", resolved: import.meta.resolve("./flags.js").endsWith("/flags.js"), ids },
    outs: { y: file("out/y.txt") },
    cmd: "echo {params.size} {params.loads} {params.chosen} {params.ids} {params.message} > {outs.y}",
  });
  p.stage("flags", { outs: { flags: file("out/flags.json") }, run: runFrom(() => import("./flags.js"), "flags") });
});
`,
      "flags.ts": `import { writeFileSync } from "node:fs";
export async function flags({ outs }: { outs: { flags: string } }): Promise<void> {
  writeFileSync(outs.flags, JSON.stringify(process.execArgv));
}
`,
      "settings.json": JSON.stringify({ size: 1 }),
    });
    await ws.run(["server", "start"], { env: SERVED });
    expect((await servedRun(ws)).stages).toEqual({ "l:echo": "ran", "l:flags": "ran" });
    expect(ws.read("out/y.txt")).toBe(`1 1 first first-id ${INVALID}\n`);
    expect(ws.read("out/flags.json")).toBe("[]");
    // The second load counts one load and chooses afresh, as a process of its own does: nothing to run.
    const second = await servedRun(ws, { TAG: "second" });
    expect(second.stages).toEqual({ "l:echo": "cached", "l:flags": "cached" });
    expect(second.stderr.split("\n").filter((line) => /loaded|exit listener/.test(line))).toEqual(["[pipeline] loaded", "[pipeline] exit listener, code 0"]);
    expect(second.stderr).not.toContain("tick from the load of undefined");
    expect((await servedRun(ws, { CHOSEN: "second" })).stages).toEqual({ "l:echo": "ran", "l:flags": "cached" });
    expect(ws.read("out/y.txt")).toBe(`1 1 second second-id ${INVALID}\n`);
    expect((await servedRun(ws, { CUSTOM: "1" })).stages).toEqual({ "l:echo": "ran", "l:flags": "cached" });
    expect(ws.read("out/y.txt")).toBe("1 1 first first-id custom\n");
    // Back to zod's own message, as a process of its own finds it: the first run's outputs, from the cache.
    expect((await servedRun(ws)).stages).toEqual({ "l:echo": "restored", "l:flags": "cached" });
    expect(ws.read("out/y.txt")).toBe(`1 1 first first-id ${INVALID}\n`);
    // A file loaded through require is read again.
    ws.write("settings.json", JSON.stringify({ size: 2 }));
    expect((await servedRun(ws)).stages).toEqual({ "l:echo": "ran", "l:flags": "cached" });
    expect(ws.read("out/y.txt")).toBe(`2 1 first first-id ${INVALID}\n`);
    expect(await servedCount(ws)).toBe(6);
  });

  it("declines a pipeline that imports a package other than sluice and zod: what it reads as it loads is read for every command", async () => {
    ws = servedWorkspace();
    // A configuration package: it reads a file of the workspace as it is evaluated.
    ws.write("node_modules/settings/package.json", JSON.stringify({ name: "settings", type: "module", exports: "./index.js" }));
    ws.write("node_modules/settings/index.js", `import { readFileSync } from "node:fs";\nexport const greeting = readFileSync("greeting.txt", "utf8").trim();\n`);
    ws.write("greeting.txt", "hello\n");
    ws.edit("pipeline.ts", `import { SUFFIX } from "./helper.js";`, `import { SUFFIX } from "./helper.js";\nimport { greeting } from "settings";`);
    ws.edit("pipeline.ts", `process.env["GREETING"] ?? "hello"`, `greeting`);
    await ws.run(["server", "start"], { env: SERVED });
    const first = await ws.run(["run", "--json", "--verbose"], { env: SERVED });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("note: the sluice server declined (the workspace cannot be loaded afresh: the pipeline imports settings, which a server evaluates once, not for every command)");
    // Imported only as the pipeline runs, after it printed: declined all the same (the load printed twice, here too).
    await ws.run(["server", "stop"], { env: SERVED });
    await ws.run(["server", "start"], { env: SERVED });
    ws.edit("pipeline.ts", `import { greeting } from "settings";`, `console.error("loading settings");\nconst { greeting } = await import("settings");`);
    const dynamic = await ws.run(["run", "--verbose"], { env: SERVED });
    expect(dynamic.code).toBe(0);
    expect(dynamic.stderr).toContain("note: the sluice server declined (the workspace cannot be loaded afresh: the pipeline imports settings");
    // From then on the server declines before loading.
    expect((await ws.run(["run"], { env: SERVED })).stderr.match(/loading settings/g)).toHaveLength(1);
    ws.write("greeting.txt", "howdy\n");
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    expect(ws.read("out/b.txt")).toBe("HOWDY DATA\nONE\n");
    expect(await servedCount(ws)).toBe(0);

    // A package the pipeline treats as optional: the server must not serve the fallback where a process of its own imports it.
    await ws.run(["server", "stop"], { env: SERVED });
    await ws.run(["server", "start"], { env: SERVED });
    ws.edit(
      "pipeline.ts",
      `console.error("loading settings");\nconst { greeting } = await import("settings");`,
      `let greeting = "fallback";\ntry {\n  ({ greeting } = await import("settings"));\n} catch {}`,
    );
    const optional = await ws.run(["run", "--verbose"], { env: SERVED });
    expect(optional.stderr).toContain("note: the sluice server declined (the workspace cannot be loaded afresh: the pipeline imports settings");
    expect(ws.read("out/b.txt")).toBe("HOWDY DATA\nONE\n");
    expect(await servedCount(ws)).toBe(0);
  });

  it("leaves a command under another locale or NODE_OPTIONS to a process of its own, and a new server takes over", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("n", (p) => {
  p.stage("echo", { params: { n: (1234.5).toLocaleString() }, outs: { y: file("out/y.txt") }, cmd: "echo {params.n} > {outs.y}" });
});
`,
    });
    const english = { ...SERVED, LC_ALL: "C.UTF-8" };
    const german = { ...SERVED, LC_ALL: "de_DE.UTF-8" };
    await ws.run(["server", "start"], { env: english });
    expect((await ws.run(["run"], { env: english })).code).toBe(0);
    expect(ws.read("out/y.txt")).toBe("1,234.5\n");
    const declined = await ws.run(["run", "--verbose"], { env: german });
    expect(declined.code).toBe(0);
    expect(declined.stderr).toContain("declined (the command's LC_ALL=de_DE.UTF-8 is not the server's, which Node reads only as it starts)");
    expect(ws.read("out/y.txt")).toBe("1.234,5\n");
    // The server under the old locale stopped; the next one starts under the new one's.
    await ws.run(["server", "start"], { env: german });
    expect((await ws.run(["run", "--json"], { env: german })).code).toBe(0);
    expect(await servedCount(ws)).toBe(1);
    const options = await ws.run(["run", "--verbose"], { env: { ...german, NODE_OPTIONS: "--no-deprecation" } });
    expect(options.stderr).toContain("declined (the command's NODE_OPTIONS=--no-deprecation is not the server's");
  });

  it("makes files with the client's umask", async () => {
    ws = servedWorkspace();
    await ws.run(["server", "start"], { env: SERVED });
    const shell = spawn("sh", ["-c", `umask 077 && exec "${process.execPath}" "${BIN}" run`], {
      cwd: ws.root,
      env: cliEnv({ ...SERVED, COUNTS: ws.counts }),
      stdio: "ignore",
    });
    expect(await new Promise((resolve) => shell.on("close", resolve))).toBe(0);
    expect(statSync(join(ws.root, "out/b.txt")).mode & 0o777).toBe(0o600);
    expect(await servedCount(ws)).toBe(1);
  });

  it("ends with the code a pipeline gives process.exit, and tells what nothing caught, as a process of its own", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
if (!process.env["DATA_ROOT"]) {
  process.on("exit", (code) => console.error("exit listener, code", code));
  console.error("pipeline.ts: set DATA_ROOT first");
  process.exit(3);
}
if (process.env["REJECT"]) void Promise.reject(new Error("nobody caught this"));
export default defineProject("x", (p) => {
  p.stage("echo", { outs: { y: file("out/y.txt") }, cmd: "echo y > {outs.y}" });
});
`,
    });
    await ws.run(["server", "start"], { env: SERVED });
    const exited = await ws.run(["run"], { env: SERVED });
    expect(exited.code).toBe(3);
    expect(exited.stderr).toBe("pipeline.ts: set DATA_ROOT first\nexit listener, code 3\n");
    const log = JSON.parse((await ws.run(["server", "status", "--json"])).stdout) as { running: boolean; log: string };
    expect(log.running).toBe(false);
    expect(readFileSync(log.log, "utf8")).toMatch(/stopping after 1 command: its command called process\.exit\(3\)/);

    await ws.run(["server", "start"], { env: SERVED });
    const rejected = await ws.run(["run"], { env: { ...SERVED, DATA_ROOT: "/data", REJECT: "1" } });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain("Error: nobody caught this");
    expect(rejected.stderr).not.toContain("stopped before the command ended");
    // One line says why the server ended, counting the command that ended it.
    expect(readFileSync(log.log, "utf8").split("\n").filter((line) => line.includes("stopping")).slice(1)).toEqual([
      expect.stringMatching(/stopping after 1 command: its command threw Error: nobody caught this$/),
    ]);
  });

  it("stops a served run whose client is gone, and a run that sluice server stop ends, as SIGTERM stops it", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("k", (p) => {
  p.stage("slow", { outs: { y: file("out/y.txt") }, cmd: "trap 'sleep 0.3; echo cleaned >> $COUNTS/cleaned; exit 1' TERM; sleep 30 & echo $$ > $COUNTS/pid && mv $COUNTS/pid $COUNTS/began; wait; echo y > {outs.y}" });
});
`,
    });
    // The stage writes its shell's pid whole (renamed into place), so the file is never seen empty.
    const began = join(ws.counts, "began");
    await ws.run(["server", "start"], { env: SERVED });
    const orphaned = ws.start(["run"], { env: SERVED });
    await fileAppears(began);
    orphaned.child.kill("SIGKILL");
    await orphaned.done;
    // The client gone, its run stops its stage as SIGTERM would: the stage's shell cleans up and ends before its sleep does.
    await processEnds(Number(readFileSync(began, "utf8")));
    await servedCommandsReach(ws, 1);
    expect(ws.count("cleaned")).toBe(1);
    expect(ws.exists("out/y.txt")).toBe(false);
    expect((await ws.run(["server", "stop"], { env: SERVED })).stdout).toContain("stopped the sluice server");
    expect(JSON.parse((await ws.run(["status", "--json"])).stdout)).toMatchObject({ stages: [{ id: "k:slow", state: "stale" }] });

    rmSync(began);
    await ws.run(["server", "start"], { env: SERVED });
    const running = ws.start(["run"], { env: SERVED });
    await fileAppears(began);
    const stop = await ws.run(["server", "stop"], { env: SERVED });
    expect(stop.code).toBe(0);
    const out = await running.done;
    expect(out.code).toBe(130);
    expect(out.stderr).toContain("terminated (SIGTERM)");
    expect(ws.exists("out/y.txt")).toBe(false);
    expect(await servedCount(ws)).toBeUndefined();
  });

  it("leaves to a process of its own a command fed data on its input, and a workspace whose load made a global for good", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
if (process.env["FOREVER"]) Object.defineProperty(globalThis, "forever", { value: 1, configurable: false });
export default defineProject("i", (p) => {
  p.stage("echo", { outs: { y: file("out/y.txt") }, cmd: "echo y > {outs.y}" });
});
`,
    });
    await ws.run(["server", "start"], { env: SERVED });
    const piped = spawnSync(process.execPath, [BIN, "run", "--verbose"], { cwd: ws.root, env: cliEnv(SERVED), input: "data\n", encoding: "utf8" });
    expect(piped.status, piped.stderr).toBe(0);
    expect(piped.stderr).toContain("note: the sluice server declined (data is piped or redirected into the command, which a stage could read); running here");
    expect(await servedCount(ws)).toBe(0);
    expect((await ws.run(["run"], { env: { ...SERVED, FOREVER: "1" } })).code).toBe(0);
    expect(await servedCount(ws)).toBe(1);
    const after = await ws.run(["run", "--verbose"], { env: SERVED });
    expect(after.code).toBe(0);
    expect(after.stderr).toContain("declined (the workspace cannot be loaded afresh: a load before left globalThis.forever in a way that cannot be undone)");
  });

  it("stops when a package the pipeline shares between loads changes, and the command runs in its own process", async () => {
    ws = servedWorkspace();
    // A stand-in for zod, one of the two packages a server evaluates once (sluice's own zod is its own).
    unlinkSync(join(ws.root, "node_modules/zod"));
    ws.write("node_modules/zod/package.json", JSON.stringify({ name: "zod", type: "module", exports: "./index.js" }));
    ws.write("node_modules/zod/index.js", `export const greeting = "hello";\n`);
    ws.edit("pipeline.ts", `import { SUFFIX } from "./helper.js";`, `import { SUFFIX } from "./helper.js";\nimport { greeting } from "zod";`);
    ws.edit("pipeline.ts", `process.env["GREETING"] ?? "hello"`, `greeting`);
    await ws.run(["server", "start"], { env: SERVED });
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "ran", "s:b": "ran" });
    expect(await servedCount(ws)).toBe(1);

    ws.write("node_modules/zod/index.js", `export const greeting = "howdy";\n`);
    const changed = await ws.run(["run", "--json", "--verbose"], { env: SERVED });
    expect(changed.stderr).toMatch(/declined \(.*node_modules\/zod\/index\.js changed since the server started\)/);
    expect(ws.read("out/b.txt")).toBe("HOWDY DATA\nONE\n");
    // The old server is gone and a new one took its place, which loads the package as it is now.
    await ws.run(["server", "start"], { env: SERVED });
    expect(await servedCount(ws)).toBe(0);
    expect((await servedRun(ws)).stages).toEqual({ "s:a": "cached", "s:b": "cached" });
  });

  it("passes Ctrl-C to the served run, loading or running: it stops as it would, and a load stopped mid-code retires the server", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("c", (p) => {
  if (process.env["SPIN"]) {
    console.error("spinning");
    for (;;);
  }
  p.stage("quick", { outs: { q: file("out/q.txt") }, cmd: "echo q > {outs.q}" });
  p.stage("slow", { params: { n: Number(process.env["N"] ?? 1) }, outs: { y: file("out/y.txt") }, cmd: "echo started >&2; sleep 30; echo {params.n} > {outs.y}" });
});
`,
    });
    await ws.run(["server", "start"], { env: SERVED });
    // A task list drawn on a terminal first: what it leaves behind (a cursor-restoring signal listener) must not change Ctrl-C later.
    expect((await onTerminal(ws, ["run", "c:quick"], SERVED)).code).toBe(0);
    const running = ws.start(["run", "--verbose"], { env: SERVED });
    await running.waitFor("started");
    running.child.kill("SIGINT");
    const out = await running.done;
    expect(out.code).toBe(130);
    expect(out.stderr).toMatch(/interrupted/);
    expect(ws.exists("out/y.txt")).toBe(false);
    expect(await servedCount(ws)).toBe(2);

    // A load stuck in a loop stops at Ctrl-C as in a process of its own. Stopped wherever it was, its code may
    // have left the modules loads share half-changed: the server ends, and the next command starts a new one.
    const spinning = ws.start(["run"], { env: { ...SERVED, SPIN: "1" } });
    await spinning.waitFor("spinning");
    spinning.child.kill("SIGINT");
    const stopped = await spinning.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/interrupted while loading/);
    expect(await servedCount(ws)).toBeUndefined();

    ws.edit("pipeline.ts", "sleep 30; ", "");
    await ws.run(["server", "start"], { env: SERVED });
    const next = await servedRun(ws);
    expect(next.code).toBe(0);
    expect(next.stages).toEqual({ "c:quick": "cached", "c:slow": "ran" });
    expect(await servedCount(ws)).toBe(1);
  });

  it("says why a load stopped even when Ctrl-C lands inside the load's own printing, and gives the client its exit code", async () => {
    // Stopped in the middle of a write's bookkeeping, a stream would hold back every later message: the
    // reason and the exit code among them, and the client would wait for good. Where in the write the stop
    // lands is chance (about one stop in three, written through a stream), so it is tried several times.
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
for (;;) console.error("printing");
export default defineProject("p", (p) => {
  p.stage("never", { outs: { y: file("out/y.txt") }, cmd: "echo y > {outs.y}" });
});
`,
    });
    for (let attempt = 0; attempt < 10; attempt++) {
      await ws.run(["server", "start"], { env: SERVED });
      const printing = ws.start(["run"], { env: SERVED });
      await printing.waitFor("printing");
      printing.child.kill("SIGINT");
      const out = await Promise.race([
        printing.done,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`attempt ${attempt}: no exit code 15 s after Ctrl-C`)), 15_000).unref()),
      ]);
      expect([out.code, out.stderr.slice(out.stderr.lastIndexOf("printing\n") + "printing\n".length)]).toEqual([
        130,
        "error: interrupted while loading the pipeline (evaluating pipeline.ts); nothing was written\n",
      ]);
    }
  });

  it("fails, and does not start over, when the server dies in the middle of a command", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("d", (p) => {
  p.stage("slow", { outs: { y: file("out/y.txt") }, cmd: "echo $$ > $COUNTS/pid && mv $COUNTS/pid $COUNTS/began; sleep 30; echo y > {outs.y}" });
});
`,
    });
    await ws.run(["server", "start"], { env: SERVED });
    const server = JSON.parse((await ws.run(["server", "status", "--json"])).stdout) as { pid: number };
    // Nothing printed yet when the server goes: the stage runs silently.
    const running = ws.start(["run"], { env: SERVED });
    const began = join(ws.counts, "began");
    await fileAppears(began);
    process.kill(server.pid, "SIGKILL");
    const out = await running.done;
    // The stage's shell outlives a server killed outright; it goes with the test.
    for (const pid of readFileSync(began, "utf8").trim().split("\n")) {
      try {
        process.kill(-Number(pid), "SIGKILL");
      } catch {
        // ended already
      }
    }
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`error: the sluice server (pid ${server.pid}) stopped before the command ended; its log: `);
    expect(ws.count("began")).toBe(1);
  });

  it("draws on the client's terminal as a process of its own does, and declines a terminal without colours", async () => {
    ws = servedWorkspace();
    await ws.run(["server", "start"], { env: SERVED });
    const first = await onTerminal(ws, ["run"], SERVED);
    expect(first.code).toBe(0);
    expect(first.screen).toMatch(/\x1b\[3\dm/); // drawn in colour
    expect(first.screen).toMatch(/s:b ran <t>\r\n<cursor shown>$/);
    // All cached, then both stages rerun: the same screens from the server as from a process of its own.
    const ownCached = await onTerminal(ws, ["run"]);
    expect(ownCached.last).toMatch(/s:a cached\r\n.*s:b cached\r\n<cursor shown>$/);
    const servedCached = await onTerminal(ws, ["run"], SERVED);
    expect([servedCached.code, servedCached.last]).toEqual([0, ownCached.last]);
    ws.write("input.txt", "other\n");
    const ownRan = await onTerminal(ws, ["run"]);
    ws.write("input.txt", "third\n");
    const servedRan = await onTerminal(ws, ["run"], SERVED);
    expect([servedRan.code, servedRan.last]).toEqual([0, ownRan.last]);
    expect(ws.count("b")).toBe(3);
    expect(await servedCount(ws)).toBe(3);

    const colourless = await onTerminal(ws, ["run", "--verbose"], { ...SERVED, NO_COLOR: "1" });
    expect(colourless.code).toBe(0);
    expect(colourless.screen).toContain("declined (the server draws in colour, and this terminal shows none)");
    expect(colourless.screen).not.toMatch(/\x1b\[3\dm/);
    expect(await servedCount(ws)).toBe(3);
  });

  it("retires past its heap limit only once the command's last byte is out", async () => {
    // A load that prints 4 MB: more than a socket's buffer holds, so the reply is still going out as the command ends.
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
console.error("x".repeat(4_000_000));
export default defineProject("big", (p) => {
  p.stage("echo", { outs: { y: file("out/y.txt") }, cmd: "echo y > {outs.y}" });
});
`,
    });
    const env = { ...SERVED, SLUICE_SERVER_MAX_HEAP_MB: "1" };
    await ws.run(["server", "start"], { env });
    expect(await servedCount(ws)).toBe(0);
    const out = await ws.run(["run", "--json"], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain("x".repeat(4_000_000));
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true, stages: [{ id: "big:echo", status: "ran" }] });
    // It served that command and then ended itself: the next command starts a new one.
    expect(await servedCount(ws)).toBeUndefined();
  });

  it("stays when what passes its heap limit is the commands' garbage, collected without a gc that pipeline code could see", async () => {
    // Each load makes 64 MB that the module holds until the command ends: past the limit when the command ends, then garbage.
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
// As in a process of its own, the global object has no gc.
if ("gc" in globalThis) throw new Error("the served pipeline sees a gc");
export const ballast = Array.from({ length: 8_000_000 }, () => 0.5);
export default defineProject("ballast", (p) => {
  p.stage("echo", { outs: { y: file("out/y.txt") }, cmd: "echo y > {outs.y}" });
});
`,
    });
    const env = { ...SERVED, SLUICE_SERVER_MAX_HEAP_MB: "48" };
    await ws.run(["server", "start"], { env });
    for (let i = 0; i < 3; i++) expect((await ws.run(["run"], { env })).code).toBe(0);
    expect(await servedCount(ws)).toBe(3);
  });

  it("uses no socket folder that is not the user's alone: commands run in their own process", async () => {
    ws = servedWorkspace();
    // Another user could have made the folder, open to all, to answer in the server's place.
    const tmp = join(dirname(ws.root), "tmp");
    const folder = join(tmp, `sluice-${process.getuid?.() ?? 0}`);
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o777);
    const env = { ...SERVED, TMPDIR: tmp };
    const out = await ws.run(["run", "--json"], { env });
    expect(out.code).toBe(0);
    expect(out.stderr).toContain(`warning: the sluice server is off: ${folder} is not a private folder of yours (owned by uid ${process.getuid?.() ?? 0}, mode 777); remove it`);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: true });
    const start = await ws.run(["server", "start"], { env });
    expect(start.code).toBe(1);
    expect(start.stderr).toContain(`error: ${folder} is not a private folder of yours`);
    // No socket, no log: nothing was started there.
    expect(readdirSync(folder)).toEqual([]);
  });

  it("removes the logs of servers long gone as one starts, and starts its own log afresh past 1 MB", async () => {
    ws = servedWorkspace();
    const tmp = join(dirname(ws.root), "tmp");
    const folder = join(tmp, `sluice-${process.getuid?.() ?? 0}`);
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const env = { ...SERVED, TMPDIR: tmp };
    // No server has run here yet: no log to name.
    expect(JSON.parse((await ws.run(["server", "status", "--json"], { env })).stdout)).toEqual({ running: false, root: ws.root });
    const eightDaysAgo = Date.now() / 1000 - 8 * 24 * 3600;
    const put = (name: string, stale: boolean) => {
      writeFileSync(join(folder, name), "a server's log\n");
      if (stale) utimesSync(join(folder, name), eightDaysAgo, eightDaysAgo);
    };
    put("gone.log", true);
    put("recent.log", false);
    // A socket beside an old log: its server may still be running.
    put("held.log", true);
    put("held.sock", true);

    expect((await ws.run(["server", "start"], { env })).code).toBe(0);
    const logs = readdirSync(folder).filter((name) => name.endsWith(".log"));
    expect(logs).not.toContain("gone.log");
    const own = logs.filter((name) => !["recent.log", "held.log"].includes(name));
    expect(own).toHaveLength(1);
    const log = join(folder, own[0] as string);
    expect(readFileSync(log, "utf8")).toContain(`serving ${ws.root}`);
    expect(JSON.parse((await ws.run(["server", "status", "--json"], { env })).stdout)).toMatchObject({ running: true, log });
    expect((await ws.run(["server", "stop"], { env })).code).toBe(0);

    appendFileSync(log, "x".repeat(1_100_000));
    expect((await ws.run(["server", "start"], { env })).code).toBe(0);
    expect(statSync(log).size).toBeLessThan(10_000);
    expect(readFileSync(log, "utf8")).toContain(`serving ${ws.root}`);
    expect((await ws.run(["server", "stop"], { env })).code).toBe(0);
    // Gone, its log stays where status says, with why it stopped.
    expect(JSON.parse((await ws.run(["server", "status", "--json"], { env })).stdout)).toEqual({ running: false, root: ws.root, log });
    expect((await ws.run(["server", "status"], { env })).stdout).toContain(`the last one's log: ${log}`);
    expect(readFileSync(log, "utf8")).toMatch(/sluice server \d+ stopping after 0 commands: asked to \(sluice server stop\)/);
  });

  it("serves no --watch, no help and no other command: those run in their own process", async () => {
    ws = servedWorkspace();
    await ws.run(["server", "start"], { env: SERVED });
    expect((await ws.run(["dag", "--json"], { env: SERVED })).code).toBe(0);
    expect((await ws.run(["run", "--help"], { env: SERVED })).code).toBe(0);
    // -C however it is written: the workspace it names may not be the server's.
    for (const args of [["run", `-C${ws.root}`], ["run", "-C=."], ["run", "-vC", "."]]) expect((await ws.run(args, { env: SERVED })).code).toBe(0);
    expect(await servedCount(ws)).toBe(0);
    // Not set: never served, even with a server running.
    expect((await ws.run(["run"], { env: {} })).code).toBe(0);
    expect(await servedCount(ws)).toBe(0);
    expect(cliEnv()["SLUICE_SERVER"]).toBeUndefined();
  });
});
