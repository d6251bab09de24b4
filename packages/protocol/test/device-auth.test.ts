import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  base64UrlDecode,
  base64UrlEncode,
  buildDeviceAuthPayload,
  decodeDevicePublicKey,
  deriveDeviceId,
  ed25519SpkiFromRaw,
  normalizeDeviceMetadata,
  sha256,
  signedCredential,
  toHex,
} from "../src/index.js";

const scopes = ["operator.admin", "operator.read"];

describe("device auth payload (the protocol's published test vectors)", () => {
  it("builds the v2 vector with an absent token", () => {
    expect(
      buildDeviceAuthPayload({
        version: "v2",
        deviceId: "dev-1",
        clientId: "openclaw-macos",
        clientMode: "ui",
        role: "operator",
        scopes,
        signedAtMs: 1700000000000,
        token: null,
        nonce: "nonce-abc",
      }),
    ).toBe("v2|dev-1|openclaw-macos|ui|operator|operator.admin,operator.read|1700000000000||nonce-abc");
  });

  it("builds the v3 vector, normalizing platform and device family", () => {
    expect(
      buildDeviceAuthPayload({
        version: "v3",
        deviceId: "dev-1",
        clientId: "openclaw-macos",
        clientMode: "ui",
        role: "operator",
        scopes,
        signedAtMs: 1700000000000,
        token: "tok-123",
        nonce: "nonce-abc",
        platform: "  IOS  ",
        deviceFamily: "  iPhone  ",
      }),
    ).toBe("v3|dev-1|openclaw-macos|ui|operator|operator.admin,operator.read|1700000000000|tok-123|nonce-abc|ios|iphone");
  });

  it("keeps the field count fixed when optional values are missing", () => {
    expect(
      buildDeviceAuthPayload({
        version: "v3",
        deviceId: "dev-2",
        clientId: "openclaw-ios",
        clientMode: "ui",
        role: "operator",
        scopes: ["operator.read"],
        signedAtMs: 1700000000001,
        nonce: "nonce-def",
      }),
    ).toBe("v3|dev-2|openclaw-ios|ui|operator|operator.read|1700000000001||nonce-def||");
  });

  it("keeps scope order as sent", () => {
    const payload = buildDeviceAuthPayload({
      version: "v2",
      deviceId: "d",
      clientId: "cli",
      clientMode: "cli",
      role: "operator",
      scopes: ["operator.write", "operator.read"],
      signedAtMs: 1,
      nonce: "n",
    });
    expect(payload).toContain("|operator.write,operator.read|");
  });

  it("lowercases only ASCII letters", () => {
    expect(normalizeDeviceMetadata("  İOS Ünit ")).toBe("İos Ünit");
    expect(normalizeDeviceMetadata(undefined)).toBe("");
  });

  it("signs over the first present credential, never the password", () => {
    expect(signedCredential({ token: "a", deviceToken: "b" })).toBe("a");
    expect(signedCredential({ deviceToken: "b", bootstrapToken: "c" })).toBe("b");
    expect(signedCredential({ bootstrapToken: "c" })).toBe("c");
    expect(signedCredential({ token: "", deviceToken: "b" })).toBe("");
    expect(signedCredential({ password: "p" })).toBe("");
    expect(signedCredential(undefined)).toBe("");
  });
});

describe("end-to-end Ed25519 vector (seed 00..1f)", () => {
  const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  const privateKey = createPrivateKey({ key: Buffer.concat([Buffer.from("302e020100300506032b657004220420", "hex"), seed]), format: "der", type: "pkcs8" });
  const raw = new Uint8Array(createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(12));
  const input = {
    deviceId: "56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c",
    clientId: "cli",
    clientMode: "cli",
    role: "operator",
    scopes: ["operator.read", "operator.write"],
    signedAtMs: 1737264000000,
    token: "example-gateway-token",
    nonce: "6f1c2b1e-8d7a-4c2e-9b3a-1f2e3d4c5b6a",
    platform: "  MacOS ",
    deviceFamily: "Mac",
  };

  it("derives the public key encoding and device id", () => {
    expect(toHex(raw)).toBe("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
    expect(base64UrlEncode(raw)).toBe("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg");
    expect(deriveDeviceId(raw)).toBe(input.deviceId);
  });

  it("reproduces the v3 and v2 payloads and signatures", () => {
    const v3 = buildDeviceAuthPayload({ version: "v3", ...input });
    expect(v3).toBe(
      "v3|56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c|cli|cli|operator|operator.read,operator.write|1737264000000|example-gateway-token|6f1c2b1e-8d7a-4c2e-9b3a-1f2e3d4c5b6a|macos|mac",
    );
    expect(base64UrlEncode(sign(null, Buffer.from(v3), privateKey))).toBe(
      "LszdoyP275YFbJM1n0jTfj8ElX2rdnkYLYRvizod0ZdOVy3VAAUyUuCn_fLKE2tRM2lWosDZo6ENNEMZtdLgBQ",
    );
    const v2 = buildDeviceAuthPayload({ version: "v2", ...input });
    expect(v2).toBe(
      "v2|56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c|cli|cli|operator|operator.read,operator.write|1737264000000|example-gateway-token|6f1c2b1e-8d7a-4c2e-9b3a-1f2e3d4c5b6a",
    );
    expect(base64UrlEncode(sign(null, Buffer.from(v2), privateKey))).toBe(
      "m9laNVQTmSj3sN6CQTDQuNptUE7aNqI8xLtcGBzmVeG5pNmbb6QskBFzf7pppOR15nbpJiwRjNVCWu5YF4EZCA",
    );
  });

  it("wraps a raw key as SPKI that node:crypto verifies with", () => {
    const publicKey = createPublicKey({ key: Buffer.from(ed25519SpkiFromRaw(raw)), format: "der", type: "spki" });
    const signature = base64UrlDecode("LszdoyP275YFbJM1n0jTfj8ElX2rdnkYLYRvizod0ZdOVy3VAAUyUuCn_fLKE2tRM2lWosDZo6ENNEMZtdLgBQ")!;
    const payload = buildDeviceAuthPayload({ version: "v3", ...input });
    expect(verify(null, Buffer.from(payload), publicKey, signature)).toBe(true);
    expect(verify(null, Buffer.from(payload + "x"), publicKey, signature)).toBe(false);
  });

  it("decodes base64url and PEM public keys to the raw key", () => {
    expect(decodeDevicePublicKey("A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg")).toEqual(raw);
    const pem = createPublicKey(privateKey).export({ format: "pem", type: "spki" }).toString();
    expect(decodeDevicePublicKey(pem)).toEqual(raw);
    expect(decodeDevicePublicKey("too-short")).toBeUndefined();
    expect(decodeDevicePublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")).toBeUndefined();
  });
});

describe("encoding helpers", () => {
  it("sha256 matches node:crypto for many lengths", () => {
    for (const length of [0, 1, 31, 32, 55, 56, 63, 64, 65, 119, 120, 1000]) {
      const data = randomBytes(length);
      expect(toHex(sha256(data))).toBe(createHash("sha256").update(data).digest("hex"));
    }
  });

  it("base64url round-trips and matches Buffer's encoder", () => {
    for (let length = 0; length < 40; length++) {
      const data = new Uint8Array(randomBytes(length));
      const text = base64UrlEncode(data);
      expect(text).toBe(Buffer.from(data).toString("base64url"));
      expect(base64UrlDecode(text)).toEqual(data);
    }
  });

  it("accepts standard base64 and padding, refuses garbage", () => {
    const data = new Uint8Array([251, 255, 190]);
    expect(base64UrlDecode(Buffer.from(data).toString("base64"))).toEqual(data);
    expect(base64UrlDecode("AQ==")).toEqual(new Uint8Array([1]));
    expect(base64UrlDecode("A")).toBeUndefined();
    expect(base64UrlDecode("ab$d")).toBeUndefined();
    expect(base64UrlDecode("AR")).toBeUndefined();
  });
});
