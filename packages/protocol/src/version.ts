/** The wire protocol version this package describes. */
export const PROTOCOL_VERSION = 4;
/** Oldest protocol an operator client may announce. */
export const MIN_CLIENT_PROTOCOL_VERSION = 4;
/** Oldest protocol a node (`role: "node"`, `client.mode: "node"`) may announce. */
export const MIN_NODE_PROTOCOL_VERSION = 3;
/** Oldest protocol a restart probe (`client.mode: "probe"`) may announce. */
export const MIN_PROBE_PROTOCOL_VERSION = 3;

/** Largest frame accepted before the handshake completes (64 KiB). */
export const MAX_PREAUTH_PAYLOAD_BYTES = 65_536;
/** Largest inbound frame after the handshake (25 MiB); advertised as `policy.maxPayload`. */
export const MAX_PAYLOAD_BYTES = 26_214_400;
/** Per-connection outbound buffer ceiling (50 MiB); advertised as `policy.maxBufferedBytes`. */
export const MAX_BUFFERED_BYTES = 52_428_800;
/** Interval of the `tick` event; advertised as `policy.tickIntervalMs`. */
export const TICK_INTERVAL_MS = 30_000;
/** How long a socket may take to complete `connect` after it opens. */
export const HANDSHAKE_TIMEOUT_MS = 15_000;
/** Allowed clock skew of `device.signedAt` against the gateway's clock. */
export const DEVICE_SIGNATURE_SKEW_MS = 120_000;
/** Lifetime and size of the idempotency cache for side-effecting methods. */
export const DEDUPE_TTL_MS = 300_000;
export const DEDUPE_MAX = 1000;
/** Default wait of `node.invoke` for the node's answer. */
export const NODE_INVOKE_TIMEOUT_MS = 30_000;
/** Default wait of `agent.wait`. */
export const AGENT_WAIT_TIMEOUT_MS = 30_000;
/** Lifetime of a pending pairing request after the device's last retry. */
export const PAIRING_PENDING_TTL_MS = 300_000;
/** Longest shared secret accepted in `connect.auth.token` / `password` (code points). */
export const HANDSHAKE_SHARED_SECRET_MAX_LENGTH = 4096;
/** Longest device or bootstrap token accepted in `connect.auth`. */
export const HANDSHAKE_BOOTSTRAP_TOKEN_MAX_LENGTH = 256;
/** Longest runtime token accepted in `connect.auth`. */
export const HANDSHAKE_RUNTIME_TOKEN_MAX_LENGTH = 2048;

/** The policy every `hello-ok` advertises unless configured otherwise. */
export const DEFAULT_POLICY = {
  maxPayload: MAX_PAYLOAD_BYTES,
  maxBufferedBytes: MAX_BUFFERED_BYTES,
  tickIntervalMs: TICK_INTERVAL_MS,
} as const;
