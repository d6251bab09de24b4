import type { ErrorShape } from "@openclaw/protocol";

/** What a completed call answered; a repeat gets exactly this back. */
export type CachedOutcome = { readonly ok: true; readonly payload: unknown } | { readonly ok: false; readonly error: ErrorShape; readonly payload?: unknown };

/** JSON of frozen answers: their owner promises they no longer change (a `health` snapshot answers many calls). */
const frozenJson = new WeakMap<object, string>();

function payloadJson(payload: unknown): string {
  if (payload === null || typeof payload !== "object" || !Object.isFrozen(payload)) return JSON.stringify(payload ?? null);
  let text = frozenJson.get(payload);
  if (text === undefined) {
    text = JSON.stringify(payload);
    frozenJson.set(payload, text);
  }
  return text;
}

/** The one encoder of `res` frames, for the first frame and every later request alike. */
export function responseText(id: string, outcome: CachedOutcome): string {
  // Clients crash on a success without `payload`, so an empty result is sent as null.
  if (outcome.ok) return `{"type":"res","id":${JSON.stringify(id)},"ok":true,"payload":${payloadJson(outcome.payload)}}`;
  return JSON.stringify({ type: "res", id, ok: false, ...(outcome.payload === undefined ? {} : { payload: outcome.payload }), error: outcome.error });
}
