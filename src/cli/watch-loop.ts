/**
 * `sluice watch` / `sluice run --watch`: rerun the targets whenever a file
 * of the workspace changes. Each cycle is a fresh `sluice run` child process,
 * so an edited pipeline file or helper is loaded anew (ES modules cannot be
 * unloaded in place); the cache makes the rerun touch only affected stages.
 *
 *     idle ──change──▶ debouncing ──quiet 200 ms──▶ running
 *      ▲                   ▲                          │
 *      │                   └──change while running────┤ (queued, one more cycle)
 *      └────────────────────────────run ends──────────┘
 *
 * Events under cache/, registry/, node_modules/, .git/ and on any declared
 * output are ignored, so the watcher never triggers on its own writes.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { relative, sep } from "node:path";
import { cacheLayout, readLockFile } from "../cache/index.js";
import { writeErr } from "../report/index.js";
import { loadContext, type GlobalOptions } from "./context.js";
import type { RunArgs } from "./execute-run.js";

const DEBOUNCE_MS = 200;
const IGNORED_DIRS = ["cache", "registry", "node_modules", ".git", "dist"];

export async function watchWorkspace(argv: RunArgs & GlobalOptions): Promise<void> {
  const context = await loadContext(argv);
  if (!context) return;
  const { root, workspace } = context;
  const { watch } = await import("chokidar");
  let outputs = outputPaths([...workspace.stages.values()].flatMap((s) => s.outs.map((o) => o.path)));

  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let again = false;
  const cycle = () => {
    timer = undefined;
    if (child) {
      again = true;
      return;
    }
    child = spawn(process.execPath, [bin(), "run", ...childArgs(argv)], { cwd: root, stdio: "inherit" });
    child.on("exit", () => {
      child = undefined;
      outputs = new Set([...outputs, ...outputPaths(lockedOutputs(root))]);
      writeErr(`watching ${root} for changes (Ctrl-C to stop)`);
      if (again) {
        again = false;
        schedule();
      }
    });
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(cycle, DEBOUNCE_MS);
  };
  const ignored = (path: string): boolean => {
    const rel = relative(root, path);
    if (rel === "" || rel === "sluice.lock") return rel === "sluice.lock";
    const top = rel.split(sep)[0] ?? "";
    if (IGNORED_DIRS.includes(top) || rel.includes(".sluice-") || rel.includes(".tmp-")) return true;
    for (const out of outputs) if (rel === out || rel.startsWith(`${out}${sep}`)) return true;
    return false;
  };

  const watcher = watch(root, { ignored, ignoreInitial: true });
  watcher.on("all", (_event, path) => {
    if (!ignored(path)) schedule();
  });
  await new Promise<void>((resolve) => watcher.on("ready", () => resolve()));
  cycle();

  await new Promise<void>((resolve) => {
    const stop = () => {
      child?.kill("SIGINT");
      if (timer) clearTimeout(timer);
      void watcher.close().then(() => resolve());
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}

/** The script that started this process: the `sluice` bin. */
function bin(): string {
  return process.argv[1] as string;
}

/** The run options a cycle passes on (targets and everything but --watch). */
function childArgs(argv: RunArgs & GlobalOptions): string[] {
  const args = [...argv.targets, "--jobs", String(argv.jobs)];
  if (argv.keepGoing) args.push("--keep-going");
  for (const set of argv.set) args.push("--set", set);
  if (argv.resources) args.push("--resources", argv.resources);
  if (argv.verbose) args.push("--verbose");
  return args;
}

function lockedOutputs(root: string): string[] {
  const lock = readLockFile(cacheLayout(root).lockFile);
  return Object.values(lock.stages).flatMap((s) => s.outs.map((o) => o.path));
}

function outputPaths(paths: readonly string[]): Set<string> {
  return new Set(paths.map((p) => p.split("/").join(sep)));
}
