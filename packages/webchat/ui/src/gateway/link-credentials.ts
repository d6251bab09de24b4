/**
 * Query or fragment parameters that links have used to hand a page a gateway or a secret.
 * The UI never reads them: a crafted link must not be able to point the page at another
 * gateway or plant a token (CVE-2026-25253). They are only removed from the address bar.
 * The `#code=` of `openclaw dashboard` is not one of them: it is no credential itself, only
 * something the gateway that served the page trades for its own (see dashboard-code.ts).
 */
export const LINK_CREDENTIAL_PARAMS: readonly string[] = [
  "gatewayUrl",
  "gateway",
  "url",
  "wsUrl",
  "token",
  "password",
  "deviceToken",
  "bootstrapToken",
  "setupCode",
];

export interface ScrubbedLink {
  /** The address without those parameters (unchanged when none were present). */
  readonly href: string;
  /** The names that were removed, for a notice. */
  readonly removed: readonly string[];
}

/** Drop credential-like parameters from a URL's query and hash. Pure, so it is testable without a browser. */
export function scrubLinkCredentials(href: string): ScrubbedLink {
  const url = new URL(href);
  const removed = new Set<string>();
  const lowered = new Set(LINK_CREDENTIAL_PARAMS.map((name) => name.toLowerCase()));
  const strip = (params: URLSearchParams): boolean => {
    let changed = false;
    for (const name of [...params.keys()]) {
      if (!lowered.has(name.toLowerCase())) continue;
      params.delete(name);
      removed.add(name);
      changed = true;
    }
    return changed;
  };
  const query = new URLSearchParams(url.search);
  if (strip(query)) url.search = query.toString();
  const hash = url.hash.startsWith("#") ? url.hash.slice(1) : url.hash;
  if (hash.includes("=")) {
    const hashParams = new URLSearchParams(hash.startsWith("?") ? hash.slice(1) : hash);
    if (strip(hashParams)) url.hash = hashParams.toString();
  }
  return { href: removed.size > 0 ? url.toString() : href, removed: [...removed] };
}

/** The gateway this page talks to: always the WebSocket on the host that served it. */
export function sameOriginGatewayUrl(location: { readonly protocol: string; readonly host: string }): string {
  return `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/`;
}
