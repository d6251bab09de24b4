import { createPublicKey, verify } from "node:crypto";
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { base64UrlDecode, ed25519SpkiFromRaw } from "@openclaw/protocol";
import { GatewayConfigError } from "../src/index.js";
import { FileDeviceTokenStore, createNodeIdentity, loadOrCreateIdentity } from "../src/node.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-client-stores-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

describe("device identity file", () => {
  it("is created with mode 0600 in a 0700 directory, and loads back the same identity", async () => {
    const path = join(dir, "identity", "device.json");
    const created = await loadOrCreateIdentity(path);
    expect(await mode(path)).toBe(0o600);
    expect(await mode(join(dir, "identity"))).toBe(0o700);
    const file = JSON.parse(await readFile(path, "utf8"));
    expect(file).toMatchObject({ version: 1, deviceId: created.id, publicKey: created.publicKey });
    expect(file.privateKeyPem).toContain("BEGIN PRIVATE KEY");
    expect(file.createdAtMs).toBeTypeOf("number");

    const loaded = await loadOrCreateIdentity(path);
    expect(loaded.id).toBe(created.id);
    expect(loaded.createdAtMs).toBe(created.createdAtMs);
    expect(await readdir(join(dir, "identity"))).toEqual(["device.json"]);
  });

  it("signs with Ed25519 under the device id derived from the key", async () => {
    const identity = createNodeIdentity();
    expect(identity.id).toMatch(/^[0-9a-f]{64}$/);
    const payload = new TextEncoder().encode("v3|payload");
    const signature = await identity.sign(payload);
    expect(signature).toHaveLength(64);
    const publicKey = createPublicKey({ key: Buffer.from(ed25519SpkiFromRaw(base64UrlDecode(identity.publicKey)!)), format: "der", type: "spki" });
    expect(verify(null, payload, publicKey, signature)).toBe(true);
  });

  it("rewrites a stale deviceId from the key", async () => {
    const path = join(dir, "device.json");
    const created = await loadOrCreateIdentity(path);
    const file = JSON.parse(await readFile(path, "utf8"));
    await writeFile(path, JSON.stringify({ ...file, deviceId: "wrong" }), { mode: 0o600 });
    const loaded = await loadOrCreateIdentity(path);
    expect(loaded.id).toBe(created.id);
    expect(JSON.parse(await readFile(path, "utf8")).deviceId).toBe(created.id);
    expect(await mode(path)).toBe(0o600);
  });

  it("gives one identity to concurrent first uses", async () => {
    const path = join(dir, "device.json");
    const [a, b, c] = await Promise.all([loadOrCreateIdentity(path), loadOrCreateIdentity(path), loadOrCreateIdentity(path)]);
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect(await readdir(dir)).toEqual(["device.json"]);
  });

  it("refuses a corrupt file with a message that says what to do", async () => {
    const path = join(dir, "device.json");
    await writeFile(path, "{ not json");
    await expect(loadOrCreateIdentity(path)).rejects.toThrow(GatewayConfigError);
    await expect(loadOrCreateIdentity(path)).rejects.toThrow(/move it aside/);
  });
});

describe("FileDeviceTokenStore", () => {
  const key = { gatewayUrl: "ws://127.0.0.1:18789", deviceId: "dev-1", role: "operator" };

  it("keeps tokens per (gateway, device, role) in a 0600 file, written atomically", async () => {
    const path = join(dir, "tokens", "device-auth.json");
    const store = new FileDeviceTokenStore(path);
    expect(await store.get(key)).toBeUndefined();
    await store.set(key, { token: "tok-1", scopes: ["operator.read"], issuedAtMs: 1 });
    expect(await mode(path)).toBe(0o600);
    expect(await mode(join(dir, "tokens"))).toBe(0o700);
    expect(await store.get(key)).toEqual({ token: "tok-1", scopes: ["operator.read"], issuedAtMs: 1 });
    expect(await store.get({ ...key, role: "node" })).toBeUndefined();
    expect(await new FileDeviceTokenStore(path).get(key)).toMatchObject({ token: "tok-1" });

    await store.clear(key);
    expect(await store.get(key)).toBeUndefined();
    expect(await readdir(join(dir, "tokens"))).toEqual(["device-auth.json"]);
  });

  it("loses no token to concurrent writes", async () => {
    const store = new FileDeviceTokenStore(join(dir, "device-auth.json"));
    await Promise.all(["a", "b", "c", "d"].map((role) => store.set({ ...key, role }, { token: `tok-${role}`, scopes: [], issuedAtMs: 1 })));
    for (const role of ["a", "b", "c", "d"]) expect((await store.get({ ...key, role }))?.token).toBe(`tok-${role}`);
  });
});
