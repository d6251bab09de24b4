import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { MAX_PREAUTH_PAYLOAD_BYTES } from "@openclaw/protocol";
import { tailscaleServeClient } from "../auth/tailscale.js";
import { Connection } from "./connection.js";
import { GatewaySocket } from "./gateway-socket.js";
import { refuseUpgrade } from "./listeners.js";
import { isTrustedProxy } from "../auth/trusted-proxy.js";
import { hasForwardingHeaders, isLoopbackAddress, normalizeAddress, type LocalityPredicate } from "./locality.js";
import { PendingHandshakes, type PendingHandshakeLimits } from "./pending-handshakes.js";

export interface WsTransportOptions {
  readonly isLocal: LocalityPredicate;
  readonly trustedProxies: readonly string[];
  /**
   * Loopback requests shaped like Tailscale Serve's are let through to authenticate (Serve is on,
   * or its identity headers are accepted) instead of being refused as an unknown proxy.
   */
  readonly acceptsTailscaleServe: boolean;
  readonly pendingHandshakes: PendingHandshakeLimits;
  readonly handshakeTimeoutMs: number;
  /** Whether new sockets are taken (false before start and while stopping: 1013). */
  readonly accepting: () => boolean;
  /** Host names that cannot be rebound, for the non-root upgrade paths. */
  readonly hostAllowed: (request: IncomingMessage) => boolean;
  /** Upgrades on other paths (the canvas reload socket); returns true when it took the socket. */
  readonly otherUpgrade: (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
  readonly opened: (connection: Connection) => void;
  readonly frame: (connection: Connection, text: string) => void;
  readonly closed: (connection: Connection) => void;
}

/**
 * WebSocket side of the gateway: the upgrade path (path, proxy attribution, pending-handshake
 * caps), one `Connection` per socket, the handshake timeout, and text frames handed up.
 */
export class WsTransport {
  /** Every socket from upgrade until it closes, handshaken or not. */
  readonly connections = new Set<Connection>();
  private readonly wss: WebSocketServer;
  private readonly pending: PendingHandshakes;
  private readonly handshakeTimers = new Map<Connection, NodeJS.Timeout>();
  private drained: (() => void) | undefined;

  constructor(private readonly options: WsTransportOptions) {
    // Every socket starts with the pre-auth frame limit; hello-ok raises it per connection.
    this.wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_PREAUTH_PAYLOAD_BYTES, WebSocket: GatewaySocket });
    this.pending = new PendingHandshakes(options.pendingHandshakes);
  }

  /** The HTTP server's `upgrade` handler. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if ((request.url ?? "/").split("?")[0] !== "/") {
      if (!this.options.hostAllowed(request)) return refuseUpgrade(socket, "421 Misdirected Request");
      if (this.options.otherUpgrade(request, socket, head)) return;
      return refuseUpgrade(socket, "404 Not Found");
    }
    if (this.unattributedProxy(request)) return refuseUpgrade(socket, "403 Forbidden");
    // Unauthenticated sockets are capped per address and overall before ws reads any frame.
    const address = normalizeAddress(request.socket.remoteAddress);
    const release = this.pending.acquire(address);
    if (release === undefined) return refuseUpgrade(socket, "503 Service Unavailable", "retry-after: 1\r\n");
    socket.once("close", release);
    // The 101 and the challenge leave in one write: the socket stays corked until accept() has
    // queued the challenge (flushed with the turn's other corked frames). A refused upgrade's HTTP
    // error goes out at once: ws answers it with end(), which uncorks.
    socket.cork();
    try {
      this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request, release));
    } finally {
      socket.uncork();
    }
  }

  /** The handshake is done: the socket leaves the pre-auth caps and its timeout. */
  handshaken(connection: Connection, maxPayload: number): void {
    clearTimeout(this.handshakeTimers.get(connection));
    this.handshakeTimers.delete(connection);
    connection.phase = "open";
    connection.raiseFrameLimit(maxPayload);
    connection.releaseHandshakeSlot?.();
    connection.releaseHandshakeSlot = undefined;
  }

  /** Close every socket with `code`, wait up to `graceMs` for the close handshakes, then cut the rest. */
  async closeAll(code: number, reason: string, graceMs: number): Promise<void> {
    for (const timer of this.handshakeTimers.values()) clearTimeout(timer);
    this.handshakeTimers.clear();
    for (const connection of this.connections) connection.close(code, reason);
    let graceTimer: NodeJS.Timeout | undefined;
    const allClosed = this.connections.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.drained = resolve));
    await Promise.race([allClosed, new Promise<void>((resolve) => (graceTimer = setTimeout(resolve, graceMs)))]);
    clearTimeout(graceTimer);
    for (const connection of this.connections) connection.terminate();
    this.wss.close();
  }

  /**
   * Forwarding headers on a loopback socket mean a local proxy relays someone else; unless that
   * proxy is trusted (or is Tailscale Serve, whose client tailscaled names), nobody can say who
   * the client is (`proxy_attribution_required`).
   */
  private unattributedProxy(request: IncomingMessage): boolean {
    const remote = normalizeAddress(request.socket.remoteAddress);
    if (!isLoopbackAddress(remote) || !hasForwardingHeaders(request.headers)) return false;
    if (this.options.acceptsTailscaleServe && tailscaleServeClient(remote, request.headers) !== undefined) return false;
    return !isTrustedProxy(this.options.trustedProxies, remote);
  }

  private accept(socket: WebSocket, request: IncomingMessage, releaseSlot: () => void): void {
    if (!this.options.accepting()) {
      socket.close(1013, "gateway starting");
      return;
    }
    const remoteAddress = normalizeAddress(request.socket.remoteAddress);
    const connection = new Connection(socket, remoteAddress, request.headers, this.options.isLocal(remoteAddress, request.headers));
    // From here the connection gives its slot back (handshake done or socket closed), not a
    // listener on the raw socket that would stay, with its once-wrapper, as long as the socket.
    request.socket.off("close", releaseSlot);
    connection.releaseHandshakeSlot = releaseSlot;
    this.connections.add(connection);
    this.handshakeTimers.set(
      connection,
      setTimeout(() => {
        this.handshakeTimers.delete(connection);
        if (connection.phase === "handshake") connection.close(1000);
      }, this.options.handshakeTimeoutMs),
    );
    socket.on("message", (data) => this.options.frame(connection, frameText(data)));
    socket.on("close", () => this.onClose(connection));
    socket.on("error", () => connection.terminate());
    this.options.opened(connection);
  }

  private onClose(connection: Connection): void {
    connection.releaseHandshakeSlot?.();
    connection.markClosed();
    this.connections.delete(connection);
    clearTimeout(this.handshakeTimers.get(connection));
    this.handshakeTimers.delete(connection);
    this.options.closed(connection);
    if (this.connections.size === 0) this.drained?.();
  }
}

function frameText(data: RawData): string {
  return Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
}
