import type { AuthRequest } from "./outcome.js";
import type { AuthSettings } from "./shared-auth.js";
import { acceptsTailscaleIngress, tailscaleServeClient } from "./tailscale.js";

/**
 * Whether a browser page from `origin` may use this gateway: an origin listed in
 * `gateway.controlUi.allowedOrigins`, the tailnet origin of a page loaded through Tailscale Serve,
 * or the gateway's own loopback origin (the page was served by this host and port). The WebSocket
 * upgrade and the dashboard-code redeem both ask this.
 */
export function browserOriginAllowed(origin: string, auth: AuthSettings, allowedOrigins: readonly string[], request: AuthRequest): boolean {
  if (allowedOrigins.includes(origin)) return true;
  if (servedOrigin(auth, request) === origin) return true;
  try {
    const url = new URL(origin);
    // Same-origin: the page was served by this gateway's own host and port.
    return url.host === request.headers.host && ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
}

/** The tailnet origin a page loaded through Tailscale Serve has (`https://<machine>.<tailnet>.ts.net`). */
function servedOrigin(auth: AuthSettings, request: AuthRequest): string | undefined {
  if (!acceptsTailscaleIngress(auth) || tailscaleServeClient(request.remoteAddress, request.headers) === undefined) return undefined;
  const host = request.headers["x-forwarded-host"];
  const proto = request.headers["x-forwarded-proto"] ?? "http";
  if (typeof host !== "string" || typeof proto !== "string" || !/\.ts\.net(:\d+)?$/i.test(host)) return undefined;
  return `${proto}://${host}`.toLowerCase();
}
