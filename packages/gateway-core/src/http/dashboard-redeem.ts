import type { IncomingMessage, ServerResponse } from "node:http";
import { Ajv, type ValidateFunction } from "ajv";
import { DASHBOARD_REDEEM_PATH, DashboardRedeemRequest, type DashboardRedeemError, type DashboardRedeemResult } from "@openclaw/protocol";
import { browserOriginAllowed } from "../auth/browser-origin.js";
import { dashboardSecret, type DashboardCodes, type DashboardRedemption } from "../auth/dashboard-codes.js";
import type { AttemptSource, FailedAuthLimiter } from "../auth/rate-limit.js";
import { attributedClientAddress, type AuthSettings } from "../auth/shared-auth.js";
import { normalizeAddress, type LocalityPredicate } from "../transport/locality.js";
import type { HttpRoute } from "./routes.js";

/** A redeem body is `{"code":"…"}`; anything much larger is not one. */
const MAX_BODY_BYTES = 1024;

export interface DashboardRedeemOptions {
  readonly codes: DashboardCodes;
  readonly auth: AuthSettings;
  readonly allowedOrigins: readonly string[];
  readonly limiter: FailedAuthLimiter;
  readonly isLocal: LocalityPredicate;
  /** Waits out a failed-auth delay; rejects when `signal` aborts (the request went away). */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

type Refusal = DashboardRedeemError["error"];

const AGAIN = "run `openclaw dashboard` on the gateway host for a new one";
const REFUSALS: Record<Exclude<DashboardRedemption, "redeemed">, Refusal> = {
  unknown: { reason: "unknown-code", message: `That one-time code is not valid for this gateway; check it, or ${AGAIN}.` },
  used: { reason: "used-code", message: `That one-time code was already used; ${AGAIN}.` },
  expired: { reason: "expired-code", message: `That one-time code has expired (codes last 2 minutes); ${AGAIN}.` },
};

function send(response: ServerResponse, status: number, body: DashboardRedeemResult | DashboardRedeemError, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": String(Buffer.byteLength(text)),
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(text);
}

function refuse(response: ServerResponse, status: number, error: Refusal, headers?: Record<string, string>): true {
  send(response, status, { error }, headers);
  return true;
}

/** The body as text, or undefined when it is larger than `limit` (the rest is not read). */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners("data");
        request.resume();
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    request.once("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.once("error", reject);
  });
}

/**
 * `POST /__openclaw__/dashboard/redeem {code}`: the Control UI trading a one-time code from
 * `openclaw dashboard` for the gateway's shared secret, which it then connects with as if it had
 * been pasted. Only a page this gateway would let open its WebSocket may ask (the same `Origin`
 * check as the upgrade; a request without `Origin` is not from such a page), only with a JSON body
 * (so a cross-site form cannot send one without a preflight), and every refused code counts against
 * the failed-auth limit of its source under its own credential class.
 */
export function dashboardRedeemRoute(options: DashboardRedeemOptions): HttpRoute {
  let validate: ValidateFunction | undefined;
  return async (request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path !== DASHBOARD_REDEEM_PATH) return false;
    if (request.method !== "POST") {
      response.writeHead(405, { allow: "POST", "cache-control": "no-store", "content-length": "0" }).end();
      return true;
    }
    const remoteAddress = normalizeAddress(request.socket.remoteAddress);
    const origin = request.headers.origin;
    const peer = { remoteAddress, headers: request.headers };
    if (origin === undefined || !browserOriginAllowed(origin, options.auth, options.allowedOrigins, peer)) {
      return refuse(response, 403, {
        reason: "cross-origin",
        message: "Only the Control UI served by this gateway may redeem a one-time code (origin not allowed; see gateway.controlUi.allowedOrigins).",
      });
    }
    const invalid = (message: string) => refuse(response, 400, { reason: "invalid-request", message });
    if (!/^application\/json\s*(;|$)/i.test(request.headers["content-type"] ?? "")) return invalid('Send the code as JSON: {"code":"…"}.');
    const text = await readBody(request, MAX_BODY_BYTES);
    let body: unknown;
    try {
      body = text === undefined ? undefined : JSON.parse(text);
    } catch {
      body = undefined;
    }
    validate ??= new Ajv({ strict: true }).compile(DashboardRedeemRequest);
    if (!validate(body)) return invalid('Send the code as JSON: {"code":"…"}, with nothing else in it.');

    const source: AttemptSource = { address: attributedClientAddress(options.auth, peer), loopback: options.isLocal(remoteAddress, request.headers), origin };
    const gate = options.limiter.gate(source, "dashboard-code");
    const tooMany = (retryAfterMs: number) =>
      refuse(
        response,
        429,
        { reason: "rate-limited", message: "Too many wrong one-time codes from here; wait and try again.", retryAfterMs },
        { "retry-after": String(Math.ceil(retryAfterMs / 1000)) },
      );
    if (gate.kind === "locked") return tooMany(gate.retryAfterMs);
    const gone = new AbortController();
    const onClose = () => gone.abort();
    response.once("close", onClose);
    try {
      if (gate.waitMs > 0) await options.sleep(gate.waitMs, gone.signal);
      const outcome = options.codes.redeem((body as DashboardRedeemRequest).code);
      const handed = dashboardSecret(options.auth);
      if (outcome === "redeemed" && handed) {
        options.limiter.recordSuccess(source, "dashboard-code");
        send(response, 200, handed);
        return true;
      }
      options.limiter.recordFailure(source, "dashboard-code");
      return refuse(response, 401, REFUSALS[outcome === "redeemed" ? "unknown" : outcome]);
    } catch (error) {
      // The client went away while its attempt waited: nobody is left to answer.
      if (gone.signal.aborted) return true;
      throw error;
    } finally {
      response.off("close", onClose);
      gate.release();
    }
  };
}
