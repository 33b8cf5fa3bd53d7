import { describe, expect, it } from "vitest";
import { digestString, manifestNameProblem, parseDirManifest, recordOutputsMismatch, type RecordedOut } from "../../src/cache/index.js";

const bytes = (value: unknown) => Buffer.from(JSON.stringify(value));

describe("directory manifests", () => {
  it("accepts plain relative names below the output folder", () => {
    for (const name of ["a.csv", "sub/b.txt", "deep/er/c", "..hidden", "a..b", "é/ü"]) expect(manifestNameProblem(name), name).toBeUndefined();
  });

  it("refuses every name that could leave its folder or alias another", () => {
    for (const name of ["", "/etc/passwd", "\\x", "C:/x", "../x", "a/../../x", "a\\..\\x", "./a", "a//b", "a/", "a/.", "a\0b", 7, null]) {
      expect(manifestNameProblem(name), JSON.stringify(name)).toBeDefined();
    }
  });

  it("parses a manifest and refuses one with an escaping name, a bad digest, a duplicate or a file used as a folder", () => {
    const d = digestString("x");
    expect(parseDirManifest(bytes({ kind: "dir", files: [["a", d], ["sub/b", d]] }))).toEqual({ ok: true, files: [["a", d], ["sub/b", d]], dirs: [] });
    expect(parseDirManifest(bytes({ kind: "dir", files: [["run.sh", d, "x"]], dirs: ["logs", "tmp/empty"] }))).toEqual({
      ok: true,
      files: [["run.sh", d, "x"]],
      dirs: ["logs", "tmp/empty"],
    });
    const problem = (value: unknown) => {
      const parsed = parseDirManifest(bytes(value));
      return parsed.ok ? undefined : parsed.problem;
    };
    expect(problem({ kind: "dir", files: [["../../x", d]] })).toBe('the manifest names "../../x", which leaves its folder (..)');
    expect(problem({ kind: "dir", files: [["a", "nope"]] })).toContain("bad digest");
    expect(problem({ kind: "dir", files: [["a", d], ["a", d]] })).toContain("twice");
    expect(problem({ kind: "dir", files: [["a", d], ["a/b", d]] })).toContain("both as a file and as a folder");
    expect(problem({ files: [] })).toContain("not a directory manifest");
    expect(problem({ kind: "dir", files: [["a", d, "rwx"]] })).toContain('is not [name, digest] or [name, digest, "x"]');
    expect(problem({ kind: "dir", files: [], dirs: ["../up"] })).toBe('the manifest names the folder "../up", which leaves its folder (..)');
    expect(problem({ kind: "dir", files: [["a", d]], dirs: ["a"] })).toContain("both as a file and as a folder");
    expect(problem({ kind: "dir", files: [["a", d]], dirs: ["a/b"] })).toContain("both as a file and as a folder");
    expect(parseDirManifest(Buffer.from("{"))).toEqual({ ok: false, problem: "the manifest is not valid JSON" });
  });
});

describe("a record's outputs against the declaration", () => {
  const out = (kind: RecordedOut["kind"], path: string): RecordedOut => ({ kind, path, digest: digestString(path), size: 1 });
  const declared = [{ name: "tree", kind: "dir", path: "data/tree" }, { name: "model", kind: "file", path: "model.bin" }] as const;

  it("accepts the same names, kinds and paths", () => {
    expect(recordOutputsMismatch(declared, { tree: out("dir", "data/tree"), model: out("file", "model.bin") })).toBeUndefined();
  });

  it("names what differs: a kind, a path, a missing or an extra output", () => {
    expect(recordOutputsMismatch(declared, { tree: out("file", "data/tree"), model: out("file", "model.bin") })).toBe(
      'it records output "tree" as a file, the stage declares a dir',
    );
    expect(recordOutputsMismatch(declared, { tree: out("dir", "elsewhere"), model: out("file", "model.bin") })).toContain('at "elsewhere"');
    expect(recordOutputsMismatch(declared, { tree: out("dir", "data/tree") })).toBe('it does not record output "model"');
    expect(recordOutputsMismatch(declared, { tree: out("dir", "data/tree"), model: out("file", "model.bin"), log: out("file", "x") })).toBe(
      "it records outputs the stage does not declare (log)",
    );
  });
});
