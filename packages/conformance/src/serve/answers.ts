// serve's answers to the client's requests after the handshake: the captured payloads for the
// methods it serves, and the gateway's own errors for everything else (§1.5, §6.1).
import { ErrorCodes, WireErrors, WireMessages, findMethod, type ErrorShape } from "@openclaw/protocol";
import { SERVED_METHODS, healthPayload, presencePayload, statusPayload } from "./payloads.js";

export type Answer = { readonly ok: true; readonly payload: unknown } | { readonly ok: false; readonly error: ErrorShape };

const served: Record<(typeof SERVED_METHODS)[number], () => unknown> = {
  health: healthPayload,
  status: statusPayload,
  "system-presence": presencePayload,
};

/** The answer to `method`; serve grants every scope, so there are no scope errors. */
export function answerRequest(method: string): Answer {
  if (Object.hasOwn(served, method)) return { ok: true, payload: served[method as keyof typeof served]() };
  if (method === "connect") return { ok: false, error: { code: ErrorCodes.INVALID_REQUEST, message: WireMessages.connectOnlyFirst } };
  if (findMethod(method) === undefined) return { ok: false, error: WireErrors.unknownMethod(method) };
  return { ok: false, error: { code: ErrorCodes.UNAVAILABLE, message: `openclaw-conformance serve answers only ${SERVED_METHODS.join(", ")}; not ${method}` } };
}
