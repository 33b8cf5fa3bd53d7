/**
 * Loading `contracts/promotion_policy.json`. A policy that breaks its
 * contract is a usage error naming the file and the field; a project the
 * file does not mention has no policy, and nothing of it can be promoted.
 */
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { PromotionPolicy, type ProjectPolicy } from "../../contracts/index.js";
import { printable } from "../util/printable.js";
import { fail, ok, type Result } from "../util/result.js";
import { describeIssue } from "./describe-issue.js";
import type { RegistryRefusal } from "./refusal.js";

/** Workspace-relative path of the policy file. */
export const POLICY_FILE = "contracts/promotion_policy.json";

/** Reads and checks the whole policy file (`file` defaults to the workspace's). */
export async function loadPromotionPolicy(root: string, file = join(root, POLICY_FILE)): Promise<Result<PromotionPolicy, RegistryRefusal>> {
  const shown = relative(root, file) || file;
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    return fail({ reason: "bad-policy", file: shown, message: "cannot read the promotion policy (does the file exist?)" });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the broken text: escaped, so the refusal stays one line.
    return fail({ reason: "bad-policy", file: shown, message: `not JSON: ${printable((error as Error).message)}` });
  }
  const parsed = PromotionPolicy.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return fail({ reason: "bad-policy", file: shown, message: issue ? describeIssue(issue) : "(root): invalid" });
  }
  return ok(parsed.data);
}

/** The policy of one project. */
export async function loadProjectPolicy(
  root: string,
  project: string,
  file = join(root, POLICY_FILE),
): Promise<Result<ProjectPolicy, RegistryRefusal>> {
  const loaded = await loadPromotionPolicy(root, file);
  if (!loaded.ok) return loaded;
  const policy = loaded.value.projects[project];
  if (!policy) return fail({ reason: "no-policy", project, file: relative(root, file) || file });
  return ok(policy);
}

/** Every role any alias of the project requires (for checking `approve --role`). */
export function policyRoles(policy: ProjectPolicy): string[] {
  return [...new Set(Object.values(policy.approvals).flatMap((rule) => rule.roles))].sort();
}
