/**
 * Gathers the key components of a stage once its deps' digests are known.
 * Params and code identity stay apart: a param edit never looks like a code
 * change, and a helper edit only reaches the stages whose code imports it.
 */
import { contractText, writtenParams, type Json, type Stage, type StageDep } from "../pipeline/index.js";
import { canonicalJson } from "../util/canonical-json.js";
import type { CodeIdentities } from "./code-identity.js";
import { digestString, hashString, type Digest } from "./digest.js";
import { probe } from "./probes.js";
import { KEY_FORMAT, type DepComponent, type KeyComponents } from "./stage-key.js";

/** How `depOrigin` begins for a URL dep (`url https://…`). */
export const URL_ORIGIN = "url ";

/** Where a dep comes from, as `explain` names it. */
export function depOrigin(dep: StageDep): string {
  switch (dep.kind) {
    case "source":
      return `source ${dep.path}`;
    case "output":
      return `${dep.stage}.${dep.out}`;
    case "external":
      return `external ${dep.ref.id}`;
    case "url":
      return `${URL_ORIGIN}${dep.url}`;
  }
}

/** The digest of a zod contract's text (see `contractText`). */
function contractDigest(schema: object): string {
  return hashString(contractText(schema));
}

/** Digest of an external dep's resolved value. */
export function externalDigest(value: Json): Digest {
  return digestString(canonicalJson(value));
}

export async function stageComponents(
  stage: Stage,
  params: Readonly<Record<string, Json>>,
  depDigests: ReadonlyMap<string, Digest>,
  code: CodeIdentities,
): Promise<KeyComponents> {
  // Every object here is built with its keys in sorted order, as the key's
  // canonical JSON lists them, so canonicalJson can take it as it is instead
  // of copying it (deps and outs come sorted by name from validation; env
  // and probes in declared order, sorted there when they are not).
  const deps: Record<string, DepComponent> = {};
  for (const dep of stage.deps) {
    const digest = depDigests.get(dep.name) ?? "missing";
    const from = depOrigin(dep);
    deps[dep.name] = dep.kind === "output" && dep.schema ? { contract: contractDigest(dep.schema), digest, from } : { digest, from };
  }
  const env: Record<string, string | null> = {};
  for (const name of stage.env) env[name] = process.env[name] ?? null;
  const probes: Record<string, string> = {};
  for (const command of stage.probes) probes[command] = await probe(command, stage.projectDir);
  const platform = `${process.platform}-${process.arch}`;
  const outs: Record<string, string> = {};
  // A persisted output changes what the stage sees when it runs (its previous copy), so it is a new key.
  for (const out of stage.outs) {
    outs[out.name] = `${out.kind}:${out.path}${out.persist ? ":persist" : ""}${out.schema ? `#contract:${contractDigest(out.schema)}` : ""}`;
  }
  if (stage.action.kind === "cmd") {
    const runtime = { platform };
    const wdir = stage.wdir === undefined ? {} : { wdir: stage.wdir };
    // The copy of each params file the command reads, in the file's words: `1.0` where the file says so, not `1`.
    const paramsWritten = stage.paramsFiles.length > 0 ? { paramsWritten: writtenParams(stage) } : {};
    return { action: "cmd", cmd: stage.action.cmd, deps, env, format: KEY_FORMAT, outs, params, ...paramsWritten, probes, runtime, stage: stage.id, ...wdir };
  }
  const runtime = { node: process.versions.node.split(".")[0] ?? "", platform };
  const identity = await code.of(stage);
  return {
    action: "run",
    code: identity?.files ?? {},
    deps,
    env,
    format: KEY_FORMAT,
    ...(identity?.inline ? { inline: identity.inline } : {}),
    outs,
    packages: identity?.packages ?? {},
    params,
    probes,
    runtime,
    stage: stage.id,
  };
}
