import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { ProviderStateError, writeFileAtomic } from "@openclaw/channel-kit";
import {
  BufferJSON,
  initAuthCreds,
  proto,
  type AuthenticationCreds,
  type AuthenticationState,
  type SignalDataSet,
  type SignalDataTypeMap,
} from "@whiskeysockets/baileys";

/** Most entries kept per key type; the oldest go first. Bounds the key file (pre-keys grow forever otherwise). */
export const DEFAULT_MAX_KEYS_PER_TYPE = 2_000;

type KeyMap = { [type: string]: { [id: string]: unknown } };

/**
 * WhatsApp auth state for one account in `dir`: `creds.json` and `keys.json`. All writes go
 * through one serialized writer, so two saves never interleave and a load never sees a file
 * half-written. Nothing here deletes the state except `remove()`, which only logout calls.
 */
export class AuthStore {
  private chain: Promise<void> = Promise.resolve();
  private creds: AuthenticationCreds | undefined;
  private keys: KeyMap = {};
  private writes = 0;

  constructor(
    readonly dir: string,
    private readonly maxKeysPerType = DEFAULT_MAX_KEYS_PER_TYPE,
  ) {}

  /** Saves completed since this store was opened (tests use it to count writes). */
  get completedWrites(): number {
    return this.writes;
  }

  /** True once the account has been linked (a QR scan or pairing code completed). */
  get linked(): boolean {
    return this.creds?.registered === true || this.creds?.me !== undefined;
  }

  /**
   * Loads the state, creating fresh credentials when there are none. Leftover temp files from a
   * crash are removed; a corrupt file is an error that names it, never silently replaced.
   */
  load(): AuthenticationState {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    for (const name of readdirSync(this.dir)) if (name.includes(".tmp-")) unlinkSync(join(this.dir, name));
    this.creds = (this.readJson("creds.json") as AuthenticationCreds | undefined) ?? initAuthCreds();
    this.keys = (this.readJson("keys.json") as KeyMap | undefined) ?? {};
    return {
      creds: this.creds,
      keys: {
        get: async <T extends keyof SignalDataTypeMap>(type: T, ids: string[]) => {
          const result: { [id: string]: SignalDataTypeMap[T] } = {};
          const stored = this.keys[type] ?? {};
          for (const id of ids) {
            let value = stored[id];
            if (value === undefined || value === null) continue;
            if (type === "app-state-sync-key") value = proto.Message.AppStateSyncKeyData.fromObject(value as object);
            result[id] = value as SignalDataTypeMap[T];
          }
          return result;
        },
        set: async (data: SignalDataSet) => {
          for (const [type, entries] of Object.entries(data)) {
            const stored = (this.keys[type] ??= {});
            for (const [id, value] of Object.entries(entries ?? {})) {
              delete stored[id];
              if (value !== null && value !== undefined) stored[id] = value;
            }
            const ids = Object.keys(stored);
            for (const id of ids.slice(0, Math.max(0, ids.length - this.maxKeysPerType))) delete stored[id];
          }
          await this.save("keys.json", () => this.keys);
        },
      },
    };
  }

  /** Persists the current credentials (call on every `creds.update`). */
  saveCreds(): Promise<void> {
    return this.save("creds.json", () => this.creds);
  }

  /** Resolves once every save queued so far is on disk. */
  flush(): Promise<void> {
    return this.chain;
  }

  /**
   * Copies the state files to `target`, replacing the backup there (one is kept: the newest).
   * Waits for pending saves first; the old backup goes only once the new one is complete on disk.
   * `skip` names files in the dir that are not auth state. Resolves false when there was nothing.
   */
  async backup(target: string, skip: readonly string[] = []): Promise<boolean> {
    await this.flush();
    if (!existsSync(this.dir)) return false;
    const names = readdirSync(this.dir).filter((name) => !name.includes(".tmp-") && !skip.includes(name));
    if (names.length === 0) return false;
    const staging = `${target}.tmp-${process.pid}`;
    const previous = `${target}.old-${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true, mode: 0o700 });
    for (const name of names) writeFileAtomic(join(staging, name), readFileSync(join(this.dir, name), "utf8"));
    if (existsSync(target)) renameSync(target, previous);
    renameSync(staging, target);
    rmSync(previous, { recursive: true, force: true });
    return true;
  }

  /** Deletes the account's state: only an explicit logout does this. Waits for pending saves first. */
  async remove(): Promise<void> {
    await this.flush();
    rmSync(this.dir, { recursive: true, force: true });
    this.creds = undefined;
    this.keys = {};
  }

  private readJson(name: string): unknown {
    let text: string;
    try {
      text = readFileSync(join(this.dir, name), "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    try {
      return JSON.parse(text, BufferJSON.reviver);
    } catch (error) {
      throw new ProviderStateError(
        `WhatsApp auth state ${join(this.dir, name)} is not valid JSON (${(error as Error).message}); restore it from a backup or run openclaw channels logout --channel whatsapp and link again`,
        { cause: error },
      );
    }
  }

  /** Queues a write; the value is serialized when the write runs, so a burst collapses to the latest state. */
  private save(name: string, value: () => unknown): Promise<void> {
    const next = this.chain.then(() => {
      const current = value();
      if (current === undefined) return;
      writeFileAtomic(join(this.dir, name), JSON.stringify(current, BufferJSON.replacer));
      this.writes += 1;
    });
    this.chain = next.catch(() => undefined);
    return next;
  }
}
