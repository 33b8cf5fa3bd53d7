import fc from "fast-check";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoFiles, PROJECT } from "../fixtures/demo-workspace.js";
import { Workspace } from "../rig.js";

/** Edits that break a pipeline file the way hurried hands do. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), text: fc.constantFrom("{", "}", ")", ",", "(", ";", "undefined", "null", "NaN", '"', "`", "\\n", "await ", "throw new Error('x');", "p.stage(", "1/0") }),
  fc.record({ kind: fc.constant("replace" as const), from: fc.constantFrom("file(", "source(", "json(", "factor: 2", "minValue: 0", "cmd:", "run:", "deps:", "outs:", '"clean"', "Stats", "cleanRows"), to: fc.constantFrom("", "file(", "42", "undefined", "new Date()", "Symbol()", "() => 1", '"clean"', "source(\"missing.csv\")") }),
);

type Edit = { kind: "delete"; at: number; length: number } | { kind: "insert"; at: number; text: string } | { kind: "replace"; from: string; to: string };

function apply(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of edits) {
    if (edit.kind === "delete") {
      const at = edit.at % out.length;
      out = out.slice(0, at) + out.slice(at + edit.length);
    } else if (edit.kind === "insert") {
      const at = edit.at % out.length;
      out = out.slice(0, at) + edit.text + out.slice(at);
    } else {
      out = out.replace(edit.from, edit.to);
    }
  }
  return out;
}

function listing(root: string, dir: string): string[] {
  try {
    return readdirSync(join(root, dir), { recursive: true }).map(String).sort();
  } catch {
    return [];
  }
}

describe("fuzzed pipeline files", () => {
  const ws = new Workspace(demoFiles());
  beforeAll(async () => {
    expect((await ws.runJson()).code).toBe(0);
  });
  afterAll(() => ws.dispose());

  it("always end in exit 0, 1 or 2 with readable messages, no stack trace, and no partial write on a definition error", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (edits) => {
        ws.write("projects/demo/pipeline.ts", apply(PROJECT, edits));
        const records = listing(ws.root, "cache/records");
        const lock = ws.read("sluice.lock");
        const out = await ws.run(["run", "--json", "--jobs", "2"]);
        expect([0, 1, 2]).toContain(out.code);
        expect(out.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
        expect(out.stderr).not.toContain("internal error");
        // Every outcome is one JSON document on stdout; a definition error's is the error document.
        const document = JSON.parse(out.stdout) as { ok: boolean; error?: { kind: string; problems: unknown[] } };
        if (out.code === 2) {
          expect(document).toMatchObject({ ok: false, error: { kind: "usage" } });
          expect(document.error?.problems.length).toBeGreaterThan(0);
          expect(out.stderr).toMatch(/^error: /);
          expect(listing(ws.root, "cache/records")).toEqual(records);
          expect(ws.read("sluice.lock")).toBe(lock);
        }
      }),
      // A fixed seed keeps CI reproducible; SLUICE_FUZZ_SEED explores others. -652171201 once found file(schema) crashing validation.
      { numRuns: 25, seed: Number(process.env["SLUICE_FUZZ_SEED"] ?? -652171201) },
    );
    ws.write("projects/demo/pipeline.ts", PROJECT);
    expect((await ws.runJson()).code).toBe(0);
  }, 300_000);
});
