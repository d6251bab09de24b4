import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

export interface AtomicWriteOptions {
  /** Mode of the written file. @default 0o600 */
  readonly mode?: number;
  /** Mode of parent directories this call creates. @default 0o700 */
  readonly dirMode?: number;
}

async function fsyncDirectory(dir: string): Promise<void> {
  // Makes the rename itself durable. Some platforms cannot open a directory; the
  // rename is still atomic there, just not yet flushed.
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    return;
  }
}

/**
 * Replace `path` with `data` so readers see the old file or the new one, never a mix:
 * write a temp file beside it, fsync, rename over, fsync the directory. On any failure
 * the temp file is removed and the old file is untouched.
 */
export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: options.dirMode ?? 0o700 });
  // Same directory, so the rename never crosses a filesystem.
  const temp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const handle = await open(temp, "wx", mode);
    try {
      // The umask may have narrowed the mode at creation; set it exactly.
      await handle.chmod(mode);
      await handle.writeFile(data, "utf8");
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncDirectory(dir);
}
