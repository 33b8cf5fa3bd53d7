/**
 * Errors a registry operation can meet that are the storage's state, not a
 * bug in sluice, by name (the classes live with their backends, some loaded
 * lazily): the storage could not be used or its lock not taken in time
 * (exit 2), or the log is damaged and building on it was refused (exit 1).
 */
const STORAGE_FAILURES: Readonly<Record<string, 1 | 2>> = {
  RegistryCorruptError: 1,
  RegistryUnanchoredError: 1,
  RegistryBusyError: 2,
  RegistryUnavailableError: 2,
  UnsupportedRegistryError: 2,
};

/** The exit code a storage failure maps to, or undefined for anything else (a bug, to report as one). */
export function storageFailureExitCode(error: unknown): 1 | 2 | undefined {
  return error instanceof Error ? STORAGE_FAILURES[error.name] : undefined;
}
