/**
 * Piped or in CI, a running stage's output is printed a line at a time, each
 * line prefixed with the stage's id: a line the stage writes in pieces is
 * still one line, and its last line is printed even without a newline.
 */
import { afterEach, describe, expect, it } from "vitest";
import { Workspace } from "../rig.js";

let ws: Workspace | undefined;
afterEach(() => ws?.dispose());

describe("stage output on a pipe", () => {
  it("prints each line whole, however the stage wrote it, and the last one without its newline", async () => {
    ws = new Workspace({
      "pipeline.ts": `import { defineProject, file } from "sluice";
export default defineProject("o", (p) => {
  p.stage("talk", { outs: { y: file("y.txt") }, cmd: "printf 'progress: '; sleep 0.3; printf '50%%\\\\n\\\\n'; printf 'done'; touch {outs.y}" });
});
`,
    });
    const out = await ws.run(["run"]);
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr.split("\n").filter((line) => line.startsWith("[o:talk]"))).toEqual(["[o:talk] progress: 50%", "[o:talk] ", "[o:talk] done"]);
  });
});
