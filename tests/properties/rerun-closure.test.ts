import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withStatus, Workspace } from "../rig.js";

/** A random layered pipeline of cmd stages, each with its own input file and up to two upstream stages. */
const pipelineArbitrary = fc.integer({ min: 3, max: 24 }).chain((size) =>
  fc.record({
    size: fc.constant(size),
    picks: fc.array(fc.array(fc.nat(), { maxLength: 2 }), { minLength: size, maxLength: size }),
    changed: fc.uniqueArray(fc.nat({ max: size - 1 }), { minLength: 1, maxLength: 3 }),
  }),
);

function pipelineFiles(size: number, picks: number[][]): { files: Record<string, string>; upstream: number[][] } {
  const upstream: number[][] = [];
  const lines: string[] = [];
  const files: Record<string, string> = {};
  for (let i = 0; i < size; i++) {
    const ups = i === 0 ? [] : [...new Set((picks[i] ?? []).map((p) => p % i))].sort((a, b) => a - b);
    upstream.push(ups);
    files[`in/s${i}.txt`] = `input ${i}\n`;
    const deps = [`input: source("in/s${i}.txt")`, ...ups.map((u) => `d${u}: s${u}.outs.out`)].join(", ");
    const cat = ["{deps.input}", ...ups.map((u) => `{deps.d${u}}`)].join(" ");
    lines.push(`  const s${i} = p.stage("s${i}", { deps: { ${deps} }, outs: { out: file("out/s${i}.txt") }, cmd: "cat ${cat} > {outs.out}" });`);
    if (i > 0) lines.push(`  void s${i - 1};`);
  }
  files["pipeline.ts"] = `import { defineProject, file, source } from "sluice";\nexport default defineProject("r", (p) => {\n${lines.join("\n")}\n});\n`;
  return { files, upstream };
}

function downstreamClosure(upstream: number[][], changed: number[]): string[] {
  const hit = new Set(changed);
  for (let i = 0; i < upstream.length; i++) if ((upstream[i] ?? []).some((u) => hit.has(u))) hit.add(i);
  return [...hit].map((i) => `r:s${i}`).sort();
}

describe("incremental reruns on random pipelines", () => {
  it("reruns exactly the downstream closure of the changed inputs", async () => {
    await fc.assert(
      fc.asyncProperty(pipelineArbitrary, async ({ size, picks, changed }) => {
        const { files, upstream } = pipelineFiles(size, picks);
        const ws = new Workspace(files);
        try {
          const cold = await ws.runJson(["--jobs", "2"]);
          expect(withStatus(cold, "ran")).toHaveLength(size);
          for (const i of changed) ws.write(`in/s${i}.txt`, `changed input ${i}\n`);
          const warm = await ws.runJson(["--jobs", "2"]);
          expect(withStatus(warm, "ran")).toEqual(downstreamClosure(upstream, changed));
          expect(withStatus(warm, "cached")).toHaveLength(size - downstreamClosure(upstream, changed).length);
        } finally {
          ws.dispose();
        }
      }),
      { numRuns: 4 },
    );
  });
});
