/** The database was written by a newer gateway; opening it could corrupt data that code relies on. */
export class StoreVersionError extends Error {
  readonly code = "STORE_VERSION_UNSUPPORTED";
  constructor(
    readonly path: string,
    readonly foundVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `database ${path} has schema version ${foundVersion}, but this gateway only knows versions up to ${supportedVersion}; ` +
        "upgrade openclaw, or point OPENCLAW_STATE_DIR at another state dir",
    );
    this.name = "StoreVersionError";
  }
}

/** A migration step threw; its transaction was rolled back and `user_version` is unchanged. */
export class MigrationError extends Error {
  readonly code = "STORE_MIGRATION_FAILED";
  constructor(
    readonly version: number,
    readonly migrationName: string,
    options: { cause: unknown },
  ) {
    const reason = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(`store migration ${version} (${migrationName}) failed and was rolled back: ${reason}`, options);
    this.name = "MigrationError";
  }
}
