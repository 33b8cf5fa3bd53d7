/**
 * The advisory locks the registry takes, as (namespace, key) pairs so
 * they cannot collide with another application's single-number locks in
 * the same database. Both are held by sluice processes only.
 */

/** "sluc" in ASCII: every registry lock lives under this namespace. */
export const LOCK_NAMESPACE = 0x736c7563;

/** Held by a writer from reading its snapshot until its alias files are written. */
export const WRITE_LOCK = 1;

/** Held while the schema is migrated, so concurrent first uses migrate once. */
export const MIGRATION_LOCK = 2;
