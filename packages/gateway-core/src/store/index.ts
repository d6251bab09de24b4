// Opening the database
export { openStore, openMemoryStore, resolveStorePath, type OpenStoreOptions, type Store } from "./open-store.js";

// Statements (each prepared once per database and kept for the process: see statements.ts)
export { prepared, keepDatabase } from "./statements.js";

// Schema
export { migrate, readSchemaVersion, type MigrateOptions, type MigrateResult } from "./migrate.js";
export { migrations, SCHEMA_VERSION, type Migration } from "./migrations.js";

// Sessions and transcripts
export { SqliteTranscriptStore } from "./transcripts.js";
export { checkStore, snapshotStore, type StoreCheck } from "./snapshot.js";
