/**
 * The architecture, held in CI: every import under `src/` and `contracts/`
 * keeps to the layer table of `layers.ts` (README.md, "Architecture").
 */
import { build } from "esbuild";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  importEdges,
  indexViolations,
  layerViolations,
  runtimeCycles,
  sourceFiles,
  unplacedFiles,
} from "./import-graph.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const files = sourceFiles(root);
const edges = importEdges(root, files);

describe("the layer table", () => {
  it("places every source file in a layer", () => {
    expect(unplacedFiles(files)).toEqual([]);
  });

  it("lets no import go up the table or sideways, and keeps contracts/ free of src/", () => {
    expect(layerViolations(edges)).toEqual([]);
  });

  it("enters every folder through its index.ts", () => {
    expect(indexViolations(root, edges)).toEqual([]);
  });

  it("has no runtime import cycle", () => {
    expect(runtimeCycles(edges)).toEqual([]);
  });

  it("sees every runtime import that esbuild resolves, and no other", async () => {
    // The scan is textual; esbuild parses. Agreeing on the runtime edges
    // means no import form slips past the rules above.
    const result = await build({
      absWorkingDir: root,
      entryPoints: files,
      bundle: true,
      write: false,
      metafile: true,
      packages: "external",
      platform: "node",
      format: "esm",
      splitting: true,
      outdir: "layer-check-out",
      logLevel: "silent",
    });
    const parsed = Object.entries(result.metafile.inputs).flatMap(([from, input]) =>
      input.imports.filter((entry) => !entry.external && files.includes(entry.path)).map((entry) => `${from} -> ${entry.path}`),
    );
    const scanned = edges.filter((edge) => !edge.typeOnly).map((edge) => `${edge.from} -> ${edge.to}`);
    expect([...new Set(scanned)].sort()).toEqual([...new Set(parsed)].sort());
  });
});
