/**
 * Alias moves are compare-and-swap: a move whose expected value is stale
 * is refused naming both values, and the registry is untouched. Every
 * move is listed in the alias's history with who, when and why, and the
 * alias file holds the whole manifest of the release it points at.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeRefusal } from "../../src/registry/index.js";
import { candidate, LINEAGE, tempWorkspace, type TempWorkspace } from "./workspace.js";

let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

const logOf = (root: string) => readFileSync(join(root, "registry", "releases.jsonl"), "utf8");

describe("alias moves", () => {
  it("refuses a stale compare-and-swap naming both values, registry untouched", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    await registry.register(await candidate(ws, { model: "a" }), LINEAGE);
    await registry.register(await candidate(ws, { model: "b" }), LINEAGE);
    const first = await registry.move({ project: "eta", alias: "canary", to: "eta_v1", expected: null, cause: "manual", reason: "try v1" });
    expect(first.ok).toBe(true);
    const before = logOf(ws.root);
    const stale = await registry.move({ project: "eta", alias: "canary", to: "eta_v2", expected: null, cause: "manual", reason: "try v2" });
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.error).toMatchObject({ reason: "stale-alias", expected: null, actual: "eta_v1" });
    expect(describeRefusal(stale.error)).toBe("eta@canary moved: expected nothing but it now holds eta_v1; nothing was changed");
    expect(logOf(ws.root)).toBe(before);
  });

  it("records where the alias came from and went to, with who and why", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open("alice");
    await registry.register(await candidate(ws, { model: "a" }), LINEAGE);
    await registry.register(await candidate(ws, { model: "b" }), LINEAGE);
    await registry.move({ project: "eta", alias: "canary", to: "eta_v1", expected: null, cause: "manual", reason: "one" });
    await (await ws.open("bob")).move({ project: "eta", alias: "canary", to: "eta_v2", expected: "eta_v1", cause: "manual", reason: "two" });
    const moves = (await registry.state()).moves("eta", "canary");
    expect(moves.map((m) => [m.from, m.to, m.actor, m.reason])).toEqual([
      [null, "eta_v1", "alice", "one"],
      ["eta_v1", "eta_v2", "bob", "two"],
    ]);
  });

  it("materialises the whole manifest and removes the file of a cleared alias", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const v1 = await registry.register(await candidate(ws, { thresholds: { warning: 0.37 } }), LINEAGE);
    await registry.move({ project: "eta", alias: "canary", to: "eta_v1", expected: null, cause: "manual", reason: "r" });
    const file = join(ws.root, "registry", "eta", "canary.json");
    const materialised = JSON.parse(readFileSync(file, "utf8"));
    expect(materialised).toMatchObject({ alias: "canary", release: "eta_v1", manifestDigest: v1.manifestDigest });
    expect(materialised.manifest).toEqual(v1.manifest);
    expect(materialised.manifest.actionPolicy.thresholds).toEqual({ warning: 0.37 });
    await registry.move({ project: "eta", alias: "canary", to: null, expected: "eta_v1", cause: "abort", reason: "aborted" });
    expect(existsSync(file)).toBe(false);
  });

  it("refuses a move to a release that does not exist", async () => {
    ws = await tempWorkspace();
    const registry = await ws.open();
    const moved = await registry.move({ project: "eta", alias: "canary", to: "eta_v9", expected: undefined, cause: "manual", reason: "" });
    expect(!moved.ok && moved.error.reason).toBe("unknown-release");
    expect(existsSync(join(ws.root, "registry", "releases.jsonl"))).toBe(false);
  });
});
