import { createHash } from "node:crypto";
import type { ReconcileOutcome } from "@openclaw/channel-kit";

/**
 * The WhatsApp message id of one chunk of one outbox message: the same on every attempt, in the
 * shape Baileys gives its own ids (`3EB0` and upper-case hex).
 *
 * WhatsApp identifies a message by chat, sender and id, and the client chooses the id. A second
 * send with an id already delivered is the same message again, not a new one: recipients' devices
 * keep one message per id (Baileys itself answers a retry receipt by resending under the same id).
 * So after an ambiguous send the chunk is simply sent again under its id, whether or not the first
 * attempt arrived.
 */
export function whatsAppMessageId(idempotencyKey: string, chunkIndex: number): string {
  return `3EB0${createHash("sha256").update(`${idempotencyKey}\u0000${chunkIndex}`).digest("hex").toUpperCase().slice(0, 18)}`;
}

/**
 * What an ambiguous WhatsApp send reconciles to. WhatsApp offers no look-up of a sent message (there
 * is no history API a linked device can query for it), but none is needed: the resend carries the
 * same id (`whatsAppMessageId`), which makes it safe. `not-delivered` here means "send it again",
 * not "proven absent".
 */
export function reconcileByResend(): ReconcileOutcome {
  return { status: "not-delivered" };
}
