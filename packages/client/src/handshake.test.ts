import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildConnectParams, selectConnectAuth } from "./handshake.js";
import { identityFromPrivateKeyPem } from "./node/identity.js";
import { resolveOptions } from "./options.js";

describe("selectConnectAuth", () => {
  it("puts the shared token first and the stored device token beside it", () => {
    expect(selectConnectAuth({ token: "shared" }, "stored")).toEqual({ auth: { token: "shared", deviceToken: "stored" }, tokenFromStore: false });
  });

  it("uses an explicit device token over the stored one, in both slots", () => {
    expect(selectConnectAuth({ deviceToken: "explicit" }, "stored")).toEqual({ auth: { token: "explicit", deviceToken: "explicit" }, tokenFromStore: false });
  });

  it("falls back to the stored device token alone, and says so", () => {
    expect(selectConnectAuth({}, "stored")).toEqual({ auth: { token: "stored" }, tokenFromStore: true });
  });

  it("always sends the password, and nothing at all without credentials", () => {
    expect(selectConnectAuth({ password: "pw" }, undefined)).toEqual({ auth: { password: "pw" }, tokenFromStore: false });
    expect(selectConnectAuth({ password: "pw", token: "t" }, undefined).auth).toEqual({ token: "t", password: "pw" });
    expect(selectConnectAuth({}, undefined)).toEqual({ auth: undefined, tokenFromStore: false });
  });
});

describe("buildConnectParams", () => {
  // The protocol's published end-to-end vector: Ed25519 seed 00 01 … 1f.
  const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  const pkcs8 = Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]);
  const pem = createPrivateKey({ key: pkcs8, format: "der", type: "pkcs8" }).export({ format: "pem", type: "pkcs8" }).toString();
  const identity = identityFromPrivateKeyPem(pem);
  const challenge = { nonce: "6f1c2b1e-8d7a-4c2e-9b3a-1f2e3d4c5b6a", ts: 1737264000000 };
  const options = resolveOptions({
    url: "ws://127.0.0.1:18789",
    socketFactory: () => {
      throw new Error("not used");
    },
    identity,
    token: "example-gateway-token",
    client: { id: "cli", mode: "cli", platform: "  MacOS ", deviceFamily: "Mac", version: "1.0.0" },
    scopes: ["operator.read", "operator.write"],
  });

  it("signs v3 at the challenge ts over the credential sent first (spec vector)", async () => {
    expect(identity.id).toBe("56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c");
    expect(identity.publicKey).toBe("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg");
    const params = await buildConnectParams(options, challenge, selectConnectAuth(options.credentials, undefined).auth);
    expect(params.device).toEqual({
      id: identity.id,
      publicKey: identity.publicKey,
      signature: "LszdoyP275YFbJM1n0jTfj8ElX2rdnkYLYRvizod0ZdOVy3VAAUyUuCn_fLKE2tRM2lWosDZo6ENNEMZtdLgBQ",
      signedAt: challenge.ts,
      nonce: challenge.nonce,
    });
    expect(params).toMatchObject({
      minProtocol: 4,
      maxProtocol: 4,
      role: "operator",
      scopes: ["operator.read", "operator.write"],
      auth: { token: "example-gateway-token" },
    });
  });

  it("sends no device without an identity, and defaults the client info", async () => {
    const plain = resolveOptions({ url: "ws://x", socketFactory: () => ({}) as never, client: { platform: undefined } });
    const params = await buildConnectParams(plain, challenge, undefined);
    expect(params.device).toBeUndefined();
    expect(params.auth).toBeUndefined();
    expect(params.client).toMatchObject({ id: "gateway-client", mode: "backend", version: "0.0.0" });
    expect(params.client.platform.length).toBeGreaterThan(0);
  });
});
