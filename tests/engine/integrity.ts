/**
 * Checks a workspace cache the way `verify` does, for tests: every run
 * record parses and names objects that exist and hash to their names.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { digestBytes } from "../../src/cache/index.js";

export async function cacheProblems(root: string): Promise<string[]> {
  const problems: string[] = [];
  const objects = join(root, "cache/objects");
  const files = (dir: string) => {
    try {
      return readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes("/"));
    } catch {
      return [];
    }
  };
  for (const file of files(objects)) {
    const name = file.split("/").pop() as string;
    if (digestBytes(readFileSync(join(objects, file))) !== name) problems.push(`object ${name} does not hash to its name`);
  }
  for (const file of files(join(root, "cache/records")).filter((f) => f.endsWith(".json"))) {
    let record: { outs: Record<string, { digest: string }>; log: string };
    try {
      record = JSON.parse(readFileSync(join(root, "cache/records", file), "utf8"));
    } catch {
      problems.push(`record ${file} is not valid JSON`);
      continue;
    }
    for (const digest of [record.log, ...Object.values(record.outs).map((o) => o.digest)]) {
      try {
        readFileSync(join(objects, digest.slice(0, 2), digest));
      } catch {
        problems.push(`record ${file} names missing object ${digest}`);
      }
    }
  }
  return problems;
}
