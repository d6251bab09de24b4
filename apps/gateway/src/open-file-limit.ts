// The process's limit on open files: each connection, channel socket and store file takes one.
import { readFileSync } from "node:fs";

/** Below this many, a gateway with a few hundred clients and its channels runs out of descriptors. */
export const OPEN_FILES_ADVISED = 4096;

/** What a process needs besides its connections: the store, logs, channel sockets, child pipes. */
const RESERVED_FILES = 64;

/**
 * The soft limit on open files from a `/proc/<pid>/limits` file, or `undefined` where there is no
 * such file (macOS, Windows) or it cannot be read. `unlimited` is `Infinity`.
 */
export function openFileLimit(limitsFile = "/proc/self/limits"): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, "utf8");
  } catch {
    return undefined;
  }
  const soft = text
    .split("\n")
    .find((row) => row.startsWith("Max open files"))
    ?.split(/\s{2,}/)[1];
  if (soft === "unlimited") return Number.POSITIVE_INFINITY;
  const value = Number(soft);
  return soft !== undefined && Number.isInteger(value) && value >= 0 ? value : undefined;
}

/** The fix, as `openclaw doctor` and the start-up warning give it. */
export const OPEN_FILES_FIX = "raise it (ulimit -n 65536, or LimitNOFILE= in the service unit)";

/** A warning for a start-up whose limit is under `OPEN_FILES_ADVISED`, or `undefined` when it is not. */
export function openFileLimitWarning(limit: number | undefined): string | undefined {
  if (limit === undefined || limit >= OPEN_FILES_ADVISED) return undefined;
  const connections = Math.max(0, limit - RESERVED_FILES);
  return `warning: the open file limit is ${limit}, so this gateway can hold about ${connections} connections before new ones fail; ${OPEN_FILES_FIX}\n`;
}
