/**
 * The digest of every dep of a stage, the inputs of its key: a source
 * file's from the stat cache, an upstream output's from that stage's result
 * (or, when planning, from the outputs assumed for a stage that would run),
 * an external value's from resolving it once per build.
 */
import { externalDigest, isDigest, type Digest, type StatCache } from "../cache/index.js";
import type { ExternalRef, Json, Stage, StageId } from "../pipeline/index.js";
import type { StageFailure } from "./events.js";

/** The digest of an upstream stage's output, when known. */
export type OutputDigest = (stage: StageId, out: string) => string | undefined;

/**
 * External values, each resolved once per build however many stages name
 * it (a registry alias read by every promotion of a project).
 */
export class ExternalValues {
  readonly #workspaceRoot: string;
  readonly #resolved = new Map<string, Promise<{ value: Json; digest: Digest }>>();

  constructor(workspaceRoot: string) {
    this.#workspaceRoot = workspaceRoot;
  }

  /** The value and digest of `ref`; rejects when its resolver fails. */
  resolve(ref: ExternalRef): Promise<{ value: Json; digest: Digest }> {
    let resolved = this.#resolved.get(ref.id);
    if (!resolved) {
      const resolveRef = ref.resolve;
      // Called inside `then` so a resolver that throws at once rejects like one that rejects later.
      resolved = Promise.resolve({ workspaceRoot: this.#workspaceRoot })
        .then(resolveRef)
        .then((value) => ({ value, digest: externalDigest(value) }));
      this.#resolved.set(ref.id, resolved);
    }
    return resolved;
  }

  /** The resolved value of `stage`'s external dep `name` (null for any other dep). */
  async valueOf(stage: Stage, name: string): Promise<Json> {
    const dep = stage.deps.find((d) => d.name === name);
    return dep?.kind === "external" ? ((await this.#resolved.get(dep.ref.id))?.value ?? null) : null;
  }
}

/** Digests by dep name, or why one dep has none (the stage fails with it). */
export type DepDigests = { readonly ok: true; readonly digests: ReadonlyMap<string, Digest> } | { readonly ok: false; readonly failure: StageFailure };

/** Digests the deps of `stage`; an upstream output with no known digest is left out. */
export async function depDigests(stage: Stage, outputDigest: OutputDigest, statCache: StatCache, externals: ExternalValues): Promise<DepDigests> {
  const digests = new Map<string, Digest>();
  for (const dep of stage.deps) {
    if (dep.kind === "output") {
      const digest = outputDigest(dep.stage, dep.out);
      if (digest) digests.set(dep.name, digest as Digest);
    } else if (dep.kind === "source") {
      const digest = await statCache.digest(dep.path);
      if (!digest) return { ok: false, failure: { reason: "missing-input", message: `input "${dep.name}" (${dep.path}) does not exist` } };
      digests.set(dep.name, digest);
    } else if (dep.kind === "url") {
      // The pin is the digest: planning needs no network, and the bytes are checked against it when fetched.
      if (isDigest(dep.digest)) digests.set(dep.name, dep.digest);
    } else {
      // A registry that cannot be read (a damaged log, a database that is down) fails this stage, not the run.
      const value = await externals.resolve(dep.ref).catch((error: unknown) => error as Error);
      if (value instanceof Error) {
        return { ok: false, failure: { reason: "external-unavailable", message: `dep "${dep.name}" (${dep.ref.id}) could not be read: ${value.message}` } };
      }
      digests.set(dep.name, value.digest);
    }
  }
  return { ok: true, digests };
}

/** Output digests of upstream results, for `depDigests`. */
export function resultDigests(upstream: readonly { readonly id: StageId; readonly outs: Readonly<Record<string, { readonly digest: string }>> }[]): OutputDigest {
  const byId = new Map(upstream.map((r) => [r.id, r]));
  return (stage, out) => byId.get(stage)?.outs[out]?.digest;
}
