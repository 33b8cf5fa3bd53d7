/**
 * `sluice verify`: the cache (objects hash to their names, records name
 * existing objects), the registry (hash chain, alias files, pinned objects)
 * and, asked for, cached stages re-executed into scratch space
 * (non-determinism). `ok` is false on any problem; a registry that cannot
 * be read at all is a usage failure.
 */
import { openCache, verifyCache, type CacheVerdict } from "../cache/index.js";
import type { StageResult } from "../exec/index.js";
import type { RegistryVerification } from "../registry/index.js";
import { refuse, type OpResult } from "./failure.js";
import { loadWorkspaceAt, workspaceRootAt, type LoadRequest } from "./load-workspace.js";
import { rerunStages } from "./verify-rerun.js";

export interface VerifyRequest extends LoadRequest {
  /** Stages to re-execute (`--rerun`: all, a project, ids, globs); undefined: none. */
  readonly rerun: readonly string[] | undefined;
  readonly jobs: number;
}

export interface Verification {
  readonly ok: boolean;
  readonly cache: CacheVerdict;
  readonly registry: RegistryVerification;
  /** Present when stages were re-executed. */
  readonly reruns: readonly StageResult[] | undefined;
}

export async function verifyWorkspace(request: VerifyRequest): Promise<OpResult<Verification>> {
  const found = workspaceRootAt(request.cwd);
  if (!found.ok) return found;
  const root = found.value;
  const cache = await openCache(root);
  const cacheVerdict = await verifyCache(cache);
  const registry = await verifyRegistryLog(root);
  if (!registry.ok) return registry;
  let reruns: StageResult[] | undefined;
  if (request.rerun) {
    const loaded = await loadWorkspaceAt(request);
    if (!loaded.ok) return loaded;
    const rerun = await rerunStages(loaded.value, cache, request.rerun, request.jobs);
    if (!rerun.ok) return rerun;
    reruns = rerun.value;
  }
  const differing = (reruns ?? []).filter((r) => r.verification?.outcome === "differs" || r.status === "failed");
  return { ok: true, value: { ok: cacheVerdict.ok && registry.value.ok && differing.length === 0, cache: cacheVerdict, registry: registry.value, reruns } };
}

/** The registry's verdict; a usage failure when its storage cannot be read at all (server unreachable, bad URL). */
async function verifyRegistryLog(root: string): Promise<OpResult<RegistryVerification>> {
  const { verifyRegistry } = await import("../registry/index.js");
  try {
    return { ok: true, value: inRowTerms(await verifyRegistry(root)) };
  } catch (error) {
    // Verification reads and reports; it throws only when the storage cannot be read at all.
    return refuse("usage", (error as Error).message);
  }
}

/**
 * A database registry has rows, not lines: its problems name the event's
 * seq (which is also its line number in `sluice registry export`).
 */
function inRowTerms(verdict: RegistryVerification): RegistryVerification {
  if (!/^postgres(ql)?:/.test(verdict.location)) return verdict;
  return { ...verdict, problems: verdict.problems.map((p) => ({ ...p, message: p.message.replace(/\bline (\d+)/g, "seq $1") })) };
}
