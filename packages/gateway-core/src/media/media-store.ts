// Files received on channels, kept by content: `<dir>/<first two hex digits>/<sha256>`. The same file
// sent twice is stored once; a name that is not a SHA-256 is never turned into a path.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";

const SHA256 = /^[0-9a-f]{64}$/;

export interface MediaPruneLimits {
  /** Files not written or read for this long are removed. */
  readonly maxAgeMs: number;
  /** Then the least recently used files go until the rest fit. */
  readonly maxTotalBytes: number;
}

export interface MediaPruneResult {
  readonly removed: number;
  readonly freedBytes: number;
  readonly keptBytes: number;
}

export class MediaStore {
  constructor(
    /** The folder, usually `<stateDir>/media`; created on the first write. */
    readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Stores `data` (atomically: a temp file renamed into place) and answers its SHA-256. */
  async put(data: Uint8Array): Promise<string> {
    const sha256 = createHash("sha256").update(data).digest("hex");
    const path = this.pathOf(sha256);
    const seconds = this.now() / 1000;
    try {
      // Already stored: only its age is renewed, so pruning counts from the latest use.
      await utimes(path, seconds, seconds);
      return sha256;
    } catch {
      // not stored yet
    }
    await mkdir(join(this.dir, sha256.slice(0, 2)), { recursive: true, mode: 0o700 });
    const temp = `${path}.${randomBytes(6).toString("hex")}.tmp`;
    try {
      await writeFile(temp, data, { mode: 0o600 });
      await rename(temp, path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await utimes(path, seconds, seconds);
    return sha256;
  }

  /** The stored file, or undefined when there is none (or `sha256` is not a SHA-256). */
  async read(sha256: string): Promise<Uint8Array | undefined> {
    if (!SHA256.test(sha256)) return undefined;
    try {
      return new Uint8Array(await readFile(this.pathOf(sha256)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
  }

  /** Removes files older than `maxAgeMs`, then the oldest until the rest fit in `maxTotalBytes`; leftover temp files go too. */
  async prune(limits: MediaPruneLimits): Promise<MediaPruneResult> {
    const files: { path: string; size: number; mtimeMs: number }[] = [];
    let removed = 0;
    let freedBytes = 0;
    const drop = async (path: string, size: number) => {
      await rm(path, { force: true });
      removed += 1;
      freedBytes += size;
    };
    for (const bucket of await readdir(this.dir).catch(() => [] as string[])) {
      if (!/^[0-9a-f]{2}$/.test(bucket)) continue;
      for (const name of await readdir(join(this.dir, bucket)).catch(() => [] as string[])) {
        const path = join(this.dir, bucket, name);
        const info = await stat(path).catch(() => undefined);
        if (!info?.isFile()) continue;
        if (!SHA256.test(name) || this.now() - info.mtimeMs > limits.maxAgeMs) await drop(path, info.size);
        else files.push({ path, size: info.size, mtimeMs: info.mtimeMs });
      }
    }
    files.sort((a, b) => a.mtimeMs - b.mtimeMs);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files) {
      if (total <= limits.maxTotalBytes) break;
      await drop(file.path, file.size);
      total -= file.size;
    }
    return { removed, freedBytes, keptBytes: total };
  }

  /** Where the file of `sha256` is (or would be) stored; a name that is not a SHA-256 is refused. */
  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new RangeError(`not a SHA-256: ${JSON.stringify(sha256)}`);
    return join(this.dir, sha256.slice(0, 2), sha256);
  }
}
