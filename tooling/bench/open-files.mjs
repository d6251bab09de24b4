// Whether this machine lets the scale figure hold its sockets: every socket is a file descriptor,
// and the gateway (or the raw ws server) holds all of them in one process.
import { readFileSync } from "node:fs";

/** Descriptors a process needs besides its sockets (stdio, the store, inotify, pipes). */
const FD_HEADROOM = 256;
/** The soft limit on open files of this process (children inherit it), from /proc/self/limits. */
export function openFileLimit() {
  try {
    const row = readFileSync("/proc/self/limits", "utf8")
      .split("\n")
      .find((line) => line.startsWith("Max open files"));
    const soft = row?.split(/\s{2,}/)[1];
    return soft === "unlimited" ? Infinity : Number(soft);
  } catch {
    return NaN;
  }
}

/** Throws a clear message when the server or a client process could not hold its sockets. */
export function checkOpenFileLimit(conns, procs, limit = openFileLimit()) {
  const need = Math.max(conns, Math.ceil(conns / procs)) + FD_HEADROOM;
  if (Number.isFinite(limit) && limit < need) {
    throw new Error(
      `open file limit is ${limit} (ulimit -n), but ${conns} connections need about ${need} in the server process; ` +
        `raise it (ulimit -n ${Math.max(need, 20000)}) or lower BENCH_SCALE_CONNS`,
    );
  }
}
