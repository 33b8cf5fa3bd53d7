/**
 * A temp copy of the real workspace for end-to-end project tests: the
 * project folders (without their outputs), `stages/`, a root pipeline naming
 * only the projects under test, `src/` linked (the stage factories import
 * it), and a node_modules of links to the repo's packages plus `sluice`
 * itself. The real CLI then runs there exactly as a user's clone would.
 *
 * Or a real one: `"git-clone"` clones the repository's HEAD (committed
 * files only), with node_modules and the built dist/ linked from the
 * checkout, as `git clone && npm ci` would leave it.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { PromotionPolicy, type ProjectPolicy } from "../../contracts/index.js";
import { BIN, cliEnv, REPO } from "../rig.js";
import { CAST, installSigners, signingEnv } from "../signers.js";

/** The roles the example policies name. */
const ROLES = ["ml_lead", "ops_review", "planning_lead", "trust_safety"] as const;

/** Stage outputs a copy must not carry over (the run rebuilds them). */
const OUTPUT_DIRS = new Set(["data", "model", "out", "reports"]);

/** One `sluice run --json` result. */
export interface ProjectRun {
  readonly code: number | null;
  readonly ok: boolean;
  readonly stages: { id: string; status: string; reason?: string }[];
  readonly stderr: string;
}

/** A disposable workspace holding copies of the named projects. */
export class ProjectWorkspace {
  readonly root: string;
  /** What `run` adds to the child's environment (see cliEnv). */
  readonly #runEnv: Readonly<Record<string, string>>;

  /** `actor`, when given, is who `run` acts as (SLUICE_ACTOR). */
  constructor(projects: readonly string[] | "git-clone", options: { actor?: string } = {}) {
    this.#runEnv = options.actor === undefined ? {} : { SLUICE_ACTOR: options.actor };
    this.root = join(mkdtempSync(join(tmpdir(), "sluice-projects-")), "ws");
    if (projects === "git-clone") {
      this.#cloneRepository();
      return;
    }
    mkdirSync(join(this.root, "node_modules"), { recursive: true });
    for (const name of readdirSync(join(REPO, "node_modules"))) {
      if (!name.startsWith(".")) symlinkSync(join(REPO, "node_modules", name), join(this.root, "node_modules", name));
    }
    symlinkSync(REPO, join(this.root, "node_modules", "sluice"));
    symlinkSync(join(REPO, "src"), join(this.root, "src"));
    cpSync(join(REPO, "stages"), join(this.root, "stages"), { recursive: true });
    // The promote stage reads the promotion policy.
    cpSync(join(REPO, "contracts", "promotion_policy.json"), join(this.root, "contracts", "promotion_policy.json"));
    // Approvers sign with keys made for the test; every role lists the cast and the story's leads.
    installSigners(this.root, [...CAST, "engineer", ...ROLES.map((role) => `lead-${role}`)]);
    for (const p of projects) {
      const from = join(REPO, "projects", p);
      cpSync(from, join(this.root, "projects", p), { recursive: true, filter: (src) => !OUTPUT_DIRS.has(relative(from, src)) });
    }
    writeFileSync(join(this.root, "package.json"), JSON.stringify({ name: "ws", type: "module", private: true }));
    const list = projects.map((p) => JSON.stringify(`projects/${p}`)).join(", ");
    writeFileSync(join(this.root, "pipeline.ts"), `import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: [${list}] });\n`);
  }

  #cloneRepository(): void {
    execFileSync("git", ["clone", "--quiet", REPO, this.root], { stdio: ["ignore", "ignore", "pipe"] });
    symlinkSync(join(REPO, "node_modules"), join(this.root, "node_modules"));
    symlinkSync(join(REPO, "dist"), join(this.root, "dist"));
    // npm ci and a build make real folders, which .gitignore's `node_modules/` and `/dist/` match; links are not folders to git.
    appendFileSync(join(this.root, ".git", "info", "exclude"), "/node_modules\n/dist\n");
  }

  /** `git <args>` in the workspace (a `"git-clone"` one), its stdout. */
  git(args: readonly string[]): string {
    return execFileSync("git", args, { cwd: this.root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  }

  /** `sluice run --json <args>`; never throws on a failing run (tests assert on it). */
  run(args: readonly string[] = []): ProjectRun {
    let stdout = "", stderr = "", code: number | null = 0;
    try {
      stdout = execFileSync(process.execPath, [BIN, "run", "--json", ...args], { cwd: this.root, encoding: "utf8", env: cliEnv(this.#runEnv), stdio: ["ignore", "pipe", "pipe"] });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; status?: number | null };
      stdout = e.stdout ?? "";
      stderr = e.stderr ?? "";
      code = e.status ?? null;
    }
    try {
      return { code, stderr, ...(JSON.parse(stdout) as { ok: boolean; stages: ProjectRun["stages"] }) };
    } catch {
      throw new Error(`stdout is not JSON (exit ${code}):\n${stdout}\n--- stderr ---\n${stderr}`);
    }
  }

  /** Any `sluice` command, as `actor`; never throws (tests assert on the exit code). */
  cli(args: readonly string[], actor = "engineer"): { code: number | null; stdout: string; stderr: string } {
    try {
      const stdout = execFileSync(process.execPath, [BIN, ...args], {
        cwd: this.root,
        encoding: "utf8",
        env: cliEnv({ SLUICE_ACTOR: actor, ...(args.includes("approve") ? signingEnv(actor) : {}) }),
        stdio: ["ignore", "pipe", "pipe"],
      });
      return { code: 0, stdout, stderr: "" };
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; status?: number | null };
      return { code: e.status ?? null, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  /** `cli` with `--json`, parsed; fails the test on a non-JSON stdout. */
  cliJson<T = Record<string, unknown>>(args: readonly string[], actor?: string): T & { code: number | null; stderr: string } {
    const result = this.cli([...args, "--json"], actor);
    try {
      return { ...(JSON.parse(result.stdout) as T), code: result.code, stderr: result.stderr };
    } catch {
      throw new Error(`stdout is not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
    }
  }

  /** Bytes of a workspace file, for "nothing changed" checks. */
  bytes(path: string): Buffer {
    return readFileSync(join(this.root, path));
  }

  /** Makes `story/<version>.json` the project's params. */
  story(project: string, version: "v1" | "v2" | "v3"): void {
    cpSync(join(this.root, "projects", project, "story", `${version}.json`), join(this.root, "projects", project, "params.json"));
  }

  /** Rewrites one params section of a project (a corruption or a smaller size). */
  setParams(project: string, section: string, values: Record<string, unknown>): void {
    const path = join(this.root, "projects", project, "params.json");
    const params = JSON.parse(readFileSync(path, "utf8")) as Record<string, Record<string, unknown>>;
    params[section] = { ...params[section], ...values };
    writeFileSync(path, JSON.stringify(params, null, 2));
  }

  /** A project's section of the workspace's promotion policy, checked against its contract. */
  policy(project: string): ProjectPolicy {
    const policy = PromotionPolicy.parse(JSON.parse(readFileSync(this.#policyFile, "utf8"))).projects[project];
    if (!policy) throw new Error(`the promotion policy has no project "${project}"`);
    return policy;
  }

  /** Rewrites one section of a project's policy (`championChallenger`, …), as a user's edit would. */
  setPolicy(project: string, section: string, values: Record<string, unknown>): void {
    const policy = JSON.parse(readFileSync(this.#policyFile, "utf8")) as { projects: Record<string, Record<string, Record<string, unknown>>> };
    const sections = policy.projects[project];
    if (!sections) throw new Error(`the promotion policy has no project "${project}"`);
    sections[section] = { ...sections[section], ...values };
    writeFileSync(this.#policyFile, `${JSON.stringify(policy, null, 2)}\n`);
  }

  get #policyFile(): string {
    return join(this.root, "contracts", "promotion_policy.json");
  }

  /** Parsed JSON of a project file (a gate, the report). */
  json<T = Record<string, unknown>>(project: string, path: string): T {
    return JSON.parse(readFileSync(join(this.root, "projects", project, path), "utf8")) as T;
  }

  /** sha256 of a project file's bytes. */
  digest(project: string, path: string): string {
    return createHash("sha256").update(readFileSync(join(this.root, "projects", project, path))).digest("hex");
  }

  dispose(): void {
    rmSync(join(this.root, ".."), { recursive: true, force: true });
  }
}

/** Stage id -> status of a run. */
export function statusOf(run: ProjectRun): Record<string, string> {
  return Object.fromEntries(run.stages.map((s) => [s.id, s.status]));
}
