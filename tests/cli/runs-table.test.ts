/**
 * `sluice runs` fits a 120-column terminal: params and metrics as
 * `name=value`, metrics first, cut with `…` where a row would be wider;
 * `--wide` shows every param in full.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

const LONG = "a-rather-long-value-that-a-table-row-cannot-hold-next-to-everything-else-and-more";

describe("sluice runs", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineWorkspace } from "sluice";\nexport default defineWorkspace({ projects: ["projects/p"] });\n`,
      "projects/p/pipeline.ts": `import { defineProject, json } from "sluice";
import { z } from "zod";
import { fit } from "./fit.js";
export default defineProject("p", (p) => {
  p.stage("fit", {
    params: { learningRate: 0.1, epochs: 30, note: ${JSON.stringify(LONG)}, nested: { depth: 4, label: ${JSON.stringify(LONG)} } },
    outs: { metrics: json(z.object({ auc: z.number(), loss: z.number() })) },
    run: fit,
  });
});
`,
      "projects/p/fit.ts": `export function fit() { return { metrics: { auc: 0.91234567, loss: 0.25 } }; }\n`,
    });
    const run = await ws.run(["run"]);
    expect(run.code, run.stderr).toBe(0);
  });
  afterAll(() => ws.dispose());

  it("keeps every line within 120 columns, metrics whole and params cut", async () => {
    const out = await ws.run(["runs"]);
    expect(out.code, out.stderr).toBe(0);
    const lines = out.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^run\s+stage\s+status\s+duration\s+params\s+metrics$/);
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(120);
    expect(lines[1]).toMatch(/p:fit\s+ran\s+.*learningRate=0\.1 epochs=30 note=a-rather.*…\s+auc=0\.912346 loss=0\.25$/);
  });

  it("shows every param in full with --wide", async () => {
    const out = await ws.run(["runs", "--wide"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(`learningRate=0.1 epochs=30 note=${LONG} nested.depth=4 nested.label=${LONG}`);
    expect(out.stdout).toContain("auc=0.912346 loss=0.25");
  });
});
