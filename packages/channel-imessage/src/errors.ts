import { TerminalConnectionError } from "@openclaw/channel-kit";

/**
 * imsg cannot open chat.db: macOS has not given the process that runs the gateway Full Disk
 * Access. Restarting imsg cannot fix that, so the channel stops and says what to do.
 */
export class ImsgDatabaseUnreadableError extends TerminalConnectionError {
  constructor(detail: string) {
    super(
      `imsg cannot read the Messages database (${detail}); give the program that runs the gateway Full Disk Access (System Settings → Privacy & Security → Full Disk Access), or set channels.imessage.dbPath, then run openclaw channels start --channel imessage`,
    );
  }
}

/** What imsg prints when chat.db cannot be opened (IMsgError.permissionDenied, SQLite's own words). */
export const DATABASE_UNREADABLE =
  /Permission Error: Cannot access Messages database|requires Full Disk Access|authorization denied|unable to open database file/i;
