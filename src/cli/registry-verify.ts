/**
 * The registry half of `sluice verify`, loaded only here so the engine
 * never imports the registry. Undefined when the registry is not built in.
 */
export interface RegistryCheck {
  readonly ok: boolean;
  readonly text: string;
  readonly json: unknown;
}

export async function verifyRegistryIfPresent(root: string): Promise<RegistryCheck | undefined> {
  // Computed specifiers: the engine's build must not depend on the registry being present.
  const registryPath = "../registry/index.js";
  const renderPath = "../report/registry-verify.js";
  const registry = (await import(registryPath).catch(() => undefined)) as
    | { verifyRegistry?: (root: string) => Promise<{ ok: boolean }> }
    | undefined;
  const render = (await import(renderPath).catch(() => undefined)) as { renderVerification?: (v: unknown) => string } | undefined;
  if (!registry?.verifyRegistry) return undefined;
  const verdict = await registry.verifyRegistry(root);
  return { ok: verdict.ok, text: render?.renderVerification?.(verdict) ?? (verdict.ok ? "registry: ok" : "registry: problems"), json: verdict };
}
