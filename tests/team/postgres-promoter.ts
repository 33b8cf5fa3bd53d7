/**
 * One of many concurrent promoters, as its own process: submits its own
 * candidate (model bytes named by its index) to the PostgreSQL registry,
 * gets it approved, and records a monitoring decision every promoter
 * shares (same idempotency key). Prints what happened as one JSON line.
 *
 *   node --import tsx postgres-promoter.ts <workspace root> <index> <postgres url>
 */
import { join } from "node:path";
import { ObjectStore } from "../../src/cache/object-store.js";
import { describeRefusal, openRegistry } from "../../src/registry/index.js";
import { signingKey } from "../signers.js";
import { candidate, LINEAGE, seedPolicy, type TempWorkspace } from "../registry/workspace.js";

const [root, index, url] = process.argv.slice(2) as [string, string, string];
const policy = seedPolicy().projects["eta"]!;
const registry = await openRegistry(root, { actor: `promoter-${index}`, url });
const ws = { root, store: new ObjectStore(join(root, "cache")) } as TempWorkspace;

const submitted = await registry.submitCandidate({ candidate: await candidate(ws, { model: `weights of promoter ${index}` }), lineage: LINEAGE, policy });
if (!submitted.ok) throw new Error(describeRefusal(submitted.error));
const release = submitted.value.release;
for (const [role, by] of [["ml_lead", "bob"], ["risk", "carol"]] as const) {
  const approved = await registry.approve(policy, { project: "eta", release, role, by, note: `promoter ${index}` }, signingKey(by));
  if (!approved.ok) throw new Error(describeRefusal(approved.error));
}
const decided = await registry.decide({
  type: "decision",
  project: "eta",
  decision: "pause",
  release: null,
  failed: [],
  reason: "window 7 has too few delayed labels",
  evidence: { window: 7, labelled: 12 },
  key: "eta:canary:window-7",
});
process.stdout.write(`${JSON.stringify({ release, decision: submitted.value.decision, recorded: decided.recorded })}\n`);
