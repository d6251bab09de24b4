import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

let sequence = 0;

/**
 * Writes `text` to `path` through a temp file, fsync, rename and a directory fsync: a crash
 * leaves the old file or the new one, never half of either. Temp files are named
 * `<path>.tmp-<pid>-<n>`, so a reader can remove leftovers of a crash.
 */
export function writeFileAtomic(path: string, text: string, options: { mode?: number } = {}): void {
  const temp = `${path}.tmp-${process.pid}-${++sequence}`;
  try {
    const fd = openSync(temp, "w", options.mode ?? 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  const dir = openSync(dirname(path), "r");
  try {
    fsyncSync(dir);
  } finally {
    closeSync(dir);
  }
}
