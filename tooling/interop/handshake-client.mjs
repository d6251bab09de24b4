// The raw side of the handshake-error replay: a device identity that signs connect proofs as the
// protocol says, and a WebSocket connection that records every frame and the close.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { parseJson } from "./lib.mjs";
import { loadWs } from "./ws-proxy.mjs";

const WebSocket = loadWs();

// ---------------------------------------------------------------------------------------
// Device identity and the signed connect proof.

export const CLIENT_VERSION = "2026.9.6";
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");
const ED25519_PKCS8_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

function identityFromKeys({ publicKey, privateKey }) {
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(ED25519_SPKI_PREFIX.length);
  return {
    id: createHash("sha256").update(raw).digest("hex"),
    publicKey: raw.toString("base64url"),
    privateKey,
  };
}

export const newIdentity = () => identityFromKeys(generateKeyPairSync("ed25519"));

/** Trim + ASCII-only lowercasing, as platform/deviceFamily are signed. */
const normalizeMetadata = (value) => (value ?? "").trim().replace(/[A-Z]/g, (c) => c.toLowerCase());

function devicePayload({ version, deviceId, params, signedAt, nonce }) {
  const fields = [
    version,
    deviceId,
    params.client.id,
    params.client.mode,
    params.role ?? "operator",
    (params.scopes ?? []).join(","),
    String(signedAt),
    params.auth?.token ?? "",
    nonce,
  ];
  if (version === "v3") fields.push(normalizeMetadata(params.client.platform), normalizeMetadata(params.client.deviceFamily));
  return fields.join("|");
}

/**
 * The `device` block for `params`. Overrides produce the broken variants: a different
 * `id` (signed over, too), `signedAt`, `nonce`, payload `version`, or `corrupt` to flip
 * one byte of an otherwise valid signature.
 */
export function signDevice(identity, params, { nonce, version = "v3", deviceId = identity.id, signedAt = Date.now(), corrupt = false }) {
  const payload = devicePayload({ version, deviceId, params, signedAt, nonce });
  const signature = sign(null, Buffer.from(payload, "utf8"), identity.privateKey);
  if (corrupt) signature[0] ^= 0xff;
  return { id: deviceId, publicKey: identity.publicKey, signature: signature.toString("base64url"), signedAt, nonce };
}

/** The protocol's published end-to-end vector, so a bug here can't masquerade as a gateway bug. */
export function selfTestSigning() {
  const seed = Buffer.from(Array.from({ length: 32 }, (_, i) => i));
  const privateKey = createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: "der", type: "pkcs8" });
  const identity = identityFromKeys({ publicKey: createPublicKey(privateKey), privateKey });
  const params = {
    client: { id: "cli", mode: "cli", platform: "  MacOS ", deviceFamily: "Mac" },
    role: "operator",
    scopes: ["operator.read", "operator.write"],
    auth: { token: "example-gateway-token" },
  };
  const nonce = "6f1c2b1e-8d7a-4c2e-9b3a-1f2e3d4c5b6a";
  const v3 = signDevice(identity, params, { nonce, signedAt: 1737264000000 });
  const v2 = signDevice(identity, params, { nonce, signedAt: 1737264000000, version: "v2" });
  const expected = {
    publicKey: "A6EHv_POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg",
    id: "56475aa75463474c0285df5dbf2bcab73da651358839e9b77481b2eab107708c",
    v3: "LszdoyP275YFbJM1n0jTfj8ElX2rdnkYLYRvizod0ZdOVy3VAAUyUuCn_fLKE2tRM2lWosDZo6ENNEMZtdLgBQ",
    v2: "m9laNVQTmSj3sN6CQTDQuNptUE7aNqI8xLtcGBzmVeG5pNmbb6QskBFzf7pppOR15nbpJiwRjNVCWu5YF4EZCA",
  };
  const got = { publicKey: identity.publicKey, id: identity.id, v3: v3.signature, v2: v2.signature };
  for (const key of Object.keys(expected)) {
    if (got[key] !== expected[key]) throw new Error(`device signing self-test failed: ${key} is ${got[key]}, expected ${expected[key]}`);
  }
}

// ---------------------------------------------------------------------------------------
// A raw WebSocket connection that records every frame and the close.

export class Connection {
  static open(url, redact = (text) => text, timeoutMs = 10_000) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      const connection = new Connection(ws, redact);
      ws.once("open", () => resolve(connection));
      ws.once("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode} instead of a WebSocket upgrade`)));
      ws.once("error", (error) => reject(error));
    });
  }

  constructor(ws, redact) {
    this.ws = ws;
    this.redact = redact;
    this.received = []; // { frame, raw, taken }
    this.log = []; // human-readable transcript
    this.closeInfo = null;
    this.waiters = new Set();
    ws.on("error", () => {}); // surfaced through close
    ws.on("message", (data, isBinary) => {
      const raw = isBinary ? `<binary ${data.length} bytes>` : data.toString("utf8");
      this.received.push({ frame: isBinary ? undefined : parseJson(raw), raw, taken: false });
      this.log.push(`<- ${truncate(this.redact(raw))}`);
      this.wake();
    });
    ws.on("close", (code, reason) => {
      this.closeInfo = { code, reason: reason.toString("utf8") };
      this.log.push(`<- close ${code} ${JSON.stringify(this.closeInfo.reason)}`);
      this.wake();
    });
  }

  wake() {
    for (const waiter of [...this.waiters]) waiter();
  }

  send(frame) {
    const text = typeof frame === "string" ? frame : JSON.stringify(frame);
    this.log.push(`-> ${truncate(this.redact(text))}`);
    this.ws.send(text);
  }

  /** The first not-yet-taken frame matching `match`, or null on close/timeout. */
  next(match, timeoutMs) {
    return this.waitUntil(() => {
      const entry = this.received.find((item) => !item.taken && item.frame !== undefined && match(item.frame));
      if (entry) {
        entry.taken = true;
        return entry.frame;
      }
      return this.closeInfo ? null : undefined;
    }, timeoutMs);
  }

  /** The close ({code, reason}) once it happens, or null if still open after timeoutMs. */
  waitClose(timeoutMs) {
    return this.waitUntil(() => this.closeInfo ?? undefined, timeoutMs);
  }

  /** Re-run `probe` on every frame and on close until it returns something other than undefined. */
  waitUntil(probe, timeoutMs) {
    return new Promise((resolve) => {
      const check = () => {
        const value = probe();
        if (value !== undefined) finish(value);
      };
      const timer = setTimeout(() => finish(null), timeoutMs);
      const finish = (value) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Responses that nobody asked for (e.g. an answer to a frame that should be ignored). */
  untakenResponses() {
    return this.received.filter((item) => !item.taken && item.frame?.type === "res").map((item) => item.frame);
  }

  async end() {
    if (this.closeInfo) return;
    this.ws.close();
    if (!(await this.waitClose(2000))) this.ws.terminate();
  }
}

export function truncate(text, max = 600) {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
