/**
 * One project's section of the promotion policy, as a pipeline file reads it
 * while it loads. A stage depends on its own project's section, never on the
 * whole file, so an edit of one project's policy reruns that project's
 * stages and no other's; and the champion/challenger rule reaches the
 * evaluation stage as a param, so editing it reruns exactly that evaluation.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ProjectPolicy, type ChampionChallengerRule } from "../../contracts/index.js";
import { external, findWorkspaceRoot, type ExternalRef, type Json, type ProjectBuilder } from "../pipeline/index.js";
import { POLICY_FILE } from "./policy.js";

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

/**
 * The champion/challenger rule of project `p`, checked against the policy
 * contract, for the gate `gate`. Throws (the pipeline then fails to load,
 * naming the policy file) when the policy is unreadable, breaks its
 * contract, or gives the rule to a gate other than the one the evaluation
 * writes.
 */
export function championRuleOf(p: Pick<ProjectBuilder, "name" | "dir">, gate: string, policyFile?: string): ChampionChallengerRule {
  const { root, file } = policyLocation(p.dir, policyFile);
  const read = readPolicySection(root, file, p.name);
  if (!read.ok) throw atCaller(read.problem);
  const parsed = ProjectPolicy.safeParse(read.section);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw atCaller(`${file}: ${["projects", p.name, ...(issue?.path ?? [])].join(".")}: ${issue?.message ?? "invalid"}`);
  }
  const rule = parsed.data.championChallenger;
  if (rule.gate !== gate) {
    throw atCaller(`${file}: projects.${p.name}.championChallenger.gate is "${rule.gate}", but ${p.name}'s evaluation writes the champion gate "${gate}"`);
  }
  return rule;
}

/** Where the champion/challenger rule of project `p` is written, for a gate's evidence. */
export function championRuleSource(p: Pick<ProjectBuilder, "name" | "dir">, policyFile?: string): string {
  return `${policyLocation(p.dir, policyFile).file}#/projects/${p.name}/championChallenger`;
}

/**
 * An error whose stack starts at the caller of {@link championRuleOf}, so
 * the load diagnostic points at the pipeline file that asked for the rule.
 */
function atCaller(message: string): Error {
  const error = new Error(message);
  Error.captureStackTrace(error, championRuleOf);
  return error;
}
