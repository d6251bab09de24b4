import { readFile } from "node:fs/promises";
import { GatewayConfigError } from "../errors.js";
import { deviceTokenKeyString, type DeviceTokenKey, type DeviceTokenRecord, type DeviceTokenStore } from "../identity.js";
import { writeFileAtomic } from "./fs-atomic.js";

interface TokenEntry extends DeviceTokenKey, DeviceTokenRecord {}

/** The token file: `{ version: 1, tokens: [{ gatewayUrl, deviceId, role, token, scopes, issuedAtMs }] }`. */
interface TokenFile {
  readonly version: 1;
  readonly tokens: TokenEntry[];
}

/**
 * Device tokens in a JSON file (mode 0600, written atomically). Writes from one store are
 * serialized, so concurrent `set` calls never lose each other's tokens.
 */
export class FileDeviceTokenStore implements DeviceTokenStore {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  async get(key: DeviceTokenKey): Promise<DeviceTokenRecord | undefined> {
    await this.queue;
    const wanted = deviceTokenKeyString(key);
    const entry = (await this.read()).tokens.find((candidate) => deviceTokenKeyString(candidate) === wanted);
    return entry ? { token: entry.token, scopes: [...entry.scopes], issuedAtMs: entry.issuedAtMs } : undefined;
  }

  set(key: DeviceTokenKey, record: DeviceTokenRecord): Promise<void> {
    return this.update((tokens) => [
      ...tokens.filter((entry) => deviceTokenKeyString(entry) !== deviceTokenKeyString(key)),
      { gatewayUrl: key.gatewayUrl, deviceId: key.deviceId, role: key.role, token: record.token, scopes: [...record.scopes], issuedAtMs: record.issuedAtMs },
    ]);
  }

  clear(key: DeviceTokenKey): Promise<void> {
    return this.update((tokens) => tokens.filter((entry) => deviceTokenKeyString(entry) !== deviceTokenKeyString(key)));
  }

  private update(change: (tokens: readonly TokenEntry[]) => TokenEntry[]): Promise<void> {
    const next = this.queue.then(async () => {
      const file: TokenFile = { version: 1, tokens: change((await this.read()).tokens) };
      await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`);
    });
    // A failed write is reported to its caller only; later writes still run.
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async read(): Promise<TokenFile> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, tokens: [] };
      throw error;
    }
    try {
      const file = JSON.parse(text) as Partial<TokenFile>;
      return { version: 1, tokens: Array.isArray(file.tokens) ? file.tokens : [] };
    } catch (error) {
      throw new GatewayConfigError(`device token file ${this.path} is not JSON; delete it to start over (tokens are re-issued on the next connect)`, {
        cause: error,
      });
    }
  }
}
