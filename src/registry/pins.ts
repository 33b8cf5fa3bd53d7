/**
 * Objects a release references stay in the store forever: gc must never
 * remove the model or policy bytes a rollback would restore.
 */
import { registryBackend } from "./open-registry.js";
import { RegistryState } from "./registry-state.js";
import { referencedDigests } from "./release-tuple.js";

/** Every object-store digest referenced by any release of the workspace's registry. */
export async function pinnedDigests(root: string): Promise<Set<string>> {
  const state = RegistryState.fold((await registryBackend(root).read()).events);
  return new Set(state.releases().flatMap((r) => referencedDigests(r.manifest)));
}
