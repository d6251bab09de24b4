import { DASHBOARD_REDEEM_PATH, type DashboardRedeemError, type DashboardRedeemResult } from "@openclaw/protocol";
import type { GatewayCredential } from "./storage.js";

/** The fragment parameter `openclaw dashboard` puts its one-time code in (`/#code=…`). */
export const DASHBOARD_CODE_PARAM = "code";

export interface TakenCode {
  /** The code, when the fragment held one. */
  readonly code: string | undefined;
  /** The address without it (unchanged when there was none). */
  readonly href: string;
}

/**
 * Take the one-time code out of an address's fragment. Only the fragment is read: browsers never
 * send it to a server, so it stays out of requests and logs. Pure, so testable without a browser.
 */
export function takeDashboardCode(href: string): TakenCode {
  const url = new URL(href);
  const hash = url.hash.startsWith("#") ? url.hash.slice(1) : url.hash;
  if (!hash.includes("=")) return { code: undefined, href };
  const params = new URLSearchParams(hash);
  if (!params.has(DASHBOARD_CODE_PARAM)) return { code: undefined, href };
  const code = params.get(DASHBOARD_CODE_PARAM)?.trim();
  params.delete(DASHBOARD_CODE_PARAM);
  url.hash = params.toString();
  return { code: code ? code : undefined, href: url.toString() };
}

export type Redemption = { readonly ok: true; readonly credential: GatewayCredential } | { readonly ok: false; readonly message: string };

/**
 * Trade a one-time code for the gateway's shared secret, at this page's own origin (the gateway
 * that served it, and the only one that could have issued the code). Refusals come back as the
 * gateway's own words.
 */
export async function redeemDashboardCode(code: string, fetchImpl: typeof fetch = fetch): Promise<Redemption> {
  let response: Response;
  try {
    response = await fetchImpl(DASHBOARD_REDEEM_PATH, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ code }),
      cache: "no-store",
      credentials: "omit",
      redirect: "error",
    });
  } catch (error) {
    return { ok: false, message: `Could not reach the gateway to use the one-time code (${(error as Error).message}).` };
  }
  const parsed: unknown = await response.json().catch(() => undefined);
  // A proxy in between may answer anything; only an object can be the gateway's answer.
  const body = typeof parsed === "object" && parsed !== null ? (parsed as Partial<DashboardRedeemResult & DashboardRedeemError>) : undefined;
  if (response.ok && body?.auth && body.secret) return { ok: true, credential: { kind: body.auth, secret: body.secret } };
  if (typeof body?.error?.message === "string") return { ok: false, message: body.error.message };
  return { ok: false, message: `The gateway did not take the one-time code (HTTP ${response.status}).` };
}
