/**
 * Objects the registry pins: gc must never remove an object a release
 * references. The registry is imported here on first use, so commands that
 * never read it (a plain `sluice run`) do not load it.
 */
export async function pinnedByReleases(root: string): Promise<Set<string>> {
  const { pinnedDigests } = await import("../registry/index.js");
  return new Set(await pinnedDigests(root));
}
