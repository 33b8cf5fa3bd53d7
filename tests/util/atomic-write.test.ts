import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { writeFileAtomicSync } from "../../src/util/atomic-write.js";

const dir = mkdtempSync(join(tmpdir(), "sluice-atomic-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("atomic writes", () => {
  it.each([false, true])("replaces a file whole and leaves no temp file beside it (durable: %s)", (durable) => {
    const folder = join(dir, `replace-${durable}`);
    const path = join(folder, "nested", "head.json");
    writeFileAtomicSync(path, "old\n", { durable });
    writeFileAtomicSync(path, "new\n", { durable });
    expect(readFileSync(path, "utf8")).toBe("new\n");
    expect(readdirSync(join(folder, "nested"))).toEqual(["head.json"]);
  });

  it("keeps what was there and leaves no temp file when the rename fails", () => {
    const folder = join(dir, "refused");
    const target = join(folder, "taken");
    mkdirSync(join(target, "inside"), { recursive: true });
    writeFileSync(join(target, "inside", "keep"), "kept");
    expect(() => writeFileAtomicSync(target, "bytes", { durable: true })).toThrow();
    expect(readdirSync(folder)).toEqual(["taken"]);
    expect(readFileSync(join(target, "inside", "keep"), "utf8")).toBe("kept");
  });
});
