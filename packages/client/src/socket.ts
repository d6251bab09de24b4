import { GatewayConfigError } from "./errors.js";

/** The slice of the WHATWG `WebSocket` the client uses; browsers' and `ws`'s both fit. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: "open" | "message" | "close" | "error", listener: (event: SocketEvent) => void): void;
}

/** What the client reads off socket events; the fields past `type` depend on the event. */
export interface SocketEvent {
  readonly type: string;
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  /** `ws` puts the underlying error here; browsers do not. */
  readonly error?: unknown;
  readonly message?: string;
}

/** A `WebSocket` class: the global one in browsers, `ws`'s on Node. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** What a socket factory is told besides the URL. */
export interface SocketContext {
  /** SHA-256 certificate fingerprint to pin (Node entry only). */
  readonly tlsFingerprint: string | undefined;
}

/**
 * Opens one socket. The runtime-agnostic entry builds one from a `WebSocket` class;
 * the Node entry supplies one that can pin certificates.
 */
export type SocketFactory = (url: string, context: SocketContext) => WebSocketLike;

/** The socket factory for a `WebSocket` class (or the global one). */
export function socketFactoryFor(WebSocketClass: WebSocketConstructor | undefined): SocketFactory {
  const resolved = WebSocketClass ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
  if (resolved === undefined) {
    throw new GatewayConfigError(
      "no WebSocket implementation: pass `WebSocket` from the `ws` package in the options, or use connectNode from @openclaw/client/node",
    );
  }
  return (url, context) => {
    // Pinning needs access to the TLS socket, which only the Node entry has; never connect unpinned.
    if (context.tlsFingerprint !== undefined) {
      throw new GatewayConfigError("tlsFingerprint needs the Node entry: use connectNode from @openclaw/client/node");
    }
    return new resolved(url);
  };
}

export const SOCKET_OPEN = 1;

/** Close without throwing: browsers only allow 1000 and 3000–4999 from scripts. */
export function closeQuietly(socket: WebSocketLike, code: number, reason: string): void {
  try {
    socket.close(code, reason);
  } catch {
    try {
      socket.close();
    } catch {
      // Already closed or never opened: nothing left to do.
    }
  }
}
