/**
 * `sluice monitor` and `sluice retrain` refusing bad input: each case is one
 * message naming the file (and line), exit 2, and the registry and params
 * byte-identical afterwards. The decisions themselves are covered by each
 * project's story (monitor-story.ts).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ProjectWorkspace } from "./project-workspace.js";

describe("monitor and retrain through the CLI, on bad input", () => {
  let ws: ProjectWorkspace;
  const registry = () => ws.bytes("registry/releases.jsonl");
  const params = () => ws.bytes("projects/eta/params.json");
  const pauseLines = () => ws.bytes("projects/eta/live/canary-pause.jsonl").toString("utf8").trim().split("\n");
  const writeWindows = (lines: readonly string[]): string => {
    writeFileSync(join(ws.root, "windows.jsonl"), lines.join("\n") + "\n");
    return "windows.jsonl";
  };

  beforeAll(() => {
    ws = new ProjectWorkspace(["eta"]);
  });
  afterAll(() => ws.dispose());

  test("before any release, monitor says there is nothing to judge", () => {
    const result = ws.cli(["monitor", "eta", "--windows", "projects/eta/live/canary-pause.jsonl"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("eta has no releases in the registry");
  });

  test("setup: v1 in production, v2 held, v3 as canary (the names the fixtures use)", () => {
    expect(ws.run(["eta"]).ok).toBe(true);
    expect(ws.cli(["approve", "eta", "eta_v1", "--role", "ml_lead"], "lead").code).toBe(0);
    expect(ws.cli(["promote", "eta", "eta_v1", "--to", "production", "--reason", "first release"]).code).toBe(0);
    ws.story("eta", "v2");
    expect(ws.run(["eta"]).ok).toBe(true);
    ws.story("eta", "v3");
    expect(ws.run(["eta"]).ok).toBe(true);
  });

  test("a malformed window file is rejected with its line numbers and records nothing", () => {
    const [first, second, ...rest] = pauseLines();
    const negative = JSON.parse(second!) as { service: { requests: number } };
    negative.service.requests = -1;
    const backwards = JSON.parse(first!) as { start: string; end: string; window: string };
    [backwards.start, backwards.end, backwards.window] = [backwards.end, backwards.start, "backwards"];
    const file = writeWindows([first!, "{not json", JSON.stringify(negative), JSON.stringify(backwards), ...rest]);
    const before = registry();
    const result = ws.cli(["monitor", "eta", "--windows", file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("windows.jsonl:2: not JSON");
    expect(result.stderr).toContain("windows.jsonl:3:");
    expect(result.stderr).toContain("windows.jsonl:4:");
    expect(result.stderr).toContain("nothing recorded");
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(registry().equals(before)).toBe(true);
  });

  test("a missing window file and an unknown project are usage errors", () => {
    const missing = ws.cli(["monitor", "eta", "--windows", "nope.jsonl"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read the window file nope.jsonl");
    const unknown = ws.cli(["monitor", "etaa", "--windows", "projects/eta/live/canary-pause.jsonl"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown project etaa");
  });

  test("--dry-run shows the decision and records nothing; windows of other releases are ignored", () => {
    const stray = JSON.parse(pauseLines()[0]!) as { release: string; window: string };
    stray.release = "eta_v9";
    stray.window = "stray";
    const file = writeWindows([...pauseLines(), JSON.stringify(stray)]);
    const before = registry();
    const dry = ws.cliJson<{ decisions: { decision: string; recorded: boolean }[]; windows: { ignored: { window: string; reason: string }[] } }>([
      "monitor", "eta", "--windows", file, "--dry-run",
    ]);
    expect(dry.code).toBe(0);
    expect(dry.decisions.map((d) => [d.decision, d.recorded])).toEqual([["pause", false]]);
    expect(dry.windows.ignored).toContainEqual({ window: "eta/production/stray", reason: "release-not-served" });
    expect(registry().equals(before)).toBe(true);
  });

  test("retrain refuses a snapshot date that does not move forward, and changes nothing", () => {
    const [before, paramsBefore] = [registry(), params()];
    const result = ws.cli(["retrain", "eta", "--trigger", "manual", "--snapshot", "2026-01-01"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not after the current one (2026-05-31 in projects/eta/params.json)");
    expect(registry().equals(before)).toBe(true);
    expect(params().equals(paramsBefore)).toBe(true);
  });

  test("a scheduled retrain edits one line of params and records its trigger in the new release", () => {
    const doc = ws.cliJson<{ ok: boolean; snapshot: { from: string; to: string }; decision: { release: string } }>([
      "retrain", "eta", "--trigger", "schedule", "--cause", "weekly",
    ]);
    expect(doc.code, doc.stderr).toBe(0);
    expect(doc.snapshot).toMatchObject({ from: "2026-05-31", to: "2026-06-07" });
    const text = params().toString("utf8");
    expect(text).toContain('"cutoff": "2026-06-07"');
    expect(text.split("\n").length).toBe(ws.bytes("projects/eta/story/v3.json").toString("utf8").split("\n").length);
    const shown = ws.cliJson<{ manifest: { lineage: { trigger: unknown } } }>(["registry", "show", "eta", doc.decision.release]);
    expect(shown.manifest.lineage.trigger).toEqual({ kind: "schedule", cause: "weekly" });
  });

  test("a damaged registry is refused with one line and left as it was", () => {
    const path = join(ws.root, "registry", "releases.jsonl");
    const canary = ws.cliJson<{ manifest: { release: string } }>(["registry", "show", "eta", "@canary"]).manifest.release;
    const log = registry();
    writeFileSync(path, log.subarray(0, log.length - 10)); // the last recorded line loses its end
    const before = registry();
    // Pause windows for today's canary, under new ids: a decision the registry would have to record.
    const file = writeWindows(pauseLines().map((line) => line.replaceAll('"eta_v3"', `"${canary}"`).replace(/"window":"([^"]+)"/, '"window":"$1-again"')));
    const result = ws.cli(["monitor", "eta", "--windows", file]);
    expect(result.code, `${canary}: ${result.stdout}${result.stderr}`).toBe(1);
    expect(result.stderr).toMatch(/^error: .*registry\/releases\.jsonl/m);
    expect(result.stderr).not.toContain("internal error");
    expect(registry().equals(before)).toBe(true);
  });
});
