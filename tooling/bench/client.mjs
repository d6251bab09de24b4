// The bench's client: device identities, connect params, a minimal request/response client
// and one timed handshake.
import { createHash, generateKeyPairSync, randomUUID, sign } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { ROOT, WebSocket } from "./common.mjs";

let protocol; // loaded by loadProtocol() from main(), so the baseline server process does not carry it
const CLIENT_VERSION = "2026.9.6";
const SPKI_PREFIX_LEN = 12;

/** Loads @openclaw/protocol (for the device-auth payload); main() calls it before any handshake. */
export async function loadProtocol() {
  protocol = await import(pathToFileURL(path.join(ROOT, "packages/protocol/dist/index.js")).href);
}

export function newIdentity() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX_LEN);
  return { id: createHash("sha256").update(raw).digest("hex"), publicKey: raw.toString("base64url"), privateKey };
}

/** Connect params of an operator CLI, or with `node` of a node host declaring no commands. */
function connectParams({ token, scopes = ["operator.read"], identity, nonce, node = false }) {
  const params = {
    minProtocol: 4,
    maxProtocol: 4,
    client: node
      ? { id: "node-host", version: CLIENT_VERSION, platform: "linux", deviceFamily: "Linux", mode: "node", instanceId: randomUUID() }
      : { id: "cli", version: CLIENT_VERSION, platform: "linux", deviceFamily: "Linux", mode: "cli", instanceId: randomUUID() },
    caps: [],
    auth: { token },
    role: node ? "node" : "operator",
    scopes: node ? [] : scopes,
    ...(node ? { commands: [] } : {}),
  };
  if (identity) {
    const signedAt = Date.now();
    const payload = protocol.buildDeviceAuthPayload({
      version: "v3",
      deviceId: identity.id,
      clientId: params.client.id,
      clientMode: params.client.mode,
      role: params.role,
      scopes: params.scopes,
      signedAtMs: signedAt,
      token,
      nonce,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    });
    const signature = sign(null, Buffer.from(payload, "utf8"), identity.privateKey).toString("base64url");
    params.device = { id: identity.id, publicKey: identity.publicKey, signature, signedAt, nonce };
  }
  return params;
}

let nextId = 0;
class Client {
  constructor(ws) {
    this.ws = ws;
    this.pending = new Map();
    this.listeners = new Set();
    /** The size of the last answer, in bytes. */
    this.lastAnswerBytes = 0;
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "res") {
        this.lastAnswerBytes = data.length;
        const entry = this.pending.get(frame.id);
        if (entry) {
          this.pending.delete(frame.id);
          if (frame.ok) entry.resolve(frame.payload);
          else entry.reject(new Error(`${frame.error?.code}: ${frame.error?.message}`));
        }
      } else for (const listener of this.listeners) listener(frame);
    });
    ws.on("close", () => {
      for (const entry of this.pending.values()) entry.reject(new Error("closed"));
      this.pending.clear();
    });
  }
  call(method, params = {}) {
    const id = `r${++nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }
  close() {
    this.ws.terminate();
  }
}

/**
 * One handshake: from `new WebSocket` to the connect answer (TCP + upgrade + challenge +
 * connect + hello-ok). Against the baseline, connect is sent right after `open`, unless the target
 * is its /challenge path. `node` connects as a node host (with `identity`, a new device is paired
 * silently when it comes from loopback with the shared token); `localAddress` picks the source address.
 */
export function handshake(target, { identity, scopes, node, localAddress } = {}) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target.url, { perMessageDeflate: false, ...(localAddress ? { localAddress } : {}) });
    const id = `c${++nextId}`;
    let done = false;
    const fail = (error) => {
      if (done) return;
      done = true;
      ws.terminate();
      reject(error);
    };
    const sendConnect = (nonce) =>
      ws.send(JSON.stringify({ type: "req", id, method: "connect", params: connectParams({ token: target.token, scopes, identity, nonce, node }) }));
    ws.on("error", fail);
    ws.on("close", (code, reason) => fail(new Error(`closed ${code} ${reason}`)));
    if (target.baseline) ws.once("open", () => sendConnect(undefined));
    const onMessage = (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "event" && frame.event === "connect.challenge") sendConnect(frame.payload.nonce);
      else if (frame.type === "res" && frame.id === id) {
        ws.off("message", onMessage);
        if (!frame.ok) return fail(new Error(`connect refused: ${JSON.stringify(frame.error)}`));
        done = true;
        resolve({ ms: performance.now() - t0, client: new Client(ws) });
      }
    };
    ws.on("message", onMessage);
  });
}
