/**
 * `verify` recomputes the chain and names the first line that does not
 * match; it also checks alias files against the log and that every object
 * a release references is in the store.
 */
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { verifyRegistry } from "../../src/registry/index.js";
import { candidate, LINEAGE, seedPolicy, tempWorkspace, type TempWorkspace } from "./workspace.js";

const policy = seedPolicy().projects["eta"]!;
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

/** Three candidates: 9 lines (registration, decision, canary move each). */
async function populated(): Promise<string> {
  ws = await tempWorkspace();
  const registry = await ws.open();
  for (const model of ["a", "b", "c"]) await registry.submitCandidate({ candidate: await candidate(ws, { model }), lineage: LINEAGE, policy });
  return join(ws.root, "registry", "releases.jsonl");
}

function editLine(file: string, lineNo: number, edit: (line: string) => string): void {
  const lines = readFileSync(file, "utf8").split("\n");
  lines[lineNo - 1] = edit(lines[lineNo - 1]!);
  writeFileSync(file, lines.join("\n"));
}

describe("verify", () => {
  it("passes an untouched registry", async () => {
    await populated();
    const verdict = await verifyRegistry(ws.root);
    expect(verdict).toMatchObject({ ok: true, lines: 9, releases: 3, aliases: 1, problems: [] });
    expect(verdict.objects).toBeGreaterThan(0);
  });

  it("names the line whose content was edited", async () => {
    const log = await populated();
    editLine(log, 4, (line) => line.replace('"actor":"alice"', '"actor":"mallory"'));
    const verdict = await verifyRegistry(ws.root);
    expect(verdict.ok).toBe(false);
    expect(verdict.problems[0]).toMatchObject({ reason: "chain-broken", line: 4 });
  });

  it("names the line whose prev field was edited", async () => {
    const log = await populated();
    editLine(log, 5, (line) => line.replace(/"prev":"[0-9a-f]{16}-\d+"/, '"prev":"0000000000000000-1"'));
    expect((await verifyRegistry(ws.root)).problems[0]).toMatchObject({ line: 5 });
  });

  it("names an edited last line, which no later prev covers", async () => {
    const log = await populated();
    editLine(log, 9, (line) => line.replace('"reason":"', '"reason":"x'));
    expect((await verifyRegistry(ws.root)).problems[0]).toMatchObject({ reason: "head-mismatch", line: 9 });
  });

  it("notices a removed last line", async () => {
    const log = await populated();
    const lines = readFileSync(log, "utf8").split("\n").slice(0, 8);
    writeFileSync(log, `${lines.join("\n")}\n`);
    expect((await verifyRegistry(ws.root)).problems.map((p) => p.reason)).toContain("head-mismatch");
  });

  it("names a stale alias file and a missing object", async () => {
    await populated();
    const canary = join(ws.root, "registry", "eta", "canary.json");
    writeFileSync(canary, readFileSync(canary, "utf8").replace('"warning": 0.5', '"warning": 0.1'));
    const state = await (await ws.open()).state();
    const model = state.release("eta", "eta_v2")!.manifest.model.digest;
    rmSync(ws.store.pathOf(model as never));
    const verdict = await verifyRegistry(ws.root);
    expect(verdict.problems.map((p) => [p.reason, p.file ?? p.digest])).toEqual([
      ["alias-file-stale", "registry/eta/canary.json"],
      ["missing-object", model],
    ]);
  });

  it("refuses to write on top of a broken chain", async () => {
    const log = await populated();
    editLine(log, 2, (line) => line.replace('"reason":"', '"reason":"z'));
    const registry = await ws.open();
    await expect(registry.register(await candidate(ws, { model: "d" }), LINEAGE)).rejects.toThrow(/line 2 was changed/);
  });

  it("cuts off a torn last line left by a crashed append before writing", async () => {
    const log = await populated();
    writeFileSync(log, `${readFileSync(log, "utf8")}{"seq":10,"prev`);
    expect((await verifyRegistry(ws.root)).problems[0]).toMatchObject({ reason: "torn-line", line: 10 });
    await (await ws.open()).register(await candidate(ws, { model: "d" }), LINEAGE);
    expect(await verifyRegistry(ws.root)).toMatchObject({ ok: true, lines: 10 });
  });
});
