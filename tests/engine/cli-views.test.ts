/**
 * README commands no other test held to their word: `dag --format
 * mermaid|dot` (a well-formed graph holding every stage and edge, nothing
 * more), `runs diff` (two runs side by side, the changed fields marked) and
 * `run --force [stages]` (reruns exactly the named stages, or all).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statuses, Workspace } from "../rig.js";

// Stage names that differ only in `-` and `_`, and one with a dot: each must stay its own node.
const PIPELINE = `import { defineProject, file } from "sluice";
export default defineProject("p", (p) => {
  const a = p.stage("a", { params: { n: 1 }, outs: { o: file("a.txt") }, cmd: 'echo run >> "$COUNTS/a"; echo {params.n} > {outs.o}' });
  const b = p.stage("b", { deps: { x: a.outs.o }, outs: { o: file("b.txt") }, cmd: 'echo run >> "$COUNTS/b"; cat {deps.x} > {outs.o}' });
  p.stage("c-d", { deps: { x: a.outs.o, y: b.outs.o }, outs: { o: file("cd1.txt") }, cmd: 'echo run >> "$COUNTS/c-d"; cat {deps.x} {deps.y} > {outs.o}' });
  p.stage("c_d", { deps: { y: b.outs.o }, outs: { o: file("cd2.txt") }, cmd: 'echo run >> "$COUNTS/c_d"; cat {deps.y} > {outs.o}' });
  p.stage("v1.2", { outs: { o: file("v.txt") }, cmd: 'echo run >> "$COUNTS/v1.2"; echo v > {outs.o}' });
});
`;

const STAGES = ["p:a", "p:b", "p:c-d", "p:c_d", "p:v1.2"];
const EDGES = ["p:a -> p:b", "p:a -> p:c-d", "p:b -> p:c-d", "p:b -> p:c_d"];

let ws: Workspace;
beforeAll(async () => {
  ws = new Workspace({ "pipeline.ts": PIPELINE });
  expect((await ws.runJson()).code).toBe(0);
});
afterAll(() => ws.dispose());

async function dag(format: string): Promise<string> {
  const out = await ws.run(["dag", "--format", format]);
  expect(out.code, out.stderr).toBe(0);
  return out.stdout.trim();
}

describe("sluice dag", () => {
  it("prints a mermaid flowchart with one distinct node per stage and exactly the stage edges", async () => {
    const lines = (await dag("mermaid")).split("\n").map((l) => l.trim());
    expect(lines[0]).toBe("flowchart LR");
    // Nodes: `id["label"]`, ids of letters, digits and _ only (Mermaid's rule), one per stage.
    const nodes = new Map<string, string>();
    for (const line of lines) {
      const node = /^([^\s[]+)\["(.*)"\]$/.exec(line);
      if (!node) continue;
      expect(node[1], line).toMatch(/^[A-Za-z0-9_]+$/);
      expect(nodes.has(node[1] as string), `two stages share the id ${node[1]}`).toBe(false);
      nodes.set(node[1] as string, node[2] as string);
    }
    expect([...nodes.values()].sort()).toEqual(STAGES);
    const edges = lines.filter((l) => l.includes("-->")).map((l) => l.split(/\s*-->\s*/).map((id) => nodes.get(id) ?? `unknown ${id}`).join(" -> "));
    expect(edges.sort()).toEqual(EDGES);
    // Every subgraph closes.
    expect(lines.filter((l) => l.startsWith("subgraph ")).length).toBe(lines.filter((l) => l === "end").length);
  });

  it("prints a dot digraph with every stage and exactly the stage edges", async () => {
    const text = await dag("dot");
    expect(text).toMatch(/^digraph \w+ \{\n[\s\S]*\n\}$/);
    expect(text.split("{").length).toBe(text.split("}").length);
    const quoted = [...text.matchAll(/^\s*"([^"]+)";$/gm)].map((m) => m[1]);
    expect(quoted.sort()).toEqual(STAGES);
    const edges = [...text.matchAll(/^\s*"([^"]+)" -> "([^"]+)";$/gm)].map((m) => `${m[1]} -> ${m[2]}`);
    expect(edges.sort()).toEqual(EDGES);
  });
});

describe("sluice run --force", () => {
  const counts = () => Object.fromEntries(STAGES.map((id) => [id, ws.count(id.slice(2))]));

  it("reruns exactly the named stages, and downstream only as their outputs require", async () => {
    const before = counts();
    const run = await ws.runJson(["--force", "p:b", "p:v1.2"]);
    expect(run.code, run.stderr).toBe(0);
    expect(statuses(run)).toEqual({ "p:a": "cached", "p:b": "ran", "p:c-d": "cached", "p:c_d": "cached", "p:v1.2": "ran" });
    expect(counts()).toEqual({ ...before, "p:b": (before["p:b"] ?? 0) + 1, "p:v1.2": (before["p:v1.2"] ?? 0) + 1 });
  });

  it("reruns every stage when no stage is named", async () => {
    const before = counts();
    const run = await ws.runJson(["--force"]);
    expect(run.code, run.stderr).toBe(0);
    expect(new Set(Object.values(statuses(run)))).toEqual(new Set(["ran"]));
    expect(counts()).toEqual(Object.fromEntries(STAGES.map((id) => [id, (before[id] as number) + 1])));
  });
});

describe("sluice runs diff", () => {
  it("shows two runs of a stage side by side, marking the fields that differ", async () => {
    ws.edit("pipeline.ts", "n: 1", "n: 7");
    expect((await ws.runJson(["p:a"])).code).toBe(0);
    const list = await ws.run(["runs", "p:a", "--json"]);
    const runs = (JSON.parse(list.stdout) as { runs: { run: string; params: { n: number }; outs: { o: string } }[] }).runs;
    const first = runs.find((r) => r.params.n === 1);
    const last = runs.at(-1);
    expect(first && last && last.params.n).toBe(7);

    const text = await ws.run(["runs", "diff", first!.run, last!.run]);
    expect(text.code, text.stderr).toBe(0);
    const row = (field: string) => text.stdout.split("\n").find((l) => l.startsWith(`${field} `))?.trim().split(/\s+/);
    expect(row("params.n")).toEqual(["params.n", "1", "7", "*"]);
    expect(row("stage")).toEqual(["stage", "p:a", "p:a"]);

    const json = await ws.run(["runs", "diff", first!.run, last!.run, "--json"]);
    const diff = JSON.parse(json.stdout) as { a: { run: string }; b: { run: string }; rows: { field: string; a: string; b: string }[] };
    expect([diff.a.run, diff.b.run]).toEqual([first!.run, last!.run]);
    expect(diff.rows).toContainEqual({ field: "params.n", a: "1", b: "7" });
    expect(diff.rows).toContainEqual({ field: "outs.o", a: JSON.stringify(first!.outs.o), b: JSON.stringify(last!.outs.o) });
  });

  it("says a stage named by mistake has no runs, with the nearest one that has", async () => {
    const out = await ws.run(["runs", "p:aa"]);
    expect(out.code).toBe(0);
    expect(out.stdout.trim()).toBe('no runs of p:aa recorded (did you mean "p:a"?); `sluice runs` lists every stage\'s');
  });

  it("refuses a run id the history does not hold, with exit 2", async () => {
    const out = await ws.run(["runs", "diff", "nope", "nope2"]);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('no run "nope" (sluice runs lists them)');
  });
});
