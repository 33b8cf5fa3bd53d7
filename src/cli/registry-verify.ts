/**
 * The registry half of `sluice verify`. The registry and its rendering are
 * imported on first use, so commands that never read the registry do not
 * load it.
 */
import type { RegistryVerification } from "../registry/index.js";

export interface RegistryCheck {
  readonly ok: boolean;
  readonly text: string;
  readonly json: unknown;
  /** Set when the registry could not be read at all (server unreachable, bad URL): one line for the user, exit 2. */
  readonly unavailable?: string;
}

export async function verifyRegistryLog(root: string): Promise<RegistryCheck> {
  const [{ verifyRegistry }, { renderVerification }] = await Promise.all([import("../registry/index.js"), import("../dashboard/index.js")]);
  let verdict: RegistryVerification;
  try {
    verdict = inRowTerms(await verifyRegistry(root));
  } catch (error) {
    // Verification reads and reports; it throws only when the storage cannot be read at all.
    return { ok: false, text: "", json: null, unavailable: (error as Error).message };
  }
  return { ok: verdict.ok, text: renderVerification(verdict), json: verdict };
}

/**
 * A database registry has rows, not lines: its problems name the event's
 * seq (which is also its line number in `sluice registry export`).
 */
function inRowTerms(verdict: RegistryVerification): RegistryVerification {
  if (!/^postgres(ql)?:/.test(verdict.location)) return verdict;
  return { ...verdict, problems: verdict.problems.map((p) => ({ ...p, message: p.message.replace(/\bline (\d+)/g, "seq $1") })) };
}
