import { mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { GatewayLockedError } from "./errors.js";

export interface InstanceLockOptions {
  /** The gateway's state dir; `<stateDir>/gateway.lock` guards it. */
  readonly stateDir: string;
  /** The gateway's port; `<lockDir>/openclaw-gateway-<port>.lock` guards it. */
  readonly port: number;
  /** Where the per-port lock lives, shared by every state dir on the host. @default os.tmpdir() */
  readonly lockDir?: string;
}

/** What a lock file records about the gateway holding it. */
export interface InstanceLockRecord {
  readonly pid: number;
  readonly port: number;
  readonly startedAt: string;
  readonly stateDir: string;
}

export interface InstanceLock {
  /** The lock files this process holds, state-dir lock first. */
  readonly paths: readonly string[];
  /** Remove the lock files this process created; later calls do nothing. */
  release(): void;
}

interface Owned {
  readonly path: string;
  readonly content: string;
  readonly ino: number;
}

// A handful of rounds covers another process taking over the same stale lock at the same moment.
const MAX_ATTEMPTS = 5;

/**
 * Take the two locks that make a gateway the only one for its state dir and its
 * port. A lock whose process is gone (or whose file is unreadable) is stale and
 * replaced; a live one fails with {@link GatewayLockedError} naming its pid and port.
 */
export function acquireInstanceLock(options: InstanceLockOptions): InstanceLock {
  const stateDir = resolve(options.stateDir);
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const record: InstanceLockRecord = { pid: process.pid, port: options.port, startedAt: new Date().toISOString(), stateDir };
  const content = `${JSON.stringify(record)}\n`;
  const paths = [join(stateDir, "gateway.lock"), join(options.lockDir ?? tmpdir(), `openclaw-gateway-${options.port}.lock`)];

  const owned: Owned[] = [];
  try {
    for (const path of paths) owned.push(takeLock(path, content));
  } catch (error) {
    releaseAll(owned);
    throw error;
  }

  let released = false;
  return {
    paths,
    release() {
      if (released) return;
      released = true;
      releaseAll(owned);
    },
  };
}

/**
 * The gateway holding `<stateDir>/gateway.lock` right now, or undefined when no live
 * process holds it (no file, an unreadable one, or a holder that has exited). How the CLI
 * finds the port of the local gateway, and how `gateway status` knows it is running.
 */
export function readInstanceLock(stateDir: string): InstanceLockRecord | undefined {
  let text: string | undefined;
  try {
    text = readLock(join(resolve(stateDir), "gateway.lock"));
  } catch {
    return undefined;
  }
  const holder = text === undefined ? undefined : parseRecord(text);
  return holder !== undefined && isProcessAlive(holder.pid) ? holder : undefined;
}

function takeLock(path: string, content: string): Owned {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      writeFileSync(path, content, { flag: "wx", mode: 0o600 });
      return { path, content, ino: statSync(path).ino };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw error;
    }
    const existing = readLock(path);
    if (existing === undefined) continue; // removed between our create and read: just retry
    const holder = parseRecord(existing);
    if (holder !== undefined && isProcessAlive(holder.pid)) {
      throw new GatewayLockedError(
        `another gateway is already running (pid ${holder.pid}, port ${holder.port}, state dir ${holder.stateDir}); ` +
          "stop it first or use another --port and OPENCLAW_STATE_DIR",
        { pid: holder.pid, port: holder.port },
      );
    }
    // Re-check right before removing, so a lock another process just wrote over the stale one survives.
    if (readLock(path) === existing) removeIfPresent(path);
  }
  throw new Error(`could not take the gateway lock ${path} after ${MAX_ATTEMPTS} attempts; another gateway may be starting right now`);
}

function releaseAll(owned: readonly Owned[]): void {
  for (const lock of owned) {
    // Only delete the file we wrote: a stale-lock takeover may have put someone else's there.
    if (readLock(lock.path) !== lock.content) continue;
    if (statSync(lock.path, { throwIfNoEntry: false })?.ino !== lock.ino) continue;
    removeIfPresent(lock.path);
  }
}

function readLock(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
}

function parseRecord(text: string): InstanceLockRecord | undefined {
  try {
    const value = JSON.parse(text) as Partial<InstanceLockRecord> | null;
    // pid 0 and negative pids address process groups in kill(), so they never count as a holder.
    if (typeof value?.pid !== "number" || !Number.isInteger(value.pid) || value.pid <= 0) return undefined;
    return {
      pid: value.pid,
      port: typeof value.port === "number" ? value.port : 0,
      startedAt: typeof value.startedAt === "string" ? value.startedAt : "",
      stateDir: typeof value.stateDir === "string" ? value.stateDir : "unknown",
    };
  } catch {
    return undefined;
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return errorCode(error) === "EPERM";
  }
  // A killed gateway whose parent has not reaped it yet still answers kill(0), as a zombie.
  return !isZombie(pid);
}

/** On Linux, /proc/<pid>/stat says `Z` for a process that has exited but not been reaped. */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // The state follows the command name, which is in parentheses and may itself contain ") ".
  return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
}

function removeIfPresent(path: string): void {
  try {
    unlinkSync(path);
  } catch (error) {
    if (errorCode(error) !== "ENOENT") throw error;
  }
}

function errorCode(error: unknown): unknown {
  return typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
}
