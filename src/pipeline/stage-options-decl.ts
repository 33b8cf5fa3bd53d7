/**
 * Validation of the stage options DVC users bring along: output options
 * (`persist`, `cache: false`), `frozen`, `wdir`, and deps fetched from a
 * URL and pinned by digest. Each check reports through the stage's
 * `report` and returns what the model keeps.
 */
import { isAbsolute } from "node:path";
import type { OutDecl, StageDecl, UrlRef } from "./decl.js";
import type { DiagnosticReason } from "./diagnostic.js";
import type { StageDep } from "./model.js";

type Report = (reason: DiagnosticReason, message: string) => void;

/** A project-relative path placed in the workspace (see validate.ts). */
interface Placed {
  readonly absolute: string;
  readonly inProject: string;
  readonly inWorkspace: string;
}

/** What a URL dep's place is checked against. */
export interface UrlScope {
  readonly place: (path: string) => Placed;
  /** Whether an absolute path stays inside the workspace once symlinks are followed. */
  readonly inside: (absolute: string) => boolean;
  /** Why a workspace path is (or holds, or lies inside) a stage's output; undefined when it is none. */
  readonly outputClash: (rel: string) => string | undefined;
}

/**
 * How to pin a URL dep, in every message that asks for it: with the digest
 * already known (the bytes just fetched), or by `sluice pin`.
 */
export function pinAdvice(url: string, digest?: string): string {
  return digest === undefined
    ? `pin it with the digest \`sluice pin ${url}\` prints`
    : `pin it with digest "${digest}" in its url(...) (what \`sluice pin ${url}\` prints)`;
}

/** The shape of a digest (`<xxh64 hex>-<byte length>`), as `sluice pin` prints it. */
const DIGEST = /^[0-9a-f]{16}-\d+$/;

/** `persist` and `cached` of a file, dir or metrics output; json outputs take neither. */
export function outOptions(name: string, out: OutDecl, report: Report): { persist: boolean; cached: boolean } {
  const options = out as { persist?: unknown; cache?: unknown };
  for (const [key, value] of [["persist", options.persist], ["cache", options.cache]] as const) {
    if (value !== undefined && typeof value !== "boolean") report("invalid-declaration", `output "${name}": ${key} must be true or false`);
  }
  return { persist: options.persist === true, cached: options.cache !== false };
}

/** Whether `frozen` and `wdir` make sense for this stage; `wdir` resolved to a workspace path. */
export function stageOptions(
  decl: StageDecl,
  place: (path: string) => Placed,
  report: Report,
): { frozen: boolean; wdir: string | undefined } {
  if (decl.frozen !== undefined && typeof decl.frozen !== "boolean") report("invalid-declaration", "frozen must be true or false");
  if (decl.frozen === true && decl.alwaysRun === true) report("invalid-declaration", "is both frozen (never runs) and alwaysRun (always runs); choose one");
  if (decl.wdir === undefined) return { frozen: decl.frozen === true, wdir: undefined };
  if (typeof decl.cmd !== "string") {
    report("invalid-declaration", "wdir applies to cmd stages only (a run function reads ctx.deps and ctx.outs, which are absolute)");
    return { frozen: decl.frozen === true, wdir: undefined };
  }
  const placed = typeof decl.wdir === "string" ? place(decl.wdir) : undefined;
  if (!placed || isAbsolute(decl.wdir) || placed.inWorkspace.startsWith("../") || placed.inWorkspace === "..") {
    report("input-outside-workspace", `wdir ${JSON.stringify(decl.wdir)} must be a folder inside the workspace, relative to the project`);
    return { frozen: decl.frozen === true, wdir: undefined };
  }
  return { frozen: decl.frozen === true, wdir: placed.inWorkspace };
}

/**
 * A `url(...)` dep: an http(s) URL, a digest pin of the right shape, and a
 * place inside the project that no stage writes. Without a pin it is an
 * error that says how to get one.
 */
export function urlDep(name: string, ref: UrlRef, scope: UrlScope, report: Report): StageDep | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(ref.url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) {
    report("invalid-declaration", `dep "${name}": url ${JSON.stringify(ref.url)} is not an http(s) URL`);
    return undefined;
  }
  if (ref.digest === undefined || !DIGEST.test(ref.digest)) {
    const got = ref.digest === undefined ? "has no digest" : `has digest ${JSON.stringify(ref.digest)}, which is not one`;
    report("invalid-declaration", `dep "${name}" (${ref.url}) ${got}: ${pinAdvice(ref.url)}`);
    return undefined;
  }
  const placed = typeof ref.path === "string" ? scope.place(ref.path) : undefined;
  if (!placed || isAbsolute(ref.path) || placed.inProject.startsWith("../") || placed.inProject === ".." || placed.inProject === "" || !scope.inside(placed.absolute)) {
    report("input-outside-workspace", `dep "${name}" (${ref.url}): path ${JSON.stringify(ref.path)} must be a file inside the project folder`);
    return undefined;
  }
  const written = scope.outputClash(placed.inWorkspace);
  if (written) {
    report("source-is-output", `dep "${name}" (${ref.url}) is placed at ${placed.inWorkspace}, but ${written}`);
    return undefined;
  }
  return { name, kind: "url", path: placed.inWorkspace, url: ref.url, digest: ref.digest };
}
