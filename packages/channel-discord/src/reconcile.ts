import { createHash } from "node:crypto";
import type { ReconcileOutcome, ReconcileRequest } from "@openclaw/channel-kit";

/** The fields of a listed message the look-up reads. */
export interface ListedMessage {
  readonly id: string;
  readonly content?: string;
  readonly author?: { readonly id?: string };
  readonly message_reference?: { readonly message_id?: string };
}

/** Discord's epoch: snowflake timestamps count from 2015-01-01. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;
/** Our clock and Discord's may differ a little; look this much further back. */
const CLOCK_SKEW_MS = 30_000;
/** Discord's page size for GET /channels/:id/messages. */
const PAGE_SIZE = 100;
/** Pages read before giving up; more than this many messages since the attempt is not a chat the look-up can judge. */
const MAX_PAGES = 5;

/**
 * The nonce of one chunk of one outbox message: the same for every attempt, at most 25
 * characters (Discord's limit). Sent with `enforce_nonce`, so Discord answers a repeat within
 * its window (a few minutes) with the message it already made instead of a second one.
 */
export function discordNonce(idempotencyKey: string, chunkIndex: number): string {
  return createHash("sha256").update(`${idempotencyKey}\u0000${chunkIndex}`).digest("hex").slice(0, 25);
}

/** The smallest snowflake of a moment, for `after=`. */
export function snowflakeAt(ms: number): string {
  const since = BigInt(Math.max(0, Math.floor(ms))) - DISCORD_EPOCH_MS;
  return String((since > 0n ? since : 0n) << 22n);
}

/**
 * Looks for an ambiguously sent chunk in the channel's messages since the attempt started.
 *
 * Discord keeps no nonce with a stored message (only the create answer and the gateway event carry
 * it), so the history is matched on what it does keep: our bot as author, the chunk's text, and
 * the message it replied to. A message of ours since the attempt with the same text is this chunk:
 * the outbox sends one message per chat at a time, and `knownIds` (messages whose send was
 * confirmed) rules out an earlier send of the same text inside the clock-skew margin.
 * Not found means not delivered, and the resend carries the same nonce, so a message Discord made
 * but did not list yet is still returned rather than duplicated.
 */
export async function reconcileFromHistory(
  request: ReconcileRequest,
  botId: string,
  listAfter: (afterId: string) => Promise<readonly ListedMessage[]>,
  knownIds: ReadonlySet<string>,
): Promise<ReconcileOutcome> {
  const text = request.text.trim();
  let after = snowflakeAt(request.attemptStartedAtMs - CLOCK_SKEW_MS);
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const messages = await listAfter(after);
    const ours = messages
      .filter((message) => message.author?.id === botId && !knownIds.has(message.id))
      .filter((message) => (message.content ?? "").trim() === text)
      .filter((message) => request.replyTo === undefined || message.message_reference?.message_id === request.replyTo);
    const found = ours.sort((a, b) => compareIds(a.id, b.id))[0];
    if (found) return { status: "delivered", providerMessageIds: [found.id] };
    if (messages.length < PAGE_SIZE) return { status: "not-delivered" };
    after = messages.map((message) => message.id).reduce((newest, id) => (compareIds(id, newest) > 0 ? id : newest));
  }
  return { status: "unknown", reason: `more than ${MAX_PAGES * PAGE_SIZE} messages in the channel since the attempt` };
}

function compareIds(a: string, b: string): number {
  const left = BigInt(a);
  const right = BigInt(b);
  return left < right ? -1 : left > right ? 1 : 0;
}
