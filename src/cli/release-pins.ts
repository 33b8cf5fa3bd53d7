/**
 * Objects the registry pins: gc must never remove an object a release
 * references. The registry is loaded only here, so the engine never imports it.
 */
export async function pinnedByReleases(root: string): Promise<Set<string>> {
  // A computed specifier: the engine's build must not depend on the registry being present.
  const specifier = "../registry/index.js";
  const registry = (await import(specifier).catch(() => undefined)) as
    | { pinnedDigests?: (root: string) => Promise<Iterable<string>> }
    | undefined;
  if (!registry?.pinnedDigests) return new Set();
  return new Set(await registry.pinnedDigests(root));
}
