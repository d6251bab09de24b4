// @openclaw/client: the typed SDK for OpenClaw protocol v4 gateways. Runtime-agnostic: no node:* imports.
import { GatewayClient } from "./client.js";
import type { ConnectOptions } from "./options.js";

/**
 * Connect to a gateway: answer its challenge (signing with `identity` when given), and
 * resolve once it says `hello-ok` (`client.hello`). A first attempt that fails rejects at
 * once (unless the gateway asks to retry shortly); after that the client reconnects by itself.
 */
export async function connect(options: ConnectOptions): Promise<GatewayClient> {
  const client = new GatewayClient(options);
  try {
    await client.opened();
  } catch (error) {
    await client.close();
    throw error;
  }
  return client;
}

// Client
export { GatewayClient } from "./client.js";
export { CLIENT_VERSION, type ConnectOptions } from "./options.js";
export type { ClientStatus, ClientEventMap, ClientEventName, EventMessage, EventHandler, CallParams, CallOptions, CallArgs, RunOptions } from "./types.js";
export type { SeqGap } from "./connection.js";

// Runs
export type { AgentRun, ChatRun } from "./runs.js";

// Errors
export {
  GatewayClientError,
  GatewayRequestError,
  GatewayClosedError,
  GatewayTimeoutError,
  GatewayProtocolError,
  GatewayTlsError,
  GatewayConfigError,
} from "./errors.js";

// Reconnect
export { backoffDelay, reconnectDelay, isTerminalFailure, DEFAULT_RECONNECT_POLICY, UNAVAILABLE_RETRY_CLAMP, type ReconnectPolicy } from "./reconnect.js";

// Device identity and tokens
export { InMemoryDeviceTokenStore, type DeviceIdentity, type DeviceTokenStore, type DeviceTokenKey, type DeviceTokenRecord } from "./identity.js";
export { selectConnectAuth, type ExplicitCredentials, type SelectedAuth } from "./handshake.js";
// Re-exported so a browser can build an identity from WebCrypto keys without importing the protocol package.
export { deriveDeviceId, base64UrlEncode } from "@openclaw/protocol";

// Sockets
export type { WebSocketLike, WebSocketConstructor, SocketEvent, SocketFactory, SocketContext } from "./socket.js";
