// What most checks start with: a socket, its challenge, connect params like a real client's,
// optionally a signed device proof, and a completed handshake.
import { randomUUID } from "node:crypto";
import { createNodeIdentity, type NodeDeviceIdentity } from "@openclaw/client/node";
import { base64UrlEncode, buildDeviceAuthPayload, signedCredential, utf8Encode, type DeviceAuthPayloadVersion } from "@openclaw/protocol";
import type { CheckContext } from "./check.js";
import { WireConnection, type CloseInfo, type WireFrame } from "./wire.js";

/** The client version the kit announces (the release whose answers the fixture holds). */
export const KIT_CLIENT_VERSION = "2026.9.6";

/** Compact JSON for details. */
export const show = (value: unknown): string => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} chars)` : text;
};

export const closedText = (close: CloseInfo): string => `closed ${close.code} ${show(close.reason)}`;

/** Why no answer came: the socket closed, or the wait ran out. */
export const noAnswer = (connection: WireConnection, timeoutMs: number): string =>
  connection.closed ? `no answer; ${closedText(connection.closed)}` : `no answer within ${timeoutMs} ms`;

export interface ConnectParamsOptions {
  readonly scopes?: readonly string[];
  readonly client?: Record<string, unknown>;
  /** Leave `auth` out entirely. */
  readonly noAuth?: boolean;
  readonly extra?: Record<string, unknown>;
}

/** `connect` params like the real CLI's: client `cli`/`cli`, operator, `operator.read` unless told. */
export function connectParams(context: CheckContext, options: ConnectParamsOptions = {}): Record<string, any> {
  return {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "cli", version: KIT_CLIENT_VERSION, platform: "linux", deviceFamily: "Linux", mode: "cli", instanceId: randomUUID(), ...options.client },
    caps: [],
    ...(options.noAuth ? {} : { auth: { ...context.credential } }),
    role: "operator",
    scopes: [...(options.scopes ?? ["operator.read"])],
    ...options.extra,
  };
}

export const connectFrame = (params: unknown) => ({ type: "req", id: `connect-${randomUUID()}`, method: "connect", params });

export interface DeviceProofOptions {
  readonly nonce: string;
  /** @default "v3" */
  readonly version?: DeviceAuthPayloadVersion;
  /** Claim (and sign over) another device id. @default the identity's */
  readonly deviceId?: string;
  /** @default Date.now() */
  readonly signedAt?: number;
  /** Flip one byte of an otherwise valid signature. @default false */
  readonly corrupt?: boolean;
}

/** A fresh throwaway device identity; nothing of it is kept. */
export const newIdentity = (): NodeDeviceIdentity => createNodeIdentity();

/** The `device` block proving `identity` for `params`, signed as the protocol says (§3.3). */
export async function signDevice(identity: NodeDeviceIdentity, params: Record<string, any>, options: DeviceProofOptions): Promise<Record<string, unknown>> {
  const deviceId = options.deviceId ?? identity.id;
  const signedAt = options.signedAt ?? Date.now();
  const payload = buildDeviceAuthPayload({
    version: options.version ?? "v3",
    deviceId,
    clientId: params.client.id,
    clientMode: params.client.mode,
    role: params.role ?? "operator",
    scopes: params.scopes ?? [],
    signedAtMs: signedAt,
    token: signedCredential(params.auth),
    nonce: options.nonce,
    platform: params.client.platform,
    deviceFamily: params.client.deviceFamily,
  });
  const signature = await identity.sign(utf8Encode(payload));
  if (options.corrupt) signature[0] = signature[0]! ^ 0xff;
  return { id: deviceId, publicKey: identity.publicKey, signature: base64UrlEncode(signature), signedAt, nonce: options.nonce };
}

/** A raw socket to the gateway under test, pinned when the context has a fingerprint. */
export const openSocket = (context: CheckContext): Promise<WireConnection> =>
  WireConnection.open(context.url, context.answerTimeoutMs, { tlsFingerprint: context.tlsFingerprint });

/** A socket and the nonce of its `connect.challenge`; throws when the challenge never comes. */
export async function openWithChallenge(context: CheckContext): Promise<{ connection: WireConnection; nonce: string }> {
  const connection = await openSocket(context);
  const challenge = await connection.next((frame) => frame.type === "event" && frame.event === "connect.challenge", context.answerTimeoutMs);
  const nonce: unknown = challenge?.payload?.nonce;
  if (typeof nonce !== "string" || nonce === "") {
    await connection.end();
    throw new Error(`no connect.challenge with a nonce (${challenge ? `got ${show(challenge)}` : noAnswer(connection, context.answerTimeoutMs)})`);
  }
  return { connection, nonce };
}

/** A connection that completed the handshake with these scopes, and its hello-ok payload. */
export async function connectOperator(context: CheckContext, scopes: readonly string[]): Promise<{ connection: WireConnection; hello: any }> {
  const { connection } = await openWithChallenge(context);
  const frame = connectFrame(connectParams(context, { scopes }));
  connection.send(frame);
  const res = await connection.response(frame.id, context.answerTimeoutMs);
  if (res?.ok !== true) {
    await connection.end();
    throw new Error(`handshake with scopes ${scopes.join(",")} failed: ${res ? show(res.error) : noAnswer(connection, context.answerTimeoutMs)}`);
  }
  return { connection, hello: res.payload };
}

/** Send a request and wait for its answer. */
export async function call(connection: WireConnection, context: CheckContext, method: string, params: unknown): Promise<WireFrame | undefined> {
  const id = `req-${randomUUID()}`;
  connection.send({ type: "req", id, method, params });
  return connection.response(id, context.answerTimeoutMs);
}
