/**
 * Contract issues as the registry reports them: `path: message`, on one
 * printable line. A value that fits none of a union's forms (a guardrail
 * with neither max nor min, a gate value that is an object) says why each
 * form did not fit; zod's own message for it is only "Invalid input".
 */
import type { z } from "zod";
import { printable } from "../util/printable.js";

/** One issue, its path joined with dots (`(root)` for the whole value). */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.map(String).join(".") || "(root)";
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return printable(`${where}: ${issue.message}`);
  // A union of plain types (a gate's value: number, boolean, string or null): name the types.
  const types = issue.errors.map((form) => (form.length === 1 && form[0]?.code === "invalid_type" && form[0].path.length === 0 ? form[0].expected : undefined));
  if (types.every((t) => t !== undefined)) return printable(`${where}: Invalid input: expected ${types.join(", ")}`);
  const forms = issue.errors.map((form) => form.map((i) => `${i.path.map(String).join(".") || "(value)"}: ${i.message}`).join(", "));
  return printable(`${where}: ${issue.message}; it fits none of its forms (${forms.join(" | ")})`);
}
