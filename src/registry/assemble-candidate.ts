/**
 * Turns what a promote stage received (paths of file deps, parsed values
 * of json deps) into a candidate tuple: every artifact pinned in the
 * object store by digest, every gate re-checked against the gate contract
 * (a gate written by a shell step as a plain file is checked here first).
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { z } from "zod";
import { ActionPolicy, EvaluationReport, GateResult, type ProjectPolicy } from "../../contracts/index.js";
import { ObjectStore } from "../cache/index.js";
import { printable } from "../util/printable.js";
import { fail, ok, type Result } from "../util/result.js";
import { describeIssue } from "./describe-issue.js";
import { pinJson, pinPath } from "./pin-artifact.js";
import type { CandidateTuple } from "./release-tuple.js";

/** A dep value as the engine hands it over: a path (file/dir/source deps) or a parsed JSON value. */
export type DepInput = unknown;

/** What the promote stage collected. */
export interface CandidateInputs {
  readonly root: string;
  readonly project: string;
  readonly policy: ProjectPolicy;
  readonly data: { readonly id: string; readonly value: DepInput };
  readonly features: { readonly version: string; readonly value: DepInput };
  readonly model: { readonly id: string; readonly value: DepInput };
  readonly actionPolicy: { readonly id: string; readonly value: DepInput };
  readonly evaluation: DepInput;
  /** Dep name -> gate artifact (one gate or a list). */
  readonly gates: Readonly<Record<string, DepInput>>;
}

/** An artifact that breaks its contract. */
export interface ContractViolation {
  readonly reason: "contract-violation";
  /** Which dep (`gate_critical_slice_pass`, `action_policy`). */
  readonly dep: string;
  readonly message: string;
}

/** Assembles and pins the candidate, or names the first artifact that breaks its contract. */
export async function assembleCandidate(inputs: CandidateInputs): Promise<Result<CandidateTuple, ContractViolation>> {
  const store = new ObjectStore(join(inputs.root, "cache"));
  const gates: GateResult[] = [];
  for (const [dep, value] of Object.entries(inputs.gates).sort((a, b) => a[0].localeCompare(b[0]))) {
    const raw = await readDep(inputs.root, dep, value);
    if (!raw.ok) return raw;
    // Parse with the exact shape so the error names the field, not "invalid union".
    const parsed = Array.isArray(raw.value) ? checkDep(dep, raw.value, z.array(GateResult)) : checkDep(dep, raw.value, GateResult);
    if (!parsed.ok) return parsed;
    gates.push(...(Array.isArray(parsed.value) ? parsed.value : [parsed.value]));
  }
  const action = await parseDep(inputs.root, "action_policy", inputs.actionPolicy.value, ActionPolicy);
  if (!action.ok) return action;
  const report = await parseDep(inputs.root, "evaluation", inputs.evaluation, EvaluationReport);
  if (!report.ok) return report;
  return ok({
    project: inputs.project,
    data: { id: inputs.data.id, digest: await pin(store, inputs.root, inputs.data.value) },
    features: { version: inputs.features.version, digest: await pin(store, inputs.root, inputs.features.value) },
    model: { id: inputs.model.id, digest: await pin(store, inputs.root, inputs.model.value) },
    actionPolicy: {
      id: inputs.actionPolicy.id,
      digest: await pinJson(store, action.value),
      thresholds: action.value.thresholds,
      rules: action.value.rules ?? {},
    },
    monitorPolicy: {
      id: inputs.policy.monitor.id,
      digest: await pinJson(store, inputs.policy.monitor.criteria),
      criteria: inputs.policy.monitor.criteria,
    },
    gates: gates.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    evaluation: { reportDigest: await pinJson(store, report.value), metrics: report.value.metrics },
  });
}

/** A dep's value checked against `schema`; a path is read and parsed as JSON first. */
async function parseDep<S extends z.ZodType>(root: string, dep: string, value: DepInput, schema: S): Promise<Result<z.output<S>, ContractViolation>> {
  const raw = await readDep(root, dep, value);
  return raw.ok ? checkDep(dep, raw.value, schema) : raw;
}

/** The JSON a dep holds: its value, or the parsed content of the file it names. */
async function readDep(root: string, dep: string, value: DepInput): Promise<Result<unknown, ContractViolation>> {
  const path = typeof value === "string" ? await existingPath(root, value) : undefined;
  if (path === undefined) return ok(value);
  try {
    return ok(JSON.parse(await readFile(path, "utf8")) as unknown);
  } catch (error) {
    // JSON.parse quotes the broken text: escaped, so the failure stays one line.
    return fail({ reason: "contract-violation", dep, message: `${dep} (${value}) is not JSON: ${printable((error as Error).message)}` });
  }
}

function checkDep<S extends z.ZodType>(dep: string, raw: unknown, schema: S): Result<z.output<S>, ContractViolation> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return ok(parsed.data as z.output<S>);
  const issues = parsed.error.issues.map(describeIssue);
  return fail({ reason: "contract-violation", dep, message: `${dep} breaks its contract: ${issues.join("; ")}` });
}

async function pin(store: ObjectStore, root: string, value: DepInput): Promise<string> {
  const path = typeof value === "string" ? await existingPath(root, value) : undefined;
  return path !== undefined ? pinPath(store, path) : pinJson(store, value);
}

/** A dep path may be absolute or workspace-relative. */
async function existingPath(root: string, value: string): Promise<string | undefined> {
  const path = isAbsolute(value) ? value : join(root, value);
  return stat(path).then(
    () => path,
    () => undefined,
  );
}
