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
 * Only a change to a file some stage key can depend on starts a cycle (the
 * watch set: declared sources, pipeline and stage modules, package
 * manifests; see watch-set.ts), so notes, docs and the watcher's own outputs
 * never do. Ctrl-C stops the cycle in flight and exits 130.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { relative, sep } from "node:path";
import { writeErr } from "../report/index.js";
import type { OpFailure } from "./failure.js";
import type { LoadedWorkspace } from "./run-once.js";
import { concerns, readWatchSet, WATCH_SET_ENV, watchSetFile, watchSetOf } from "./watch-set.js";

const DEBOUNCE_MS = 200;
const IGNORED_DIRS = ["cache", "registry", "node_modules", ".git", "dist"];

/**
 * Watches until Ctrl-C (an `interrupted` failure) or SIGTERM (`terminated`);
 * each cycle runs `sluice run <runArgs>`.
 */
export async function watchWorkspace(loaded: LoadedWorkspace, runArgs: readonly string[]): Promise<OpFailure> {
  const { root, workspace } = loaded;
  const { watch } = await import("chokidar");
  let watched = watchSetOf(workspace);
  const reported = watchSetFile(root);

  let child: ChildProcess | undefined;
  let timer: NodeJS.Timeout | undefined;
  let again = false;
  const cycle = () => {
    timer = undefined;
    if (child) {
      again = true;
      return;
    }
    rmSync(reported, { force: true });
    child = spawn(process.execPath, [bin(), "run", ...runArgs], {
      cwd: root,
      stdio: "inherit",
      env: { ...process.env, [WATCH_SET_ENV]: reported },
    });
    child.on("exit", () => {
      child = undefined;
      // A cycle that could not load the pipeline keeps the previous set.
      watched = readWatchSet(reported) ?? watched;
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
  // Folders that never hold a watched file are not even descended into.
  const ignored = (path: string): boolean => {
    const rel = relative(root, path);
    return IGNORED_DIRS.includes(rel.split(sep)[0] ?? "");
  };

  const watcher = watch(root, { ignored, ignoreInitial: true });
  watcher.on("all", (_event, path) => {
    if (concerns(watched, relative(root, path).split(sep).join("/"))) schedule();
  });
  await new Promise<void>((resolve) => watcher.on("ready", () => resolve()));
  cycle();

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      child?.kill("SIGINT");
      if (timer) clearTimeout(timer);
      void watcher.close().then(() => resolve(signal));
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  // Stopped by the user, as any interrupted sluice command: 130 (143 for SIGTERM).
  return { kind: signal === "SIGINT" ? "interrupted" : "terminated" };
}

/** The script that started this process: the `sluice` bin. */
function bin(): string {
  return process.argv[1] as string;
}
