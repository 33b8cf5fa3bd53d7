import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseWindows } from "../../src/monitor/index.js";
import { windowJson } from "./builders.js";

const fixture = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const line = (value: unknown): string => JSON.stringify(value);
const messages = (text: string): string[] => {
  const result = parseWindows(text, "live.jsonl");
  return result.ok ? [] : result.error.map((p) => p.message);
};

describe("parseWindows", () => {
  it("reads a well-formed file into windows in file order", () => {
    const result = parseWindows(fixture("eta-canary-promote.jsonl"));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value).toHaveLength(8);
    expect(result.value.map((w) => `${w.alias}/${w.window}`).slice(0, 3)).toEqual(["production/d01", "canary/d01", "production/d02"]);
    // Defaults are filled: a window without metrics reads as an empty record.
    expect(result.value[1]!.outcomes.metrics).toEqual({});
  });

  it("rejects a malformed file as a whole, naming every bad line", () => {
    const result = parseWindows(fixture("malformed.jsonl"), "malformed.jsonl");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.map((p) => [p.line, p.reason])).toEqual([
      [2, "invalid-window"],
      [3, "bad-json"],
      [4, "invalid-window"],
      [5, "invalid-window"],
      [6, "bad-json"],
      [8, "invalid-window"],
      [9, "duplicate-window"],
    ]);
    expect(result.error.map((p) => p.message)).toMatchInlineSnapshot(`
      [
        "malformed.jsonl:2: service.errors: required field is missing",
        "malformed.jsonl:3: not JSON (Unexpected token 'N', ..."atencyMs":NaN},"data"... is not valid JSON)",
        "malformed.jsonl:4: service.requests: Too small: expected number to be >=0; service.errors: errors (2) exceed requests (-5)",
        "malformed.jsonl:5: end: end (2026-05-31T00:00:00Z) is not after start (2026-06-01T00:00:00Z)",
        "malformed.jsonl:6: not JSON (Unexpected end of JSON input)",
        "malformed.jsonl:8: service.p50LatencyMs: Invalid input: expected number, received Infinity",
        "malformed.jsonl:9: window eta/production/d01 already appears on line 1",
      ]
    `);
  });

  it("skips blank lines and accepts CRLF line endings", () => {
    const text = `\r\n${line(windowJson({ day: 1 }))}\r\n\r\n${line(windowJson({ day: 2 }))}\r\n`;
    const result = parseWindows(text);
    expect(result.ok && result.value.map((w) => w.window)).toEqual(["d01", "d02"]);
  });

  it("rejects counts that are negative or fractional and errors above requests", () => {
    const bad = windowJson({ day: 1, requests: 10, errors: 11, labelled: 2.5 });
    expect(messages(line(bad))).toMatchInlineSnapshot(`
      [
        "live.jsonl:1: service.errors: errors (11) exceed requests (10); outcomes.labelled: Invalid input: expected int, received number",
      ]
    `);
  });

  it("rejects quality metrics reported before any outcome is labelled", () => {
    expect(messages(line(windowJson({ day: 1, labelled: 0, metrics: { recall: 0.9 } })))).toMatchInlineSnapshot(`
      [
        "live.jsonl:1: outcomes.metrics: quality metrics given with no labelled outcomes",
      ]
    `);
  });

  it("rejects unknown fields, so a misspelt figure is not silently dropped", () => {
    const typo = { ...windowJson({ day: 1 }), data: { freshnessLagMins: 3 } };
    expect(messages(line(typo))).toMatchInlineSnapshot(`
      [
        "live.jsonl:1: data: Unrecognized key: "freshnessLagMins"",
      ]
    `);
  });

  it("rejects distributions whose buckets do not match their edges", () => {
    const distributions = {
      score: { edges: [0, 0.5, 1], counts: [3, 4, 5] },
      gap: { edges: [0, 2, 1], proportions: [0.5, 0.5] },
      lag: { edges: [0, 1, 2], proportions: [0.5, 0.6] },
      both: { edges: [0, 1], counts: [1], proportions: [1] },
    };
    expect(messages(line(windowJson({ day: 1, distributions })))).toMatchInlineSnapshot(`
      [
        "live.jsonl:1: distributions.score.counts: 3 edges make 2 buckets but counts has 3; distributions.gap.edges: edges must be strictly increasing (edges[2] is 1); distributions.lag.proportions: proportions sum to 1.1, not 1; distributions.both: give exactly one of counts or proportions",
      ]
    `);
  });

  it("rejects a window served by an alias other than canary or production", () => {
    expect(messages(line({ ...windowJson({ day: 1 }), alias: "staging" }))).toMatchInlineSnapshot(`
      [
        "live.jsonl:1: alias: Invalid option: expected one of "canary"|"production"",
      ]
    `);
  });
});
