import { isIP } from "node:net";
import { connect as tlsConnect, type ConnectionOptions } from "node:tls";
import type { ClientOptions, WebSocket as WsWebSocket } from "ws";
import { GatewayConfigError, GatewayTlsError } from "../errors.js";
import type { SocketFactory, WebSocketLike } from "../socket.js";

/**
 * A SHA-256 fingerprint in Node's `fingerprint256` form (`AB:CD:…`, uppercase).
 * Accepts hex with or without colons, any case.
 */
export function normalizeFingerprint(fingerprint: string): string {
  const hex = fingerprint.trim().replace(/:/g, "").toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) {
    throw new GatewayConfigError(`tlsFingerprint: expected a SHA-256 fingerprint (64 hex digits, colons optional), got ${JSON.stringify(fingerprint)}`);
  }
  return hex.match(/../g)!.join(":");
}

/**
 * Sockets from `ws`. With a fingerprint, CA validation is replaced by the pin: the peer
 * certificate is checked as soon as TLS completes, and a mismatch destroys the socket with
 * a `GatewayTlsError` before any WebSocket frame (and so any credential) is sent.
 */
export function wsSocketFactory(WebSocketClass: typeof WsWebSocket): SocketFactory {
  return (url, { tlsFingerprint }) => {
    const options: ClientOptions = { perMessageDeflate: false };
    if (tlsFingerprint !== undefined) {
      const expected = normalizeFingerprint(tlsFingerprint);
      if (!url.startsWith("wss:")) throw new GatewayConfigError(`tlsFingerprint needs a wss:// url, got ${url}`);
      options.rejectUnauthorized = false;
      options.createConnection = ((connectOptions: ConnectionOptions) => {
        const host = connectOptions.host ?? "";
        // SNI must not carry an IP address (the same rule ws applies).
        const socket = tlsConnect({ ...connectOptions, rejectUnauthorized: false, servername: connectOptions.servername ?? (isIP(host) ? "" : host) });
        socket.once("secureConnect", () => {
          const actual = socket.getPeerCertificate().fingerprint256 ?? "";
          if (actual.toUpperCase() !== expected) socket.destroy(new GatewayTlsError(expected, actual));
        });
        return socket;
      }) as unknown as ClientOptions["createConnection"];
    }
    return new WebSocketClass(url, options) as unknown as WebSocketLike;
  };
}
