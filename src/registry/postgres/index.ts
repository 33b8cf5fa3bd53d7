/**
 * Public surface of the PostgreSQL registry backend
 * (`SLUICE_REGISTRY=postgres://…`): the backend, its URL, schema
 * migrations and the import of a file registry.
 */
export { RegistryUnavailableError } from "./connection-errors.js";
export {
  importFileRegistry,
  readImportSource,
  type ImportFailure,
  type ImportReport,
  type ImportSource,
} from "./import-file-registry.js";
export { LATEST_VERSION, migrate, MIGRATIONS, schemaVersion, SCHEMA, type Migration, type MigrationReport } from "./migrations.js";
export { PostgresBackend, type ImportOutcome, type ImportRefusal } from "./postgres-backend.js";
export { isPostgresUrl, parseRegistryUrl, type RegistryUrl } from "./registry-url.js";
