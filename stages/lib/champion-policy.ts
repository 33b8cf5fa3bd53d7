/**
 * The champion/challenger rule of a project comes from one place: its
 * `championChallenger` in the promotion policy. The pipeline file reads it
 * when it loads and hands it to the evaluate stage as a param, so the rule
 * is part of that stage's key: editing one project's rule reruns that
 * project's evaluation (and its promotion), and no other project's.
 *
 *   params: { ...params.evaluate, championRule: championRuleOf(p, "cost_improves") }
 */
import type { ProjectBuilder } from "sluice";
import { ProjectPolicy, type ChampionChallengerRule } from "sluice/contracts";
import type { ChampionRule } from "./champion.js";
import { policyLocation, readPolicySection } from "./project-policy.js";

/**
 * The rule of project `p` for the gate `gate`, checked against the policy
 * contract. Throws (the pipeline then fails to load, naming the policy
 * file) when the policy is unreadable, breaks its contract, or gives the
 * rule to a gate other than the one the evaluate stage writes.
 */
export function championRuleOf(p: Pick<ProjectBuilder, "name" | "dir">, gate: string, policyFile?: string): ChampionRule {
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
  return championRuleFrom(rule, `${file}#/projects/${p.name}/championChallenger`);
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

/** The policy's wording of a rule in the terms `compareWithChampion` takes. */
export function championRuleFrom(rule: ChampionChallengerRule, source?: string): ChampionRule {
  return {
    primary: rule.primaryMetric,
    higherIsBetter: rule.direction === "higher",
    margin: rule.margin,
    guardrails: rule.guardrails.map((bound) => ("max" in bound ? { metric: bound.name, max: bound.max } : { metric: bound.name, min: bound.min })),
    passWithoutChampion: rule.withoutChampion === "pass",
    ...(source === undefined ? {} : { source }),
  };
}
