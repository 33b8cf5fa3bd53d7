/**
 * `sluice verify` for the registry: the chain recomputes, every event
 * means something consistent (no duplicate release, every move starts
 * where the previous one left the alias, every manifest hashes to its
 * recorded digest), every approval's signature verifies against its role's
 * allowed signers, materialised aliases match the log, and every object a
 * release references is in the store with the right size.
 */
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { digestSize, isDigest, ObjectStore } from "../cache/index.js";
import type { Approval, ProjectPolicy, RegistryEvent } from "../../contracts/index.js";
import { checkApprovals } from "./approval-signature.js";
import type { RegistryBackend } from "./backend.js";
import { checkChain, decodeLine } from "./chain.js";
import { registryBackend } from "./open-registry.js";
import { loadPromotionPolicy } from "./policy.js";
import { RegistryState } from "./registry-state.js";
import { manifestDigest, referencedDigests, tupleDigest } from "./release-tuple.js";

/** One problem, naming the line, file or object concerned. */
export interface RegistryProblem {
  readonly reason: string;
  /** 1-based line of the log. */
  readonly line?: number;
  /** Workspace-relative file. */
  readonly file?: string;
  /** Object digest. */
  readonly digest?: string;
  readonly message: string;
}

/** The verdict of `verifyRegistry`. */
export interface RegistryVerification {
  readonly ok: boolean;
  /** Where the log lives. */
  readonly location: string;
  readonly lines: number;
  readonly releases: number;
  readonly aliases: number;
  /** Distinct objects referenced by releases. */
  readonly objects: number;
  /**
   * Of those, how many are not in this workspace's cache although the
   * registry is shared (built and kept elsewhere): not a problem there.
   */
  readonly elsewhere: number;
  /** Log problems by line, then files, then objects. */
  readonly problems: readonly RegistryProblem[];
}

/** Verifies the registry of the workspace at `root`. */
export async function verifyRegistry(root: string, backend: RegistryBackend = registryBackend(root)): Promise<RegistryVerification> {
  const raw = await backend.readChain();
  const problems: RegistryProblem[] = [];
  if (raw.torn !== undefined) {
    problems.push({ reason: "torn-line", line: raw.lines.length + 1, message: `line ${raw.lines.length + 1} is incomplete (an append did not finish)` });
  }
  problems.push(...checkChain(raw.lines, raw.head).map((p) => ({ reason: p.reason, line: p.line, message: p.message })));
  const events: RegistryEvent[] = [];
  for (const [i, line] of raw.lines.entries()) {
    const decoded = decodeLine(line, i + 1);
    if (decoded.ok) events.push(decoded.event);
  }
  problems.push(...checkMeaning(events));
  const state = RegistryState.fold(events);
  problems.push(...(await checkApprovalSignatures(root, state, events)));
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));

  const fileProblems = await backend.checkMaterialised(state);
  const objects = await checkObjects(root, state, backend.shared === true);
  const all = [...dedupeByLine(problems), ...fileProblems, ...objects.problems];
  return {
    ok: all.length === 0,
    location: backend.location,
    lines: raw.lines.length,
    releases: state.releases().length,
    aliases: state.aliases().filter((a) => a.release !== null).length,
    objects: objects.count,
    elsewhere: objects.elsewhere,
    problems: all,
  };
}

/** Invariants the chain alone cannot see (a log rewritten and re-chained, a move that skipped a CAS). */
function checkMeaning(events: readonly RegistryEvent[]): RegistryProblem[] {
  const problems: RegistryProblem[] = [];
  const releases = new Set<string>();
  const aliases = new Map<string, string | null>();
  for (const event of events) {
    const line = event.seq;
    switch (event.type) {
      case "release_registered": {
        const name = `${event.project}/${event.release}`;
        if (releases.has(name)) problems.push({ reason: "duplicate-release", line, message: `line ${line} registers ${event.release} a second time` });
        releases.add(name);
        if (event.manifest.release !== event.release || event.manifest.project !== event.project) {
          problems.push({ reason: "manifest-mismatch", line, message: `line ${line}: the manifest names ${event.manifest.project}/${event.manifest.release}` });
        } else if (manifestDigest(event.manifest) !== event.manifestDigest || tupleDigest(event.manifest) !== event.tupleDigest) {
          problems.push({ reason: "manifest-mismatch", line, message: `line ${line}: the manifest of ${event.release} does not hash to its recorded digest` });
        }
        break;
      }
      case "alias_moved": {
        const key = `${event.project}@${event.alias}`;
        const current = aliases.get(key) ?? null;
        if (event.from !== current) {
          problems.push({ reason: "alias-cas-broken", line, message: `line ${line} moves ${key} from ${event.from ?? "nothing"}, but it held ${current ?? "nothing"}` });
        }
        if (event.to !== null && !releases.has(`${event.project}/${event.to}`)) {
          problems.push({ reason: "unknown-release", line, message: `line ${line} points ${key} at ${event.to}, which is not registered before it` });
        }
        aliases.set(key, event.to);
        break;
      }
      case "approval":
        if (!releases.has(`${event.project}/${event.release}`)) {
          problems.push({ reason: "unknown-release", line, message: `line ${line} approves ${event.release}, which is not registered before it` });
        }
        break;
      case "decision":
      case "rollback":
        break;
    }
  }
  return problems;
}

/**
 * Every approval in the log must verify against the allowed signers the
 * policy names for its role today: an approval appended by hand (chain and
 * head recomputed) or edited after signing is named with why. A signer
 * who leaves is marked `valid-before` in allowed_signers, not deleted, so
 * their past approvals keep verifying (as with git).
 */
async function checkApprovalSignatures(root: string, state: RegistryState, events: readonly RegistryEvent[]): Promise<RegistryProblem[]> {
  const approvals = events.filter((e): e is Approval => e.type === "approval");
  if (approvals.length === 0) return [];
  const loaded = await loadPromotionPolicy(root);
  const policyOf = (project: string): ProjectPolicy | undefined => (loaded.ok ? loaded.value.projects[project] : undefined);
  const checks = await Promise.all(approvals.map((a) => checkApprovals(root, policyOf(a.project), state, [a])));
  return checks.flat().flatMap((check) => {
    if (check.counted) return [];
    const { seq, project, release, role, by } = check.approval;
    const why = loaded.ok ? check.why : `the promotion policy cannot be read (${loaded.error.reason})`;
    return [{ reason: "approval-not-counted", line: seq, message: `line ${seq}: the approval of ${project} ${release} as ${role} by ${by} does not count: ${why}` }];
  });
}

async function checkObjects(root: string, state: RegistryState, shared: boolean): Promise<{ count: number; elsewhere: number; problems: RegistryProblem[] }> {
  const store = new ObjectStore(join(root, "cache"));
  const owners = new Map<string, string>();
  for (const record of state.releases()) {
    for (const digest of referencedDigests(record.manifest)) if (!owners.has(digest)) owners.set(digest, record.release);
  }
  const problems: RegistryProblem[] = [];
  let elsewhere = 0;
  for (const [digest, release] of [...owners].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (!isDigest(digest)) continue; // the contract already rejects these
    const size = await stat(store.pathOf(digest)).then((s) => s.size, () => undefined);
    if (size === undefined && shared) {
      elsewhere++;
    } else if (size === undefined) {
      problems.push({ reason: "missing-object", digest, message: `object ${digest} referenced by ${release} is not in cache/objects` });
    } else if (size !== digestSize(digest)) {
      problems.push({ reason: "corrupt-object", digest, message: `object ${digest} referenced by ${release} has ${size} bytes, not ${digestSize(digest)}` });
    }
  }
  return { count: owners.size, elsewhere, problems };
}

function dedupeByLine(problems: RegistryProblem[]): RegistryProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.reason}:${p.line ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
