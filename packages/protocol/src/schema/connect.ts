import { Type, type Static } from "@sinclair/typebox";
import { HANDSHAKE_BOOTSTRAP_TOKEN_MAX_LENGTH, HANDSHAKE_RUNTIME_TOKEN_MAX_LENGTH, HANDSHAKE_SHARED_SECRET_MAX_LENGTH } from "../version.js";
import { NonEmptyString, NonNegativeInt, StringEnum, StringRecord, closedObject, openObject } from "./primitives.js";

/** The closed set of `client.id` values the gateway accepts. */
export const GATEWAY_CLIENT_IDS = [
  "webchat-ui",
  "openclaw-control-ui",
  "openclaw-browser-copilot",
  "openclaw-tui",
  "webchat",
  "cli",
  "gateway-client",
  "openclaw-macos",
  "openclaw-linux",
  "openclaw-ios",
  "openclaw-watchos",
  "openclaw-android",
  "node-host",
  "openclaw-worker",
  "test",
  "fingerprint",
  "openclaw-probe",
] as const;
export type GatewayClientId = (typeof GATEWAY_CLIENT_IDS)[number];

/** The closed set of `client.mode` values. */
export const GATEWAY_CLIENT_MODES = ["webchat", "cli", "ui", "backend", "node", "worker", "probe", "test"] as const;
export type GatewayClientMode = (typeof GATEWAY_CLIENT_MODES)[number];

/** Capabilities an operator client may announce in `caps`. They never grant authority. */
export const GATEWAY_CLIENT_CAPS = [
  "agent-kind",
  "approvals",
  "chat-only-assistant-text",
  "device-pairing-wait",
  "exec-approvals",
  "inline-widgets",
  "model-catalog-snapshot",
  "model-selection-policy",
  "run-tool-bindings",
  "session-scoped-events",
  "skill-curator-live-inventory",
  "plugin-approvals",
  "task-suggestions",
  "terminal-offset-seq",
  "terminal-session-metadata",
  "terminal-upload-path-style",
  "tool-events",
  "ui-commands",
  "ultrafast",
  "usage-refreshing",
] as const;

/** First event on every socket: the nonce the client must sign. */
export const ConnectChallenge = openObject({
  nonce: NonEmptyString,
  ts: NonNegativeInt,
  capabilities: Type.Optional(Type.Array(NonEmptyString)),
});
export type ConnectChallenge = Static<typeof ConnectChallenge>;

/** Who is connecting. */
export const ClientInfo = closedObject({
  id: StringEnum(GATEWAY_CLIENT_IDS),
  displayName: Type.Optional(NonEmptyString),
  version: NonEmptyString,
  platform: NonEmptyString,
  deviceFamily: Type.Optional(NonEmptyString),
  modelIdentifier: Type.Optional(NonEmptyString),
  mode: StringEnum(GATEWAY_CLIENT_MODES),
  instanceId: Type.Optional(NonEmptyString),
  buildId: Type.Optional(Type.String()),
  timeZone: Type.Optional(Type.String()),
});
export type ClientInfo = Static<typeof ClientInfo>;

/** The signed proof of a device identity (Ed25519 over the v3 or v2 payload). */
export const DeviceProof = closedObject({
  id: NonEmptyString,
  publicKey: NonEmptyString,
  signature: NonEmptyString,
  signedAt: NonNegativeInt,
  nonce: NonEmptyString,
});
export type DeviceProof = Static<typeof DeviceProof>;

const PrintableToken = (maxLength: number) => Type.String({ maxLength, pattern: "^[\\x21-\\x7E]*$" });

/** Credentials a client may present. */
export const ConnectAuth = closedObject({
  token: Type.Optional(Type.String({ maxLength: HANDSHAKE_SHARED_SECRET_MAX_LENGTH })),
  password: Type.Optional(Type.String({ maxLength: HANDSHAKE_SHARED_SECRET_MAX_LENGTH })),
  deviceToken: Type.Optional(PrintableToken(HANDSHAKE_BOOTSTRAP_TOKEN_MAX_LENGTH)),
  bootstrapToken: Type.Optional(PrintableToken(HANDSHAKE_BOOTSTRAP_TOKEN_MAX_LENGTH)),
  approvalRuntimeToken: Type.Optional(PrintableToken(HANDSHAKE_RUNTIME_TOKEN_MAX_LENGTH)),
  agentRuntimeIdentityToken: Type.Optional(PrintableToken(HANDSHAKE_RUNTIME_TOKEN_MAX_LENGTH)),
});
export type ConnectAuth = Static<typeof ConnectAuth>;

/** Params of the first request on every socket. Closed: unknown keys are errors. */
export const ConnectParams = closedObject({
  minProtocol: Type.Integer({ minimum: 1 }),
  maxProtocol: Type.Integer({ minimum: 1 }),
  client: ClientInfo,
  caps: Type.Optional(Type.Array(NonEmptyString)),
  commands: Type.Optional(Type.Array(NonEmptyString)),
  permissions: Type.Optional(StringRecord(Type.Boolean())),
  pathEnv: Type.Optional(Type.String()),
  role: Type.Optional(NonEmptyString),
  scopes: Type.Optional(Type.Array(NonEmptyString)),
  device: Type.Optional(DeviceProof),
  auth: Type.Optional(ConnectAuth),
  locale: Type.Optional(Type.String()),
  userAgent: Type.Optional(Type.String()),
});
export type ConnectParams = Static<typeof ConnectParams>;
