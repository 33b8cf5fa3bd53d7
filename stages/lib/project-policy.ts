/**
 * One project's section of the promotion policy
 * (`contracts/promotion_policy.json`), as pipeline files read it. A stage
 * depends on its own project's section, never on the whole file, so an edit
 * of one project's policy reruns that project's stages and no other's.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { external, findWorkspaceRoot, type ExternalRef, type Json } from "sluice";
import { POLICY_FILE } from "sluice/registry";

/** Where the policy of a workspace lives. */
export interface PolicyLocation {
  /** Absolute path of the workspace root. */
  readonly root: string;
  /** The policy file, relative to the root. */
  readonly file: string;
}

/**
 * The policy file of the workspace holding `projectDir`: `policyFile` when
 * it exists, else the default one (which then reports its own absence).
 */
export function policyLocation(projectDir: string, policyFile: string = POLICY_FILE): PolicyLocation {
  const root = findWorkspaceRoot(projectDir) ?? join(projectDir, "..", "..");
  return { root, file: existsSync(join(root, policyFile)) ? policyFile : POLICY_FILE };
}

/** A project's section as written (not yet checked against its contract), or why it could not be read. */
export type PolicySection = { readonly ok: true; readonly section: Json } | { readonly ok: false; readonly problem: string };

/** Reads `project`'s section of the policy file at `root/file`. */
export function readPolicySection(root: string, file: string, project: string): PolicySection {
  let whole: unknown;
  try {
    whole = JSON.parse(readFileSync(join(root, file), "utf8"));
  } catch (error) {
    return { ok: false, problem: `${file}: cannot read the promotion policy (${(error as Error).message})` };
  }
  const section = (whole as { projects?: Record<string, Json> } | null)?.projects?.[project];
  if (section === undefined) return { ok: false, problem: `${file} has no policy for project "${project}"` };
  return { ok: true, section };
}

/**
 * A dep on one project's section of the policy file, for a stage's key: the
 * section as written, or the problem reading it (so fixing a broken file
 * changes the key too). The stage itself still loads and checks the file.
 */
export function projectPolicyDep(project: string, file: string): ExternalRef<Json> {
  return external(`policy:${file}#${project}`, ({ workspaceRoot }) => {
    const read = readPolicySection(workspaceRoot, file, project);
    return read.ok ? { section: read.section } : { problem: read.problem };
  });
}
