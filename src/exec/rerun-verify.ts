/**
 * `verify --rerun`: a hit is executed again into scratch space (its deps
 * are in the workspace, its outputs are hashed, stored and placed nowhere)
 * and the digests compared with its record's. A stage that made decisions
 * (a promotion) is not rerun: that would repeat them.
 */
import type { RecordedHit } from "../cache/index.js";
import type { StageResult, Verification } from "./events.js";

/** Compares a scratch rerun (started by `rerun`) with the record it should reproduce. */
export async function verifyByRerun(record: RecordedHit, rerun: () => Promise<StageResult>): Promise<Verification> {
  if (record.decisions.length > 0) return { outcome: "not-rerun", why: "it records decisions (a promotion); rerunning would repeat them" };
  const result = await rerun();
  if (result.status !== "ran") return { outcome: "not-rerun", why: `the rerun failed: ${result.failure?.message ?? result.status}` };
  const outputs = Object.entries(record.outs)
    .map(([name, out]) => ({ name, recorded: out.digest, rerun: result.outs[name]?.digest ?? "missing" }))
    .filter((o) => o.recorded !== o.rerun);
  return outputs.length === 0 ? { outcome: "identical" } : { outcome: "differs", outputs };
}
