import type { IncomingMessage, ServerResponse } from "node:http";
import { isIP } from "node:net";
import { hostname } from "node:os";
import { addressMatcher, normalizeAddress } from "../transport/locality.js";
import type { HttpRoute } from "./routes.js";

export interface HostCheckOptions {
  /** Names besides the built-in ones that may appear in `Host` (the bind host, allowed origins' hosts). */
  readonly allowedHosts?: readonly string[];
  /** Proxies that check `Host` themselves; their requests pass. */
  readonly trustedProxies?: readonly string[];
  /** @default os.hostname() */
  readonly machineName?: string;
}

/** The host name of a `Host` header, lowercased, without port or IPv6 brackets. */
export function hostNameOf(header: string | undefined): string | undefined {
  if (header === undefined || header.length === 0) return undefined;
  const text = header.trim().toLowerCase();
  if (text.startsWith("[")) {
    const end = text.indexOf("]");
    return end === -1 ? undefined : text.slice(1, end);
  }
  const colon = text.lastIndexOf(":");
  return colon === -1 ? text : text.slice(0, colon);
}

/**
 * Which `Host` names this gateway answers to. A DNS-rebinding page reaches the gateway under the
 * attacker's own name, so only names that cannot be rebound pass: IP literals, `localhost`, this
 * machine's name (and `<name>.local`), tailnet names (`*.ts.net`), and configured extras.
 */
export function createHostCheck(options: HostCheckOptions = {}): (request: IncomingMessage) => boolean {
  const machine = (options.machineName ?? hostname()).toLowerCase();
  const names = new Set([machine, `${machine}.local`, "localhost", ...(options.allowedHosts ?? []).map((name) => name.toLowerCase())]);
  const proxies = (options.trustedProxies ?? []).map((entry) => addressMatcher(entry));
  return (request) => {
    const name = hostNameOf(request.headers.host);
    if (name === undefined) return false;
    if (isIP(name) !== 0 || names.has(name) || name.endsWith(".localhost") || name.endsWith(".ts.net")) return true;
    const remote = normalizeAddress(request.socket.remoteAddress);
    return proxies.some((matches) => matches(remote));
  };
}

function misdirected(response: ServerResponse): void {
  const text = "Misdirected request: this gateway does not answer to that Host name (if the name is yours, add its origin to gateway.controlUi.allowedOrigins)";
  response.writeHead(421, { "content-type": "text/plain; charset=utf-8", "content-length": Buffer.byteLength(text), "cache-control": "no-store" });
  response.end(text);
}

/** A route that answers 421 to a request with a foreign `Host`, and lets every other request on. */
export function hostGuardRoute(allowed: (request: IncomingMessage) => boolean): HttpRoute {
  return (request, response) => {
    if (allowed(request)) return false;
    misdirected(response);
    return true;
  };
}
