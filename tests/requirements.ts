/**
 * The programs outside node that some tests need (real servers, python3, a
 * browser), each looked up once here, and the one rule for a missing one:
 * with `CI=true` its tests fail, naming the program and how to install it,
 * so a green CI run means they ran; elsewhere they are skipped, loudly.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, it } from "vitest";

/** A program some tests cannot run without. */
export interface Requirement {
  /** What a person would call it: `nginx`, `PostgreSQL`. */
  readonly name: string;
  /** Where it was found (a binary or a folder of binaries), or undefined when missing. */
  readonly path: string | undefined;
  /** The Debian package(s) that provide it. */
  readonly install: string;
}

/** nginx, often off PATH on Debian (/usr/sbin). */
export const NGINX: Requirement = {
  name: "nginx",
  install: "nginx",
  path: onPath("nginx") ?? ["/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"].find((p) => existsSync(p)),
};

/** The folder holding PostgreSQL's initdb and postgres (the newest installed major). */
export const POSTGRES: Requirement = {
  name: "PostgreSQL",
  install: "postgresql",
  path: (() => {
    const base = "/usr/lib/postgresql";
    const majors = existsSync(base) ? readdirSync(base).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
    const dirs = [...majors.map((v) => join(base, v, "bin")), "/usr/local/pgsql/bin"];
    return dirs.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "postgres")));
  })(),
};

/** python3, which graduated notebook stages run with (they need only its standard library). */
export const PYTHON: Requirement = {
  name: "python3",
  install: "python3",
  path: spawnSync("python3", ["--version"]).status === 0 ? onPath("python3") : undefined,
};

/** The Chromium the HTML report is opened in. */
export const CHROMIUM: Requirement = {
  name: "Chromium",
  install: "chromium",
  path: ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p)),
};

/**
 * A Slurm cluster's daemons and clients (slurmctld, slurmd, sbatch) with
 * munge for its authentication: tests start a single-node cluster of their
 * own. The path is the folder of the client commands.
 */
export const SLURM: Requirement = {
  name: "Slurm",
  install: "slurm-wlm munge",
  path: (() => {
    const found = ["slurmctld", "slurmd", "munged", "sbatch", "squeue", "scontrol", "scancel"].map((p) => onPath(p) ?? ["/usr/sbin", "/usr/bin"].map((d) => join(d, p)).find((f) => existsSync(f)));
    return found.every((f) => f !== undefined) ? dirname(found[3] as string) : undefined;
  })(),
};

/** True when the suite runs in CI, where nothing may be skipped for a missing program. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env["CI"]?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "0" && value !== "false";
}

/**
 * `describe(title, body)` for tests that need `requirement`. When it is
 * missing: under CI one failing test stands in for the block and says what
 * to install; elsewhere the block is skipped with a warning.
 */
export function describeWith(requirement: Requirement, title: string, body: () => void): void {
  const missing = requirement.path === undefined;
  const advice = `install it (apt-get install -y ${requirement.install}); .ci/run does`;
  if (missing && inCi()) {
    describe(title, () => {
      it(`needs ${requirement.name}`, () => {
        throw new Error(`${requirement.name} is not installed and CI is set, so these tests cannot be skipped: ${advice}`);
      });
    });
    return;
  }
  // Loud on purpose: a skipped block must not pass unnoticed.
  if (missing) console.warn(`\n!!! ${requirement.name} not found: SKIPPING "${title}". To run it, ${advice}. !!!\n`);
  describe.skipIf(missing)(title, body);
}

function onPath(command: string): string | undefined {
  const found = spawnSync("/bin/sh", ["-c", `command -v ${command}`], { encoding: "utf8" }).stdout.trim();
  return found === "" ? undefined : found;
}
