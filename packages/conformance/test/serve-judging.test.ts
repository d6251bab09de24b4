import { describe, expect, it } from "vitest";
import { createNodeIdentity } from "@openclaw/client/node";
import { base64UrlEncode, buildDeviceAuthPayload, utf8Encode, type DeviceAuthPayloadInput } from "@openclaw/protocol";
import { evaluateBackoff, verifyDeviceProof } from "../src/index.js";

describe("reconnect backoff, judged from gaps alone", () => {
  it("passes exponential delays with jitter, and delays that hold at a long cap", () => {
    expect(evaluateBackoff([1100, 1700, 4300], 3, 35_000)).toEqual({ status: "pass" });
    expect(evaluateBackoff([16_000, 30_000, 29_000], 3, 35_000)).toEqual({ status: "pass" });
    // The first retry may be immediate; what follows must back off.
    expect(evaluateBackoff([0, 1000, 2000], 3, 35_000)).toEqual({ status: "pass" });
  });

  it("passes doubling delays where one step grew little because the first timer fired late", () => {
    // 1 s and 2 s ±20%, the first reconnect 400 ms late on a busy machine: one ratio of 1.14.
    expect(evaluateBackoff([1417, 1622, 3900], 3, 35_000)).toEqual({ status: "pass" });
  });

  it("fails delays that shrink, or that grow too little over the whole script", () => {
    expect(evaluateBackoff([1000, 2500, 2400], 3, 35_000)).toMatchObject({ status: "fail", detail: expect.stringContaining("ratios 2.50, 0.96") });
    expect(evaluateBackoff([1000, 1100, 1300], 3, 35_000)).toMatchObject({ status: "fail", detail: expect.stringContaining("the delays do not grow") });
  });

  it("fails a fixed interval, naming the delays and their ratios", () => {
    expect(evaluateBackoff([1000, 1000, 1000], 3, 35_000)).toEqual({
      status: "fail",
      detail:
        "the delays do not grow: 1000 ms, 1000 ms, 1000 ms (ratios 1.00, 1.00); expected none shorter than the one before and, until a cap, 1.2× growth per close on average, as exponential backoff gives (§1.7)",
    });
  });

  it("fails a tight loop even when its tiny delays happen to grow", () => {
    expect(evaluateBackoff([1, 2, 4], 3, 35_000)).toMatchObject({ status: "fail", detail: expect.stringContaining("a tight loop") });
  });

  it("fails a client that stops reconnecting, saying after which close", () => {
    expect(evaluateBackoff([], 3, 35_000)).toMatchObject({ status: "fail", detail: expect.stringContaining("no reconnect within 35000 ms") });
    expect(evaluateBackoff([1000], 3, 35_000)).toMatchObject({
      status: "fail",
      detail: "reconnected after 1 of 3 closes (after 1000 ms), then not within 35000 ms",
    });
  });
});

describe("device proof verification", () => {
  const identity = createNodeIdentity();
  const nonce = "nonce-this-connection";
  const now = 1_800_000_000_000;

  async function proofParams(sign: (input: DeviceAuthPayloadInput) => DeviceAuthPayloadInput = (input) => input, device: object = {}) {
    const params = {
      client: { id: "cli", version: "1", platform: "  Linux ", deviceFamily: "Desktop", mode: "cli" },
      role: "operator",
      scopes: ["operator.write", "operator.read"],
      auth: { token: "secret-token-value" },
    };
    const input: DeviceAuthPayloadInput = {
      version: "v3",
      deviceId: identity.id,
      clientId: "cli",
      clientMode: "cli",
      role: "operator",
      scopes: params.scopes,
      signedAtMs: now,
      token: "secret-token-value",
      nonce,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    };
    const signature = base64UrlEncode(await identity.sign(utf8Encode(buildDeviceAuthPayload(sign(input)))));
    return { ...params, device: { id: identity.id, publicKey: identity.publicKey, signature, signedAt: now, nonce, ...device } };
  }
  const context = { nonce, earlierNonces: ["nonce-earlier"], nowMs: now };

  it("verifies v3 over normalized platform and deviceFamily, and tells v2 apart", async () => {
    expect(verifyDeviceProof(await proofParams(), context)).toEqual({ present: true, version: "v3", problems: [] });
    expect(verifyDeviceProof(await proofParams((input) => ({ ...input, version: "v2" })), context)).toEqual({ present: true, version: "v2", problems: [] });
    expect(verifyDeviceProof({ client: {} }, context)).toEqual({ present: false, version: undefined, problems: [] });
  });

  it("names what the client signed instead: raw platform, sorted scopes, an earlier nonce", async () => {
    const unnormalized = await proofParams((input) => input);
    // Re-sign over the platform as sent, without normalizing it.
    const asSent = `v3|${identity.id}|cli|cli|operator|operator.write,operator.read|${now}|secret-token-value|${nonce}|  Linux |Desktop`;
    unnormalized.device.signature = base64UrlEncode(await identity.sign(utf8Encode(asSent)));
    expect(verifyDeviceProof(unnormalized, context).problems.join()).toContain(
      'signed platform and deviceFamily as sent ("  Linux ", "Desktop"), not normalized (trimmed, A-Z lowercased: "linux", "desktop")',
    );
    const sorted = verifyDeviceProof(await proofParams((input) => ({ ...input, scopes: [...input.scopes].sort() })), context);
    expect(sorted.problems.join()).toContain("signed the scopes sorted instead of in the order sent");
    const earlier = verifyDeviceProof(await proofParams((input) => ({ ...input, nonce: "nonce-earlier" })), context);
    expect(earlier.problems.join()).toContain("signed the nonce of an earlier connection");
  });

  it("names a signed password and a legacy v1 payload", async () => {
    const withPassword = await proofParams((input) => ({ ...input, token: "the-password" }));
    const password = verifyDeviceProof({ ...withPassword, auth: { ...withPassword.auth, password: "the-password" } }, context);
    expect(password.problems).toEqual(["device signature invalid: signed auth.password in the token field; the password is never signed (§3.3)"]);
    const v1 = await proofParams();
    const legacy = `v1|${identity.id}|cli|cli|operator|operator.write,operator.read|${now}|secret-token-value`;
    v1.device.signature = base64UrlEncode(await identity.sign(utf8Encode(legacy)));
    expect(verifyDeviceProof(v1, context).problems).toEqual([
      "device signature invalid: signed the legacy v1 payload (no nonce), which current gateways reject (§3.3)",
    ]);
  });

  it("never shows the credential when nothing it tries verifies", async () => {
    const params = await proofParams((input) => ({ ...input, clientId: "someone-else" }));
    const [problem] = verifyDeviceProof(params, context).problems;
    expect(problem).toContain(
      `v3 signs every one of these fields: v3|${identity.id}|cli|cli|operator|operator.write,operator.read|${now}|<credential>|${nonce}|linux|desktop`,
    );
    expect(problem).not.toContain("secret-token-value");
  });

  it("reports a reused nonce, a stale signedAt and a device id that is not the key's hash", async () => {
    const params = await proofParams((input) => input, { nonce: "nonce-earlier", signedAt: now - 600_000, id: "0".repeat(64) });
    const problems = verifyDeviceProof(params, context).problems;
    expect(problems).toContain(`device.id is "${"0".repeat(64)}"; expected the SHA-256 hex of the public key, ${identity.id}`);
    expect(problems).toContain("device.signedAt is 600000 ms behind the gateway clock; allowed ±120000 ms (sign at the challenge's ts)");
    expect(problems).toContain("device.nonce is the nonce of an earlier connection; each connection must sign its own challenge's nonce");
  });
});
