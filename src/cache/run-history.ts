/**
 * The run history, sluice's experiment tracker: one JSON line per executed
 * stage in `cache/history.jsonl`, answering "which run produced this model,
 * with what params, and what was its AUC".
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Json } from "../pipeline/index.js";

export interface HistoryEntry {
  /** Unique per executed stage: `<invocation>.<n>`. */
  readonly run: string;
  readonly stage: string;
  readonly key: string;
  readonly status: "ran" | "failed" | "held";
  readonly startedAt: string;
  readonly durationMs: number;
  readonly params: Readonly<Record<string, Json>>;
  readonly deps: Readonly<Record<string, string>>;
  readonly outs: Readonly<Record<string, string>>;
  readonly metrics: Json | undefined;
  readonly commit: string | undefined;
  readonly exit: string | undefined;
  /** Where it executed when not here: the executor (`slurm`), its job id and node. Absent for local runs. */
  readonly executor?: string;
  readonly job?: string;
  readonly node?: string;
}

export async function appendHistory(path: string, entries: readonly HistoryEntry[]): Promise<void> {
  if (entries.length === 0) return;
  mkdirSync(dirname(path), { recursive: true });
  // One append of whole lines: concurrent readers never see half an entry.
  appendFileSync(path, entries.map((e) => `${JSON.stringify(e)}\n`).join(""));
}

/** Every entry, oldest first; a torn last line (a killed writer) is skipped. */
export async function readHistory(path: string): Promise<HistoryEntry[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch {
    return [];
  }
  const entries: HistoryEntry[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      entries.push(JSON.parse(line) as HistoryEntry);
    } catch {
      // torn line
    }
  }
  return entries;
}
