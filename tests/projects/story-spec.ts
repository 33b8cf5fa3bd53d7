/**
 * The v1/v2/v3 story of a project, replayed through the real CLI in a temp
 * copy of the workspace (see each project's README.md):
 *
 *   v1  cold run: every stage ran, every gate passed, the canary opens on v1;
 *       a second run is all cached; with the approvals the policy names, v1
 *       is promoted to production (the first release has no production to be
 *       judged against live, so it goes by an explicit, approved command)
 *   v2  a param change: the upstream of the change stays cached, a critical
 *       gate fails, promote is held and production stays on v1
 *   v3  a param change that passes, beats v1 on the primary metric by more
 *       than the margin (both the policy's `championChallenger`), and opens
 *       the canary on v3
 *
 * then the monitoring story, replaying the project's live windows
 * (`projects/<name>/live/`, see `monitorStory`), and a corrupted snapshot
 * (by params) that validation rejects: train fails, evaluate is skipped, the
 * gate artifact keeps the evidence.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Gate } from "../../stages/lib/gate.js";
import { monitorStory } from "./monitor-story.js";
import { ProjectWorkspace, statusOf } from "./project-workspace.js";

/** What a project's story promises. */
export interface StorySpec {
  readonly project: string;
  /** Gates of the evaluate stage. */
  readonly gates: readonly string[];
  /** Stages v2 reruns (the rest stay cached) and the critical gate it fails. */
  readonly v2: { readonly reruns: readonly string[]; readonly fails: string };
  /** Stages v3 reruns, relative to v2. */
  readonly v3: { readonly reruns: readonly string[] };
  /** A params edit that corrupts the snapshot, and the validation gate that must catch it. */
  readonly corrupt: { readonly section: string; readonly values: Record<string, unknown>; readonly gate: string };
}

const STAGES = ["snapshot", "features", "validate", "train", "evaluate"];
const ALL = [...STAGES, "promote"];

/** Declares the story tests of one project. */
export function storyTests(spec: StorySpec): void {
  const p = spec.project;
  describe(`${p} story through the CLI`, () => {
    let ws: ProjectWorkspace;
    const metrics: Record<string, Record<string, number>> = {};
    const gate = (name: string, stage = "evaluate"): Gate => ws.json<Gate>(p, `out/${stage}/${name}.json`);
    const statusesAfter = (reruns: readonly string[], promote = reruns.length > 0 ? "ran" : "cached"): Record<string, string> =>
      Object.fromEntries(ALL.map((s) => [`${p}:${s}`, s === "promote" ? promote : reruns.includes(s) ? "ran" : "cached"]));
    const aliasFile = (alias: string): string | null => {
      const path = join(ws.root, "registry", p, `${alias}.json`);
      return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as { release: string }).release : null;
    };
    const canary = (): string | null => aliasFile("canary");
    const production = (): string | null => aliasFile("production");

    beforeAll(() => {
      ws = new ProjectWorkspace([p]);
    });
    afterAll(() => ws.dispose());

    test("v1 runs every stage, passes every gate, and a second run is all cached", () => {
      ws.story(p, "v1");
      const cold = ws.run([p]);
      expect(cold.ok).toBe(true);
      expect(statusOf(cold)).toEqual(statusesAfter(STAGES));
      for (const g of spec.gates) expect(gate(g).passed, `${g}: ${String(gate(g).evidence["why"])}`).toBe(true);
      expect(canary()).toBe(`${p}_v1`);
      metrics["v1"] = ws.json<{ metrics: Record<string, number> }>(p, "reports/evaluation.json").metrics;
      const warm = ws.run([p]);
      expect(statusOf(warm)).toEqual(statusesAfter([]));
    });

    test("v1 reaches production once every role the policy names approved it", () => {
      const roles = ws.policy(p).approvals["production"]?.roles ?? [];
      const early = ws.cli(["promote", p, `${p}_v1`, "--to", "production", "--reason", "first release"]);
      expect(early.code).toBe(1);
      expect(early.stderr).toContain(`needs approval by role ${roles[0]}`);
      for (const role of roles) expect(ws.cli(["approve", p, `${p}_v1`, "--role", role], `lead-${role}`).code).toBe(0);
      const promoted = ws.cliJson<{ ok: boolean; to: string }>(["promote", p, `${p}_v1`, "--to", "production", "--reason", "first release"]);
      expect(promoted.code).toBe(0);
      expect(promoted.to).toBe(`${p}_v1`);
      expect(production()).toBe(`${p}_v1`);
    });

    test("v2 reruns only downstream of its param change and fails a critical gate", () => {
      ws.story(p, "v2");
      const run = ws.run([p]);
      expect(run.ok).toBe(true);
      expect(statusOf(run)).toEqual(statusesAfter(spec.v2.reruns, "held"));
      expect(canary()).toBe(null);
      expect(production()).toBe(`${p}_v1`);
      const failed = gate(spec.v2.fails);
      expect(failed.passed).toBe(false);
      expect(failed.critical).toBe(true);
      expect(String(failed.evidence["why"])).toContain("fails");
    });

    test("v3 passes every gate and beats v1 on the primary metric by more than the margin", () => {
      ws.story(p, "v3");
      const run = ws.run([p]);
      expect(run.ok).toBe(true);
      expect(statusOf(run)).toEqual(statusesAfter(spec.v3.reruns));
      expect(canary()).toBe(`${p}_v3`);
      for (const g of spec.gates) expect(gate(g).passed, `${g}: ${String(gate(g).evidence["why"])}`).toBe(true);
      const v3 = ws.json<{ metrics: Record<string, number> }>(p, "reports/evaluation.json").metrics;
      // The rule is the policy's, the same one the evaluate stage was handed.
      const { primaryMetric: metric, direction, margin } = ws.policy(p).championChallenger;
      const gain = ((v3[metric] ?? Number.NaN) - (metrics["v1"]?.[metric] ?? Number.NaN)) * (direction === "higher" ? 1 : -1);
      expect(gain).toBeGreaterThan(margin);
    });

    monitorStory(p, () => ws);

    test("a corrupted snapshot is rejected by validation and never reaches training", () => {
      ws.story(p, "v1");
      ws.setParams(p, spec.corrupt.section, spec.corrupt.values);
      const run = ws.run([p]);
      expect(run.ok).toBe(false);
      expect(run.code).toBe(1);
      const status = statusOf(run);
      expect(status[`${p}:validate`]).toBe("ran");
      expect(status[`${p}:train`]).toBe("failed");
      expect(status[`${p}:evaluate`]).toBe("skipped");
      const evidence = gate(spec.corrupt.gate, "validate");
      expect(evidence.passed).toBe(false);
      expect(evidence.critical).toBe(true);
    });
  });
}
