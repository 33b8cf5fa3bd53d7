/**
 * Releases are immutable `<project>_v<N>` records; registering an equal
 * tuple again returns the existing release and appends nothing.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

describe("registration", () => {
  it("names releases <project>_v<N> in order", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const first = await registry.register(await candidate(ws, { model: "a" }), LINEAGE);
    const second = await registry.register(await candidate(ws, { model: "b" }), LINEAGE);
    expect([first.release, second.release]).toEqual(["eta_v1", "eta_v2"]);
    expect(first.manifest.lineage.createdBy).toBe("alice");
  });

  it("returns the existing release for an equal tuple, appending nothing", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const tuple = await candidate(ws);
    const first = await registry.register(tuple, LINEAGE);
    const log = readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8");
    const again = await (await ws.open("carol")).register(await candidate(ws), { ...LINEAGE, pipelineCommit: "abc" });
    expect(again).toMatchObject({ release: first.release, created: false, manifestDigest: first.manifestDigest });
    expect(readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8")).toBe(log);
  });

  it("replays an already decided candidate instead of deciding again", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const first = await registry.submitCandidate({ candidate: await candidate(ws), lineage: LINEAGE, policy });
    const log = readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8");
    const again = await registry.submitCandidate({ candidate: await candidate(ws), lineage: LINEAGE, policy });
    expect(first.ok && first.value.replayed).toBe(false);
    expect(again.ok && again.value).toMatchObject({ release: "eta_v1", decision: "canary_open", replayed: true, canary: null });
    expect(readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8")).toBe(log);
  });

  it("never reopens an aborted canary when the pipeline reruns", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await registry.submitCandidate({ candidate: await candidate(ws), lineage: LINEAGE, policy });
    await registry.move({ project: "eta", alias: "canary", to: null, expected: "eta_v1", cause: "abort", reason: "quality failed" });
    // Same artifacts, new evidence (say, re-evaluated): still known-bad.
    const again = await registry.submitCandidate({ candidate: await candidate(ws, { metrics: { auc: 0.81 } }), lineage: LINEAGE, policy });
    expect(again.ok && again.value).toMatchObject({ release: "eta_v1", decision: "hold", label: "hold:known_bad", replayed: true });
    expect((await registry.state()).aliasTarget("eta", "canary")).toBeNull();
    expect((await registry.state()).releases("eta")).toHaveLength(1);
  });

  it("does not register a live release again when it is re-evaluated against a new champion", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await registry.submitCandidate({ candidate: await candidate(ws), lineage: LINEAGE, policy });
    const reevaluated = await candidate(ws, { metrics: { auc: 0.8, vs_champion: 0 } });
    const again = await registry.submitCandidate({ candidate: reevaluated, lineage: LINEAGE, policy });
    expect(again.ok && again.value).toMatchObject({ release: "eta_v1", decision: "canary_open", replayed: true });
    expect((await registry.state()).releases("eta")).toHaveLength(1);
  });

  it("treats the tuple, not the gate order, as the identity", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const tuple = await candidate(ws);
    const first = await registry.register(tuple, LINEAGE);
    const shuffled = await registry.register({ ...tuple, gates: [...tuple.gates].reverse() }, LINEAGE);
    expect(shuffled.release).toBe(first.release);
  });

  it("makes a threshold change a new release", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await registry.register(await candidate(ws), LINEAGE);
    const changed = await registry.register(await candidate(ws, { thresholds: { warning: 0.42 } }), LINEAGE);
    expect(changed).toMatchObject({ release: "eta_v2", created: true });
  });
});
