/** Human rendering of `sluice lineage`: the live release back to its evidence. */
import type { RegistryEvent } from "../../contracts/index.js";
import type { Lineage } from "../registry/index.js";
import { table } from "../report/index.js";

/** The lineage as an indented report. */
export function renderLineage(lineage: Lineage): string {
  const l = lineage;
  const keys = Object.entries(l.build.stageKeys).sort((a, b) => a[0].localeCompare(b[0]));
  return [
    `${l.project} ${l.ref} -> ${l.release}  manifest ${l.manifestDigest}${l.liveAs.length > 0 ? `  (live as ${l.liveAs.join(", ")})` : ""}`,
    table([
      ["  data snapshot", l.data.id, l.data.digest],
      ["  features", l.features.version, l.features.digest],
      ["  model", l.model.id, l.model.digest],
      ["  action policy", l.actionPolicy.id, `${l.actionPolicy.digest}  ${JSON.stringify(l.actionPolicy.thresholds)}`],
      ["  monitor policy", l.monitorPolicy.id, l.monitorPolicy.digest],
      ["  evaluation", "report", `${l.evaluation.reportDigest}  ${JSON.stringify(l.evaluation.metrics)}`],
    ]),
    "gate evidence:",
    ...l.gates.map((g) => `  ${g.passed ? "pass" : "FAIL"} ${g.name} value=${JSON.stringify(g.value)} threshold=${JSON.stringify(g.threshold)} ${JSON.stringify(g.evidence)}`),
    "built by:",
    ...(keys.length > 0 ? keys.map(([stage, key]) => `  ${stage}  ${key}`) : ["  (no stage keys recorded)"]),
    `  commit ${l.build.pipelineCommit ?? "(not in git)"}; created by ${l.build.createdBy} at ${l.build.createdAt}` +
      (l.build.trigger ? `; trigger ${l.build.trigger.kind}: ${l.build.trigger.cause}` : ""),
    "approvals:",
    ...(l.approvals.length > 0
      ? l.approvals.map(
          (a) =>
            `  ${a.role} by ${a.by} at ${a.at}${a.note ? ` (${a.note})` : ""}` +
            (a.counted ? `  signed by ${a.signer.join(", ")} (key ${a.key})` : `  NOT COUNTED: ${a.why ?? "unchecked"}`),
        )
      : ["  none"]),
    "events:",
    ...l.events.map((e) => `  ${String(e.seq).padStart(4)} ${e.at} ${e.actor}: ${describeEvent(e)}`),
  ].join("\n");
}

/** One event in a sentence. */
export function describeEvent(event: RegistryEvent): string {
  switch (event.type) {
    case "release_registered":
      return `registered ${event.release}`;
    case "alias_moved":
      return `${event.alias} ${event.from ?? "(unset)"} -> ${event.to ?? "(cleared)"} [${event.cause}] ${event.reason}`;
    case "decision":
      return `decision ${event.decision}${event.failed.length > 0 ? `:${event.failed.join(",")}` : ""} ${event.reason}`;
    case "approval":
      return `approved ${event.release} as ${event.role} by ${event.by}`;
    case "rollback":
      return `rollback ${event.alias} ${event.from} -> ${event.to}: ${event.reason}`;
  }
}
