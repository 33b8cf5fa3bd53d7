/**
 * Helpers for the PostgreSQL registry tests: the real CLI run in a
 * workspace against a chosen registry (a postgres:// URL, or "" for the
 * file registry), and a release shipped the way a team ships one.
 */
import { expect } from "vitest";
import { sluice, type CliRun } from "../registry/cli.js";
import { type RunJson, type Workspace } from "../rig.js";

/** Every seed gate passing. */
export const PASS = { schema_valid: true, no_leakage: true, critical_slice_pass: true, cost_improves: true };

/** `sluice <args>` in `root` against `registry` ("" = the file registry), as `actor`. */
export function sluiceWith(root: string, registry: string, args: readonly string[], actor = "alice"): Promise<CliRun> {
  return sluice(root, args, actor, { SLUICE_REGISTRY: registry });
}

/** `sluice <args> --json`, parsed; fails with stderr when stdout is not one JSON document. */
export async function sluiceJsonWith<T = Record<string, unknown>>(
  root: string,
  registry: string,
  args: readonly string[],
  actor = "alice",
): Promise<CliRun & { json: T }> {
  const out = await sluiceWith(root, registry, [...args, "--json"], actor);
  try {
    return { ...out, json: JSON.parse(out.stdout) as T };
  } catch {
    throw new Error(`stdout of sluice ${args.join(" ")} is not JSON (exit ${out.code}):\n${out.stdout}\n--- stderr ---\n${out.stderr}`);
  }
}

/**
 * Ships one candidate the way a team does: `sluice run` (the promote stage
 * registers it and opens the canary), two approvals by others, then
 * `sluice promote --to production`. Returns the release name.
 */
export async function ship(ws: Workspace, registry: string, weights: string, warning: number): Promise<string> {
  ws.write("projects/eta/params.json", JSON.stringify({ gates: PASS, warning, weights }));
  const ran = await sluiceJsonWith<RunJson>(ws.root, registry, ["run"]);
  expect(ran.code, ran.stderr).toBe(0);
  const release = String(ran.json.decisions[0]?.["release"]);
  for (const [role, by] of [["ml_lead", "bob"], ["risk", "carol"]] as const) {
    const approved = await sluiceWith(ws.root, registry, ["approve", "eta", release, "--role", role], by);
    expect(approved.code, approved.stderr).toBe(0);
  }
  const promoted = await sluiceWith(ws.root, registry, ["promote", "eta", release, "--to", "production"], "bob");
  expect(promoted.code, promoted.stderr).toBe(0);
  return release;
}

/**
 * The same document with what only the clock decides blanked out: times,
 * manifest digests (a manifest records when it was created) and stage
 * keys (evaluate depends on the champion's manifest digest).
 */
export function withoutTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutTimes);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => {
      if (/^(at|createdAt|movedAt)$/.test(key)) return [key, "<time>"];
      if (key === "manifestDigest") return [key, "<digest>"];
      if (key === "stageKeys") return [key, "<keys>"];
      return [key, withoutTimes(inner)];
    }),
  );
}
