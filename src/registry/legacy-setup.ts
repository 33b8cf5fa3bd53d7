/**
 * Calls that stage code written for earlier releases of `sluice/registry`
 * still makes, kept so that code (and the stage keys of its modules) stays
 * as it is.
 */

/**
 * @deprecated Hashing needs no setup: the hasher loads with the module that
 * hashes. Resolves at once.
 */
export async function initDigests(): Promise<void> {}
