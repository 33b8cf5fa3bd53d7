/**
 * The monitoring story of a project, after its v1/v2/v3 story left v1 in
 * production and v3 as canary, replayed through `sluice monitor` with the
 * project's live windows (`projects/<name>/live/`, written by
 * `scripts/generate-live-windows.ts`):
 *
 *   canary-pause         too few labels            -> pause, nothing moves; a replay records nothing
 *   canary-promote       enough labels, quality ok -> production v3, canary cleared
 *   production-rollback  SLO breach or event spike -> production back to v1, whole manifest restored
 *   drift-warn           PSI between warn and act  -> warn, nothing moves
 *   drift-act            PSI past act              -> retrain: a later snapshot, a new candidate v4
 *   canary-abort         v4's service health fails -> canary cleared, production untouched
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import type { ProjectWorkspace } from "./project-workspace.js";

interface MonitorDocument {
  readonly ok: boolean;
  readonly decisions: readonly {
    readonly decision: string;
    readonly release: string;
    readonly rule: string;
    readonly recorded: boolean;
    readonly moves: readonly { alias: string; from: string | null; to: string | null }[];
  }[];
  readonly retrain?: { readonly ok: boolean; readonly decision: { release: string; decision: string } | null; readonly snapshot: { from: string; to: string } };
}

interface ShowDocument {
  readonly aliases: readonly string[];
  readonly manifest: { readonly release: string; readonly lineage: { readonly trigger: { kind: string; cause: string } | null } };
}

/** Declares the monitoring steps; `workspace` is the story's, read when the tests run. */
export function monitorStory(p: string, workspace: () => ProjectWorkspace): void {
  const v = (n: number) => `${p}_v${n}`;
  const monitor = (fixture: string): MonitorDocument => {
    const doc = workspace().cliJson<MonitorDocument>(["monitor", p, "--windows", `projects/${p}/live/${fixture}.jsonl`]);
    expect(doc.code, doc.stderr).toBe(0);
    return doc;
  };
  const aliases = (): Record<string, string | null> => {
    const target = (alias: string): string | null => {
      const shown = workspace().cli(["registry", "show", p, `@${alias}`, "--json"]);
      return shown.code === 0 ? (JSON.parse(shown.stdout) as ShowDocument).manifest.release : null;
    };
    return { production: target("production"), canary: target("canary") };
  };
  const registryBytes = () => workspace().bytes("registry/releases.jsonl");

  test("monitor: too few labels pause the canary; replaying the file records nothing new", () => {
    const first = monitor("canary-pause");
    expect(first.decisions.map((d) => [d.decision, d.release, d.recorded])).toEqual([["pause", v(3), true]]);
    expect(aliases()).toEqual({ production: v(1), canary: v(3) });
    const before = registryBytes();
    const replay = monitor("canary-pause");
    expect(replay.decisions).toEqual([]);
    expect(registryBytes().equals(before)).toBe(true);
  });

  test("monitor: enough labelled outcomes with quality holding promote the canary", () => {
    const doc = monitor("canary-promote");
    expect(doc.decisions.map((d) => [d.decision, d.release])).toEqual([["promote", v(3)]]);
    expect(doc.decisions[0]!.moves).toEqual([
      { alias: "production", from: v(1), to: v(3) },
      { alias: "canary", from: v(3), to: null },
    ]);
    expect(aliases()).toEqual({ production: v(3), canary: null });
  });

  test("monitor: a production breach rolls back to v1 and restores its whole manifest", () => {
    const doc = monitor("production-rollback");
    expect(doc.decisions.map((d) => [d.decision, d.release])).toEqual([["rollback", v(3)]]);
    expect(doc.decisions[0]!.rule).toMatch(/^(slo\.|rollbackEvents\.)/);
    expect(aliases()).toEqual({ production: v(1), canary: null });
    const shown = workspace().cliJson<ShowDocument>(["registry", "show", p, v(1)]);
    const aliasFile = JSON.parse(readFileSync(join(workspace().root, "registry", p, "production.json"), "utf8")) as { manifest: unknown };
    expect(aliasFile.manifest).toEqual(shown.manifest);
    const lineage = workspace().cli(["lineage", p]);
    expect(lineage.code).toBe(0);
    expect(lineage.stdout).toContain(`rollback production ${v(3)} -> ${v(1)}`);
    expect(lineage.stdout).toContain(doc.decisions[0]!.rule);
  });

  test("monitor: moderate drift warns and moves nothing", () => {
    const doc = monitor("drift-warn");
    expect(doc.decisions.map((d) => [d.decision, d.rule])).toEqual([["warn", "drift.warnPsi"]]);
    expect(doc.retrain).toBeUndefined();
    expect(aliases()).toEqual({ production: v(1), canary: null });
  });

  test("monitor: drift past the act threshold retrains on a later snapshot; the trigger is in the lineage", () => {
    const doc = monitor("drift-act");
    expect(doc.decisions.map((d) => [d.decision, d.rule])).toEqual([["retrain", "drift.actPsi"]]);
    expect(doc.retrain?.ok).toBe(true);
    expect(doc.retrain!.snapshot.to > doc.retrain!.snapshot.from).toBe(true);
    const candidate = doc.retrain!.decision!;
    expect(candidate.release).toBe(v(4));
    // The fixtures are deterministic: the later snapshot passes every gate against v1.
    expect(candidate.decision).toBe("canary_open");
    const shown = workspace().cliJson<ShowDocument>(["registry", "show", p, v(4)]);
    expect(shown.manifest.lineage.trigger?.kind).toBe("drift");
    expect(shown.manifest.lineage.trigger?.cause).toContain("drift.actPsi");
    expect(aliases().production).toBe(v(1));
  });

  test("monitor: a canary failing service health is aborted at once; production untouched", () => {
    expect(aliases().canary).toBe(v(4));
    const doc = monitor("canary-abort");
    expect(doc.decisions.map((d) => [d.decision, d.release])).toEqual([["abort", v(4)]]);
    expect(aliases()).toEqual({ production: v(1), canary: null });
  });
}
