// @openclaw/client/node: the Node entry. Files, node:crypto keys, `ws` sockets and certificate pinning.
import { connect, type ConnectOptions, type GatewayClient } from "./index.js";
import { wsSocketFactory } from "./node/tls-socket.js";

/** Options of {@link connectNode}: those of `connect`, with sockets from `ws`. */
export type NodeConnectOptions = Omit<ConnectOptions, "WebSocket" | "socketFactory">;

/**
 * `connect` for Node: sockets from `ws` (loaded on first use, so the file and key helpers
 * work without it), `client.platform` from `process.platform`, and `tlsFingerprint` pinning.
 */
export async function connectNode(options: NodeConnectOptions): Promise<GatewayClient> {
  const { WebSocket } = await import("ws");
  return connect({
    ...options,
    client: { platform: process.platform, ...options.client },
    socketFactory: wsSocketFactory(WebSocket),
  });
}

// Sockets and pinning
export { wsSocketFactory, normalizeFingerprint } from "./node/tls-socket.js";

// Device identity
export { createNodeIdentity, loadOrCreateIdentity, identityFromPrivateKeyPem, type NodeDeviceIdentity, type StoredIdentity } from "./node/identity.js";

// Device tokens
export { FileDeviceTokenStore } from "./node/token-store.js";
