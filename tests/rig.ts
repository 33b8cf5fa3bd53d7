/**
 * The end-to-end test rig: a temp workspace made from an object of files,
 * the real CLI run as a child process, and helpers to read its `--json`.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { signingEnv } from "./signers.js";

/** `approve` signs with the key of the person it names (`--by`, else the actor): each test approver holds their own key. */
function approverKey(args: readonly string[], env: Record<string, string> | undefined): Record<string, string> {
  if (args[0] !== "approve") return {};
  const by = args[args.indexOf("--by") + 1];
  return signingEnv(args.includes("--by") && by ? by : (env?.["SLUICE_ACTOR"] ?? process.env["SLUICE_ACTOR"] ?? "ci"));
}

export const REPO = fileURLToPath(new URL("..", import.meta.url));
export const BIN = join(REPO, "bin", "sluice.js");

export interface RunOutput {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface StageLine {
  readonly id: string;
  readonly status: string;
  readonly key: string | null;
  readonly durationMs: number;
  readonly reason?: string;
  readonly why?: string[];
}

export interface RunJson {
  readonly ok: boolean;
  readonly stages: StageLine[];
  readonly decisions: Record<string, unknown>[];
}

/** A CLI process running in the background. */
export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<RunOutput>;
  /** Everything printed on stderr so far. */
  stderr(): string;
  /** Resolves once stderr contains `text` at least `times` times. */
  waitFor(text: string, times?: number): Promise<void>;
}

/**
 * The environment of every CLI (or other child) a test starts: the test
 * process's own without any `SLUICE_*` variable, so a registry URL, remote
 * cache or signing key a developer exported never reaches a test's child;
 * in CI mode and without GitHub's job summary (the CLI would write to the
 * real one); then whatever the test sets itself.
 */
export function cliEnv(overrides: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith("SLUICE_"));
  return { ...Object.fromEntries(inherited), CI: "true", GITHUB_STEP_SUMMARY: "", GITHUB_ACTIONS: "", ...overrides };
}

export class Workspace {
  readonly root: string;
  /** A folder outside the workspace where counting stages record each invocation. */
  readonly counts: string;

  constructor(files: Record<string, string>, options: { packageJson?: boolean } = {}) {
    const base = mkdtempSync(join(tmpdir(), "sluice-test-"));
    this.root = join(base, "ws");
    this.counts = join(base, "counts");
    mkdirSync(this.counts, { recursive: true });
    mkdirSync(join(this.root, "node_modules"), { recursive: true });
    symlinkSync(REPO, join(this.root, "node_modules", "sluice"));
    symlinkSync(join(REPO, "node_modules", "zod"), join(this.root, "node_modules", "zod"));
    if (options.packageJson !== false) this.write("package.json", JSON.stringify({ name: "ws", type: "module", private: true }));
    for (const [path, text] of Object.entries(files)) this.write(path, text);
  }

  write(path: string, text: string): void {
    const full = join(this.root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }

  read(path: string): string {
    return readFileSync(join(this.root, path), "utf8");
  }

  exists(path: string): boolean {
    return existsSync(join(this.root, path));
  }

  /** Replaces `from` with `to` in a file, failing loudly when `from` is absent. */
  edit(path: string, from: string, to: string): void {
    const text = this.read(path);
    if (!text.includes(from)) throw new Error(`${path} does not contain ${from}`);
    this.write(path, text.replace(from, to));
  }

  /** How many times the counting stage `name` has run. */
  count(name: string): number {
    const file = join(this.counts, name);
    return existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).length : 0;
  }

  run(args: readonly string[], options: { env?: Record<string, string> } = {}): Promise<RunOutput> {
    return this.start(args, options).done;
  }

  /** Starts the CLI in the background; `waitFor` resolves once stderr contains a text. */
  start(args: readonly string[], options: { env?: Record<string, string> } = {}): Running {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: this.root,
      env: cliEnv({ COUNTS: this.counts, ...approverKey(args, options.env), ...options.env }),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    const waiters: { text: string; times: number; resolve: () => void }[] = [];
    const seen = (text: string, times: number) => stderr.split(text).length - 1 >= times;
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      for (const w of waiters.filter((w) => seen(w.text, w.times))) w.resolve();
    });
    const done = new Promise<RunOutput>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
    return {
      child,
      done,
      stderr: () => stderr,
      waitFor: (text, times = 1) =>
        seen(text, times)
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => {
              waiters.push({ text, times, resolve });
              void done.then((out) => reject(new Error(`exited before printing ${JSON.stringify(text)}:\n${out.stderr}`)));
            }),
    };
  }

  /** `sluice run --json ...`, parsed; fails the test with stderr when stdout is not one JSON document. */
  async runJson(args: readonly string[] = [], options: { env?: Record<string, string> } = {}): Promise<RunJson & RunOutput> {
    const out = await this.run(["run", "--json", ...args], options);
    try {
      return { ...out, ...(JSON.parse(out.stdout) as RunJson) };
    } catch {
      throw new Error(`stdout is not JSON (exit ${out.code}):\n${out.stdout}\n--- stderr ---\n${out.stderr}`);
    }
  }

  dispose(): void {
    rmSync(dirname(this.root), { recursive: true, force: true });
  }
}

/** Stage id -> status. */
export function statuses(json: RunJson): Record<string, string> {
  return Object.fromEntries(json.stages.map((s) => [s.id, s.status]));
}

/** The ids with a given status, sorted. */
export function withStatus(json: RunJson, status: string): string[] {
  return json.stages.filter((s) => s.status === status).map((s) => s.id).sort();
}

/** `git <args>` in the workspace, as a fixed author; fails the test with git's message. */
export function git(ws: Workspace, ...args: string[]): string {
  const out = spawnSync("git", args, {
    cwd: ws.root,
    encoding: "utf8",
    env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.org", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.org" },
  });
  if (out.status !== 0) throw new Error(`git ${args.join(" ")}: ${out.stderr}`);
  return out.stdout;
}
