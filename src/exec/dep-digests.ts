/**
 * The digest of every dep of a stage, the inputs of its key: a source
 * file's from the stat cache, an upstream output's from that stage's result
 * (or, when planning, from the outputs assumed for a stage that would run),
 * an external value's from resolving it once per build.
 */
import { externalDigest, isDigest, type Digest, type StatCache, type UnfollowedLink } from "../cache/index.js";
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
      const found = await statCache.inspect(dep.path);
      if (!found) return { ok: false, failure: { reason: "missing-input", message: `input "${dep.name}" (${dep.path}) does not exist` } };
      if ("link" in found) return { ok: false, failure: { reason: "unfollowable-link", message: unfollowedLinkMessage(dep.name, dep.path, found.link) } };
      digests.set(dep.name, found.digest);
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

/**
 * Why a source folder cannot be an input: one of its symlinks leads where
 * its digest cannot follow. The stage would read bytes no key covers, so it
 * fails instead, naming the folder, the link, its target and the fix.
 */
function unfollowedLinkMessage(name: string, folder: string, { link, target, why }: UnfollowedLink): string {
  const where = `input "${name}" (${folder}) holds the symlink ${link} -> ${target}`;
  switch (why) {
    case "outside":
      return `${where}, which leads outside the workspace, where no digest covers it: copy the file into the folder, or move what it points to into the workspace and declare it as its own dep`;
    case "dangling":
      return `${where}, which points to nothing: remove the link, or point it at a file inside the workspace`;
    case "loop":
      return `${where}, which leads back to a folder holding it: remove the link`;
  }
}

/** Output digests of upstream results, for `depDigests`. */
export function resultDigests(upstream: readonly { readonly id: StageId; readonly outs: Readonly<Record<string, { readonly digest: string }>> }[]): OutputDigest {
  const byId = new Map(upstream.map((r) => [r.id, r]));
  return (stage, out) => byId.get(stage)?.outs[out]?.digest;
}
