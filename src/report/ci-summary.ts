/**
 * GitHub Actions output for `sluice run`: a Markdown job summary appended to
 * the file named by GITHUB_STEP_SUMMARY (stages with status and duration,
 * then decisions with their failed gates), and one `::error` workflow
 * command per failed stage, pointing at the `p.stage(...)` call that
 * declared it so the failure shows up on that line of the pull request.
 *
 * Annotations go to stderr: the runner reads workflow commands from both
 * streams, and stdout belongs to `--json`.
 */
import { appendFile } from "node:fs/promises";
import { relative, sep } from "node:path";
import type { StageResult, StageStatus } from "../exec/index.js";
import type { Stage, StageId } from "../pipeline/index.js";
import { unreachable } from "../util/result.js";
import { formatDuration, writeErr } from "./terminal.js";

/**
 * Appends the summary (when GITHUB_STEP_SUMMARY names a file) and prints the
 * annotations. A summary that cannot be written is a warning, never a failed run.
 */
export async function reportToCi(results: readonly StageResult[], stages: ReadonlyMap<StageId, Stage>, env: NodeJS.ProcessEnv): Promise<void> {
  const summaryFile = env["GITHUB_STEP_SUMMARY"];
  if (summaryFile) {
    try {
      await appendFile(summaryFile, ciSummaryMarkdown(results));
    } catch (error) {
      writeErr(`warning: cannot append the job summary to ${summaryFile}: ${(error as Error).message}`);
    }
  }
  const base = env["GITHUB_WORKSPACE"] || process.cwd();
  for (const line of ciAnnotations(results, stages, base)) writeErr(line);
}

/** The Markdown job summary: a headline, the stages that did something, cached ones folded, decisions. */
export function ciSummaryMarkdown(results: readonly StageResult[]): string {
  const counts = new Map<StageStatus, number>();
  for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  const failed = (counts.get("failed") ?? 0) + (counts.get("interrupted") ?? 0) > 0;
  const headline = [...counts].map(([status, n]) => `${n} ${status}`).join(", ") || "nothing to do";
  const lines = [`### ${failed ? "❌" : "✅"} sluice run: ${headline}`, ""];
  // Hits are most of a typical CI run and say little; fold them so failures stay on screen.
  const hits = results.filter((r) => r.status === "cached" || r.status === "restored");
  const active = results.filter((r) => !hits.includes(r));
  if (active.length > 0) lines.push(...stageTable(active), "");
  if (hits.length > 0) {
    lines.push(`<details><summary>${hits.length} stage${hits.length === 1 ? "" : "s"} from the cache</summary>`, "", ...stageTable(hits), "", "</details>", "");
  }
  const decisions = results.flatMap((r) => r.decisions);
  if (decisions.length > 0) {
    lines.push("#### Decisions", "", "| project | release | decision | failed gates |", "| --- | --- | --- | --- |");
    for (const d of decisions) {
      const failedGates = Array.isArray(d["failed"]) ? d["failed"].map((g) => `\`${cell(String(g))}\``).join(", ") : "";
      lines.push(`| ${cell(d.project)} | ${cell(typeof d["release"] === "string" ? d["release"] : "")} | ${cell(d.decision)} | ${failedGates} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

function stageTable(results: readonly StageResult[]): string[] {
  return [
    "| stage | status | duration |",
    "| --- | --- | --- |",
    ...results.map((r) => {
      const detail = r.failure ? `: ${r.failure.reason}: ${r.failure.message}` : "";
      const time = r.status === "ran" || r.status === "failed" || r.status === "interrupted" || r.status === "held" ? formatDuration(r.durationMs) : "";
      return `| \`${r.id}\` | ${statusText(r.status)}${cell(detail)} | ${time} |`;
    }),
  ];
}

function statusText(status: StageStatus): string {
  switch (status) {
    case "failed":
      return "❌ failed";
    case "held":
      return "✋ held";
    case "interrupted":
      return "⏹️ interrupted";
    case "skipped":
      return "⏭️ skipped";
    case "ran":
    case "cached":
    case "restored":
    case "would-run":
      return status;
    default:
      return unreachable(status);
  }
}

/** One `::error file=…,line=…,title=…::message` per failed stage, paths relative to `base`. */
export function ciAnnotations(results: readonly StageResult[], stages: ReadonlyMap<StageId, Stage>, base: string): string[] {
  return results.flatMap((r) => {
    if (r.status !== "failed") return [];
    const stage = stages.get(r.id);
    const where = stage ? `file=${property(relative(base, stage.location.file).split(sep).join("/"))},line=${stage.location.line},` : "";
    const reason = r.failure ? `${r.failure.reason}: ${r.failure.message}` : "failed";
    const tail = r.logTail ? `\n${r.logTail.split("\n").slice(-10).join("\n")}` : "";
    return [`::error ${where}title=${property(`sluice: ${r.id} failed`)}::${data(`${r.id} failed (${reason})${tail}`)}`];
  });
}

/** A Markdown table cell: pipes escaped, one line. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** Escaping of workflow command data (the message). */
function data(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** Escaping of workflow command properties (file, title). */
function property(text: string): string {
  return data(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}
