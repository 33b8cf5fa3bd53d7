/**
 * Eight processes promote different candidates at once. Every line of the
 * log is whole, the chain verifies, every candidate got its own release,
 * and the canary points at exactly one of them, the one whose move was last.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { verifyRegistry } from "../../src/registry/index.js";
import { tempWorkspace, type TempWorkspace } from "./workspace.js";
import { cliEnv } from "../rig.js";

const run = promisify(execFile);
const promoter = fileURLToPath(new URL("fixtures/promoter.ts", import.meta.url));
let ws: TempWorkspace;
afterEach(() => ws?.cleanup());

describe("concurrent promoters", () => {
  it("keeps the log whole and chained with 8 processes promoting at once", async () => {
    ws = await tempWorkspace();
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        run(process.execPath, ["--import", "tsx", promoter, ws.root, String(i)], { cwd: fileURLToPath(new URL("../..", import.meta.url)), env: cliEnv() }),
      ),
    );
    const results = outcomes.map((o) => JSON.parse(o.stdout) as { ok: boolean; value: { release: string; decision: string } });
    expect(results.every((r) => r.ok && r.value.decision === "canary_open")).toBe(true);
    expect(new Set(results.map((r) => r.value.release)).size).toBe(8);

    const lines = readFileSync(join(ws.root, "registry", "releases.jsonl"), "utf8").split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(8 * 3); // registration, decision, canary move
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();

    const verdict = await verifyRegistry(ws.root);
    expect(verdict.problems).toEqual([]);
    expect(verdict).toMatchObject({ ok: true, releases: 8, aliases: 1 });

    const moves = lines.map((l) => JSON.parse(l)).filter((e) => e.type === "alias_moved");
    const canary = JSON.parse(readFileSync(join(ws.root, "registry", "eta", "canary.json"), "utf8"));
    expect(canary.release).toBe(moves.at(-1).to);
    // Each move starts where the previous one left the alias.
    moves.forEach((m, i) => expect(m.from).toBe(i === 0 ? null : moves[i - 1].to));
  }, 120_000);
});
