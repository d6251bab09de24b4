// Judging reconnect backoff from the gaps between the gateway's closes and the client's next sockets.
// Only ratios and a floor are compared: the absolute delays are the client's own choice.
import { fail, pass, type CheckOutcome } from "../check.js";
import type { ClientRecord } from "./record.js";

/**
 * Over the script, the delays must grow by at least this factor per close on average, and no delay
 * may be shorter than the one before... A single step is not held to the factor: a client's jitter
 * (±20% is usual) plus a busy machine firing its timer late can make one ratio small by chance.
 */
export const BACKOFF_GROWTH = 1.2;
/** ...unless the one before was already this long (the client may have reached its cap). */
export const BACKOFF_PLATEAU_MS = 10_000;
/** A reconnect sooner than this (after the first, which may be immediate) is a tight loop. */
export const BACKOFF_FLOOR_MS = 100;

/**
 * For each of the script's closes, in order, the time until the client's next socket opened.
 * Shorter than the closes when the client stopped reconnecting.
 */
export function reconnectGaps(record: ClientRecord): number[] {
  const opened = record.sockets.map((socket) => socket.openedAt).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (const close of record.forcedCloses) {
    const next = opened.find((at) => at > close.at);
    if (next === undefined) break;
    gaps.push(next - close.at);
  }
  return gaps;
}

const ms = (value: number) => `${Math.round(value)} ms`;

/**
 * Pass when the client came back after every close, never in a tight loop, with delays that grow
 * (or hold at a long cap). Jitter is not required: the reference client has none (§1.7).
 */
export function evaluateBackoff(gaps: readonly number[], closes: number, waitMs: number): CheckOutcome {
  const seen = gaps.map(ms).join(", ");
  if (gaps.length === 0) {
    return fail(`no reconnect within ${waitMs} ms of the 1012 "service restart" close; a long-running client reconnects with backoff (§1.9 step 5)`);
  }
  if (gaps.length < closes) return fail(`reconnected after ${gaps.length} of ${closes} closes (after ${seen}), then not within ${waitMs} ms`);
  const judged = gaps.length === 1 ? gaps : gaps.slice(1);
  if (judged.some((gap) => gap < BACKOFF_FLOOR_MS)) {
    return fail(`reconnected after ${seen}: a tight loop; expected delays that start near a second and double up to 30 s, as the reference client's (§1.7)`);
  }
  const ratios = gaps.slice(1).map((gap, index) => gap / gaps[index]!);
  // Steps taken from a delay at the cap prove nothing either way.
  const growing = ratios.filter((_, index) => gaps[index]! < BACKOFF_PLATEAU_MS);
  const overall = growing.reduce((product, ratio) => product * ratio, 1);
  const shrinks = growing.some((ratio) => ratio < 1);
  if (shrinks || overall < BACKOFF_GROWTH ** growing.length) {
    return fail(
      `the delays do not grow: ${seen} (ratios ${ratios.map((r) => r.toFixed(2)).join(", ")}); expected none shorter than the one before and, until a cap, ${BACKOFF_GROWTH}× growth per close on average, as exponential backoff gives (§1.7)`,
    );
  }
  return pass();
}
