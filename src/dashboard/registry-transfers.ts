/** The lines `registry export|import|sync|anchor` print for people (their `--json` is the operation's document). */
import type { RegistryVerification } from "../registry/index.js";
import { renderVerification } from "./registry-verify.js";

export function renderExport(exported: { from: string; out: string | undefined; lines: number }): string {
  return `wrote ${exported.lines} events from ${exported.from} to ${exported.out}`;
}

export function renderImport(report: { from: string; to: string; existing: number; imported: number; verification: RegistryVerification }): string {
  const what =
    report.imported === 0
      ? `nothing to import: ${report.to} already holds all ${report.existing} events of ${report.from}`
      : `imported ${report.imported} events from ${report.from} into ${report.to}${report.existing > 0 ? ` (after the ${report.existing} it already held)` : ""}`;
  return `${what}\n${renderVerification(report.verification)}`;
}

export function renderSync(synced: { location: string; rewritten: readonly string[]; applies: boolean }): string {
  if (!synced.applies) return `${synced.location} rewrites its alias files on every write; nothing to sync`;
  return synced.rewritten.length === 0 ? "alias files already match the registry" : synced.rewritten.map((f) => `rewrote ${f}`).join("\n");
}

export function renderAnchor(anchored: { location: string; source: string; lines: number; fromTrusted: number }): string {
  const { location, source, lines, fromTrusted } = anchored;
  const after = lines > fromTrusted ? `; lines ${fromTrusted + 1}-${lines} are newer than ${source} and chain onto it: review them (\`sluice registry history\`)` : "";
  return `anchored ${location} at line ${lines} on ${source} (lines 1-${fromTrusted} as it holds them)${after}`;
}
