/**
 * Public surface of the PostgreSQL registry backend
 * (`SLUICE_REGISTRY=postgres://…`): the backend, its URL, schema
 * migrations (importing a file registry is `../import-file-registry.ts`).
 */
export { RegistryUnavailableError } from "./connection-errors.js";
export { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion, SCHEMA, type Migration, type MigrationReport } from "./migrations.js";
export { PostgresBackend, type ImportOutcome, type ImportRefusal } from "./postgres-backend.js";
export { isPostgresUrl, parseRegistryUrl, type RegistryUrl } from "./registry-url.js";
