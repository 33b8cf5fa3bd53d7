/**
 * Broken live-window files, fuzzed at the function the monitor reads them
 * with (`parseWindows`): whatever the bytes, it returns, never throws; a
 * file with any bad line yields no windows at all (nothing half-recorded);
 * every problem is one line naming the file and the line; and good lines
 * are never blamed for their neighbours.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LiveWindow, parseWindows, windowKey } from "../../src/monitor/index.js";

const SOURCE = "live/eta.jsonl";

/** A well-formed window, with every optional section, numbered so ids never collide. */
function seedWindow(i: number): Record<string, unknown> {
  const day = String((i % 28) + 1).padStart(2, "0");
  return {
    project: "eta",
    alias: i % 2 === 0 ? "canary" : "production",
    release: i % 2 === 0 ? "eta_v2" : "eta_v1",
    window: `w${i}`,
    start: `2026-06-${day}T00:00:00Z`,
    end: `2026-06-${day}T23:59:59Z`,
    service: { requests: 1000, errors: 2, p50LatencyMs: 40, p99LatencyMs: 180 },
    data: { freshnessLagMinutes: 12 },
    outcomes: { labelled: 200, metrics: { recall: 0.9 } },
    distributions: { score: { edges: [0, 0.5, 1], counts: [10, 20] } },
    events: { stale_warning_spike: 1 },
  };
}

/** Values that break a field in the ways hand-written or half-flushed JSON does. */
const WEIRD = [null, "", -1, 0.5, 1e308, "NaN", [], {}, true, "../x", "x".repeat(300), "2026-13-45T00:00:00Z", { nested: { deep: [1] } }];
/** Text that breaks a line as JSON. */
const NOISE = ["{", "}", '"', ",", ":", "\\", "\r", "\u0000", "NaN", "1e999", "-", "\u2028", "]"];

type LinePlan =
  | { kind: "good" }
  | { kind: "blank"; text: string }
  | { kind: "copy"; of: number }
  | { kind: "delete"; pick: number }
  | { kind: "set"; pick: number; value: number }
  | { kind: "truncate"; at: number }
  | { kind: "insert"; at: number; noise: number };

const linePlan: fc.Arbitrary<LinePlan> = fc.oneof(
  { weight: 4, arbitrary: fc.constant({ kind: "good" as const }) },
  { weight: 1, arbitrary: fc.constantFrom("", "   ", "\t").map((text) => ({ kind: "blank" as const, text })) },
  { weight: 1, arbitrary: fc.nat().map((of) => ({ kind: "copy" as const, of })) },
  { weight: 2, arbitrary: fc.nat().map((pick) => ({ kind: "delete" as const, pick })) },
  { weight: 2, arbitrary: fc.record({ pick: fc.nat(), value: fc.nat({ max: WEIRD.length - 1 }) }).map((r) => ({ kind: "set" as const, ...r })) },
  { weight: 1, arbitrary: fc.nat().map((at) => ({ kind: "truncate" as const, at })) },
  { weight: 1, arbitrary: fc.record({ at: fc.nat(), noise: fc.nat({ max: NOISE.length - 1 }) }).map((r) => ({ kind: "insert" as const, ...r })) },
);

/** Every path to a value inside `value`, objects and arrays alike. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== "object" || value === null) return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...paths(child, [...prefix, key])]);
}

function mutate(object: Record<string, unknown>, path: (string | number)[], change: (parent: Record<string | number, unknown>, key: string | number) => void): void {
  let parent = object as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  change(parent, path.at(-1) as string | number);
}

/** A file's text and, for each line, what a correct parser must say about it. */
function build(plans: readonly LinePlan[]): { text: string; untouched: Map<number, string>; copies: Map<number, number> } {
  const lines: string[] = [];
  const untouched = new Map<number, string>(); // line -> window key, for lines left exactly as generated
  const copies = new Map<number, number>(); // line -> the untouched line it repeats
  for (const [i, plan] of plans.entries()) {
    const window = seedWindow(i);
    const all = paths(window);
    switch (plan.kind) {
      case "good":
        lines.push(JSON.stringify(window));
        untouched.set(i + 1, `eta/${window["alias"]}/${window["window"]}`);
        break;
      case "blank":
        lines.push(plan.text);
        break;
      case "copy": {
        const earlier = [...untouched.keys()];
        const source = earlier[plan.of % Math.max(1, earlier.length)];
        if (source === undefined) {
          lines.push("");
        } else {
          lines.push(lines[source - 1] as string);
          copies.set(i + 1, source);
        }
        break;
      }
      case "delete":
        mutate(window, all[plan.pick % all.length] as (string | number)[], (parent, key) => {
          if (Array.isArray(parent)) parent.splice(Number(key), 1);
          else delete parent[key];
        });
        lines.push(JSON.stringify(window));
        break;
      case "set":
        mutate(window, all[plan.pick % all.length] as (string | number)[], (parent, key) => {
          parent[key] = structuredClone(WEIRD[plan.value]);
        });
        lines.push(JSON.stringify(window));
        break;
      case "truncate": {
        const text = JSON.stringify(window);
        lines.push(text.slice(0, plan.at % text.length));
        break;
      }
      case "insert": {
        const text = JSON.stringify(window);
        const at = plan.at % text.length;
        lines.push(text.slice(0, at) + NOISE[plan.noise] + text.slice(at));
        break;
      }
    }
  }
  return { text: lines.join("\n"), untouched, copies };
}

describe("fuzzed live-window files", () => {
  it("never throw, reject a file with any bad line as a whole, and blame exactly the bad lines by number", () => {
    fc.assert(
      fc.property(fc.array(linePlan, { minLength: 1, maxLength: 12 }), fc.boolean(), (plans, crlf) => {
        const built = build(plans);
        const text = crlf ? built.text.replaceAll("\n", "\r\n") : built.text;
        const lines = text.split(/\r?\n/);
        const result = parseWindows(text, SOURCE);
        if (result.ok) {
          const expected = lines.filter((l) => l.trim() !== "").length;
          expect(result.value).toHaveLength(expected);
          for (const window of result.value) expect(LiveWindow.safeParse(window).success).toBe(true);
          expect(new Set(result.value.map(windowKey)).size).toBe(expected);
          expect(built.copies.size).toBe(0); // a repeated window can never be accepted
          return;
        }
        const problems = result.error;
        expect(problems.length).toBeGreaterThan(0);
        expect(problems.map((p) => p.line)).toEqual([...new Set(problems.map((p) => p.line))].sort((a, b) => a - b));
        for (const problem of problems) {
          expect(lines[problem.line - 1]?.trim(), `line ${problem.line} is blank but was blamed`).not.toBe("");
          expect(problem.message.startsWith(`${SOURCE}:${problem.line}: `), problem.message).toBe(true);
          expect(problem.message).not.toMatch(/\[object Object\]|undefined/);
        }
        const blamed = new Map(problems.map((p) => [p.line, p]));
        for (const line of built.untouched.keys()) expect(blamed.has(line), `untouched line ${line} was blamed: ${blamed.get(line)?.message}`).toBe(false);
        for (const [line, source] of built.copies) {
          expect(blamed.get(line)).toMatchObject({ reason: "duplicate-window", message: `${SOURCE}:${line}: window ${built.untouched.get(source)} already appears on line ${source}` });
        }
      }),
      // A fixed seed keeps CI reproducible; SLUICE_FUZZ_SEED explores others.
      { numRuns: 400, seed: Number(process.env["SLUICE_FUZZ_SEED"] ?? 20261123) },
    );
  });

  // A broken line's bytes are quoted in the message (a key holding "\n", the
  // snippet JSON.parse echoes): each problem must still print as one line.
  it("print each problem as one plain line, whatever the broken line held", () => {
    const base = JSON.stringify(seedWindow(0));
    const broken = [
      base.replace('"events"', '"eve\\nts"'), // a key with a newline: "Unrecognized key" quotes it
      `\u0000${base}`,
      `\u001b[2J${base}`,
      `${base.slice(0, 20)}\u2028${base.slice(20)}`,
    ];
    const result = parseWindows(broken.join("\n"), SOURCE);
    expect(result.ok).toBe(false);
    const messages = result.ok ? [] : result.error.map((p) => p.message);
    expect(messages).toHaveLength(broken.length);
    for (const message of messages) expect(message).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });
});
