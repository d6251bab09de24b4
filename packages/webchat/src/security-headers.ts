import type { IncomingMessage } from "node:http";

/** A `Host` header we are willing to echo into the policy: a name or IP literal and an optional port. */
const SAFE_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * The page's Content-Security-Policy: scripts, styles and fonts only from this origin (no
 * inline script, no eval), sockets only back to the host that served the page, never framed.
 * `'self'` already covers same-host ws:/wss: in current browsers; the explicit entries keep
 * older ones working and still name only this host.
 */
export function contentSecurityPolicy(request: IncomingMessage): string {
  const host = request.headers.host;
  const sockets = host !== undefined && SAFE_HOST.test(host) ? ` ws://${host} wss://${host}` : "";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "worker-src 'none'",
    "manifest-src 'self'",
  ].join("; ");
}

/** Headers every Web UI response carries. */
export function securityHeaders(request: IncomingMessage): Record<string, string> {
  return {
    "content-security-policy": contentSecurityPolicy(request),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
}
