/** Human rendering of the registry part of `sluice verify`. */
import type { RegistryVerification } from "../registry/index.js";

/** One summary line when all is well; otherwise every problem, first one first. */
export function renderVerification(v: RegistryVerification): string {
  const elsewhere = v.elsewhere > 0 ? ` (${v.elsewhere} kept by other workspaces of this shared registry)` : "";
  const summary = `${v.location}: ${v.lines} events, ${v.releases} releases, ${v.aliases} live aliases, ${v.objects} pinned objects${elsewhere}`;
  if (v.ok) return `ok  ${summary}`;
  return [`FAILED  ${summary}`, ...v.problems.map((p) => `  ${p.message}`)].join("\n");
}
