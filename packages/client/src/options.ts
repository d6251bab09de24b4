import type { ClientInfo } from "@openclaw/protocol";
import type { DeviceIdentity, DeviceTokenStore } from "./identity.js";
import { DEFAULT_RECONNECT_POLICY, type ReconnectPolicy } from "./reconnect.js";
import { socketFactoryFor, type SocketFactory, type WebSocketConstructor } from "./socket.js";

/** This package's version, announced as `client.version` unless overridden. */
export const CLIENT_VERSION = "0.0.0";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Gateway URL, e.g. `ws://127.0.0.1:18789` or `wss://gateway.example:18789`. */
  readonly url: string;
  /** The gateway's shared token (`gateway.auth.token`). */
  readonly token?: string;
  /** The gateway's password (`gateway.auth.password`). Sent whenever set; never signed. */
  readonly password?: string;
  /** A device token issued earlier; wins over the stored one. */
  readonly deviceToken?: string;
  /** Sign `connect` with this device, so the gateway can pair it and issue a device token. */
  readonly identity?: DeviceIdentity;
  /** Keeps issued device tokens per (gateway, device, role). Only used with `identity`. */
  readonly identityStore?: DeviceTokenStore;
  /**
   * Who is connecting. The id must be one of `GATEWAY_CLIENT_IDS`.
   * @default { id: "gateway-client", mode: "backend", platform: navigator.platform or "unknown", version: CLIENT_VERSION }
   */
  readonly client?: Partial<ClientInfo>;
  /** @default "operator" */
  readonly role?: string;
  /** Scopes to ask for, signed in this order. @default ["operator.read", "operator.write"] for operators, [] otherwise */
  readonly scopes?: readonly string[];
  /** Client capability strings (`GATEWAY_CLIENT_CAPS`), e.g. `tool-events`. @default none */
  readonly caps?: readonly string[];
  /** Node role only: commands this node serves. @default none */
  readonly commands?: readonly string[];
  /** Node role only: permissions this node holds. @default none */
  readonly permissions?: Readonly<Record<string, boolean>>;
  /** The `WebSocket` class. On Node, pass `WebSocket` from `ws` (or use connectNode). @default globalThis.WebSocket */
  readonly WebSocket?: WebSocketConstructor;
  /** Opens sockets; takes precedence over `WebSocket`. The Node entry sets it. @default built from `WebSocket` */
  readonly socketFactory?: SocketFactory;
  /** SHA-256 certificate fingerprint (hex, colons optional) to pin. Node entry only. @default no pinning */
  readonly tlsFingerprint?: string;
  /** Reconnect after unexpected closes, or `false` to stay closed. @default { initialMs: 1000, maxMs: 30000, factor: 2, jitter: 0.2, maxAttempts: Infinity } */
  readonly reconnect?: Partial<ReconnectPolicy> | false;
  /** Time allowed for each call's answer. @default 30000 */
  readonly requestTimeoutMs?: number;
  /** Time allowed from opening a socket to `hello-ok`. @default 15000 */
  readonly handshakeTimeoutMs?: number;
  /** Aborting it closes the client. */
  readonly signal?: AbortSignal;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  readonly url: string;
  readonly credentials: { readonly token?: string; readonly password?: string; readonly deviceToken?: string };
  readonly identity: DeviceIdentity | undefined;
  readonly identityStore: DeviceTokenStore | undefined;
  readonly client: ClientInfo;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly caps: readonly string[] | undefined;
  readonly commands: readonly string[] | undefined;
  readonly permissions: Readonly<Record<string, boolean>> | undefined;
  readonly socketFactory: SocketFactory;
  readonly tlsFingerprint: string | undefined;
  readonly reconnect: ReconnectPolicy | false;
  readonly requestTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

function defaultPlatform(): string {
  const platform = (globalThis as { navigator?: { platform?: unknown } }).navigator?.platform;
  return typeof platform === "string" && platform.trim() !== "" ? platform : "unknown";
}

export function resolveOptions(options: ConnectOptions): ResolvedOptions {
  const role = options.role ?? "operator";
  const client: ClientInfo = {
    id: "gateway-client",
    mode: "backend",
    platform: defaultPlatform(),
    version: CLIENT_VERSION,
    // An explicit `undefined` means "not set", not "send undefined".
    ...Object.fromEntries(Object.entries(options.client ?? {}).filter(([, value]) => value !== undefined)),
  } as ClientInfo;
  return {
    url: options.url,
    credentials: {
      ...(options.token !== undefined ? { token: options.token } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.deviceToken !== undefined ? { deviceToken: options.deviceToken } : {}),
    },
    identity: options.identity,
    identityStore: options.identityStore,
    client,
    role,
    scopes: options.scopes ?? (role === "operator" ? ["operator.read", "operator.write"] : []),
    caps: options.caps,
    commands: options.commands,
    permissions: options.permissions,
    socketFactory: options.socketFactory ?? socketFactoryFor(options.WebSocket),
    tlsFingerprint: options.tlsFingerprint,
    reconnect: options.reconnect === false ? false : { ...DEFAULT_RECONNECT_POLICY, ...options.reconnect },
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    handshakeTimeoutMs: options.handshakeTimeoutMs ?? 15_000,
    signal: options.signal,
  };
}
