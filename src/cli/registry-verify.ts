/**
 * The registry half of `sluice verify`, loaded only here so the engine
 * never imports the registry. Undefined when the registry is not built in.
 */
export interface RegistryCheck {
  readonly ok: boolean;
  readonly text: string;
  readonly json: unknown;
  /** Set when the registry could not be read at all (server unreachable, bad URL): one line for the user, exit 2. */
  readonly unavailable?: string;
}

interface Verdict {
  readonly ok: boolean;
  readonly location: string;
  readonly problems: readonly { readonly message: string; readonly line?: number }[];
}

export async function verifyRegistryIfPresent(root: string): Promise<RegistryCheck | undefined> {
  // Computed specifiers: the engine's build must not depend on the registry being present.
  const registryPath = "../registry/index.js";
  const renderPath = "../report/registry-verify.js";
  const registry = (await import(registryPath).catch(() => undefined)) as
    | { verifyRegistry?: (root: string) => Promise<Verdict> }
    | undefined;
  const render = (await import(renderPath).catch(() => undefined)) as { renderVerification?: (v: unknown) => string } | undefined;
  if (!registry?.verifyRegistry) return undefined;
  let verdict: Verdict;
  try {
    verdict = inRowTerms(await registry.verifyRegistry(root));
  } catch (error) {
    // Verification reads and reports; it throws only when the storage cannot be read at all.
    return { ok: false, text: "", json: null, unavailable: (error as Error).message };
  }
  return { ok: verdict.ok, text: render?.renderVerification?.(verdict) ?? (verdict.ok ? "registry: ok" : "registry: problems"), json: verdict };
}

/**
 * A database registry has rows, not lines: its problems name the event's
 * seq (which is also its line number in `sluice registry export`).
 */
function inRowTerms(verdict: Verdict): Verdict {
  if (!/^postgres(ql)?:/.test(verdict.location)) return verdict;
  return { ...verdict, problems: verdict.problems.map((p) => ({ ...p, message: p.message.replace(/\bline (\d+)/g, "seq $1") })) };
}
