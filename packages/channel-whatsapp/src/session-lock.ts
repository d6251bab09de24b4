import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";

/** Auth dirs held by this process (a second account pointing at the same dir is refused too). */
const heldHere = new Map<string, string>();

/** The name of the owner marker inside an auth dir; it is not auth state (backups skip it). */
export const AUTH_DIR_OWNER_FILE = "session.owner";

export class SessionLockedError extends Error {
  readonly code = "WHATSAPP_SESSION_LOCKED";
}

export interface SessionLockOptions {
  /** The gateway's state dir: the lock itself lives in `<stateDir>/locks/whatsapp/`. */
  readonly stateDir: string;
  /** The account's auth dir: the lock is keyed by it, and it carries a marker naming the owner. */
  readonly authDir: string;
  /** Who holds it, for the refusal message ("whatsapp account default"). */
  readonly owner: string;
}

interface LockRecord {
  readonly pid: number;
  readonly owner: string;
  readonly stateDir: string;
  readonly authDir: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readRecord(path: string): Partial<LockRecord> | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as Partial<LockRecord>;
  } catch {
    // An older lock held just the pid.
    const pid = Number(text.trim());
    return Number.isInteger(pid) ? { pid } : {};
  }
}

/**
 * Creates `path` exclusively with `record`. A file left by a process that is gone is taken over;
 * a live other owner is passed to `refuse`, which throws.
 */
function take(path: string, record: LockRecord, refuse: (holder: Partial<LockRecord> & { pid: number }) => never): void {
  for (let tries = 0; tries < 3; tries += 1) {
    try {
      const fd = openSync(path, "wx", 0o600);
      try {
        writeSync(fd, JSON.stringify(record));
      } finally {
        closeSync(fd);
      }
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readRecord(path);
      const pid = holder?.pid;
      if (typeof pid === "number" && Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) refuse({ ...holder, pid });
      rmSync(path, { force: true });
    }
  }
  throw new SessionLockedError(`could not take the WhatsApp session lock ${path}; another process keeps creating it`);
}

/**
 * One WhatsApp session per auth dir per host. The lock lives in the state dir, at
 * `<stateDir>/locks/whatsapp/<hash of the auth dir>.lock`, so a second gateway on the same state
 * dir is refused. Two gateways on different state dirs share nothing but the auth dir itself, so
 * the auth dir also carries a marker (`session.owner`) naming the holding process and its state
 * dir: a second gateway elsewhere that points at the same auth dir finds it and is refused too.
 * Both are created exclusively (O_EXCL) with the owner's pid; files left by a process that is gone
 * are taken over. Returns the release function.
 */
export function acquireSessionLock(options: SessionLockOptions): () => void {
  mkdirSync(options.authDir, { recursive: true, mode: 0o700 });
  // The real path, so two spellings of one dir (a symlink, `..`) are one lock.
  const authDir = realpathSync(resolve(options.authDir));
  const stateDir = resolve(options.stateDir);
  const holder = heldHere.get(authDir);
  if (holder !== undefined)
    throw new SessionLockedError(`the WhatsApp auth dir ${authDir} is already used by ${holder} in this gateway; give each account its own authDir`);

  const lockDir = join(stateDir, "locks", "whatsapp");
  mkdirSync(lockDir, { recursive: true, mode: 0o700 });
  const lockPath = join(lockDir, `${createHash("sha256").update(authDir).digest("hex").slice(0, 24)}.lock`);
  const markerPath = join(authDir, AUTH_DIR_OWNER_FILE);
  const record: LockRecord = { pid: process.pid, owner: options.owner, stateDir, authDir };

  take(lockPath, record, (other) => {
    throw new SessionLockedError(
      `WhatsApp auth dir ${authDir} is already open in process ${other.pid} (another gateway on the state dir ${stateDir}); stop it first: only one process may hold a WhatsApp session`,
    );
  });
  try {
    take(markerPath, record, (other) => {
      throw new SessionLockedError(
        `WhatsApp auth dir ${authDir} is already open in process ${other.pid} (a gateway with the state dir ${other.stateDir ?? "unknown"}); two gateways cannot share one WhatsApp session: stop that one, or give this gateway its own authDir and link it separately`,
      );
    });
  } catch (error) {
    rmSync(lockPath, { force: true });
    throw error;
  }
  heldHere.set(authDir, options.owner);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    heldHere.delete(authDir);
    // Only our own files: a stale-lock takeover by another process must not be undone by us.
    for (const path of [markerPath, lockPath]) if (readRecord(path)?.pid === process.pid) rmSync(path, { force: true });
  };
}
