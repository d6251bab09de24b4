/**
 * What WhatsApp's status codes mean to this channel: the disconnect codes that decide between
 * reconnecting and needing a relink, and how a failed send is classified for the outbox.
 * Baileys puts the status in an error's `output.statusCode` (a Boom error) for both.
 */
import { ChannelSendError, describeError, sendFailureKindForStatus } from "@openclaw/channel-kit";

/** WhatsApp's disconnect codes that decide what happens next. */
export const LOGGED_OUT = 401;
export const CONNECTION_REPLACED = 440;
export const RESTART_REQUIRED = 515;

/** The status code a Baileys error carries, if any. */
export function disconnectCode(error: unknown): number | undefined {
  const output = (error as { output?: { statusCode?: unknown } } | undefined)?.output;
  return typeof output?.statusCode === "number" ? output.statusCode : undefined;
}

/** A failed `sendMessage` as the outbox classifies it; WhatsApp puts its status in the error's `output`. */
export function classifySendFailure(error: unknown): unknown {
  if (error instanceof ChannelSendError) return error;
  const status = disconnectCode(error);
  if (status === undefined) return new ChannelSendError("ambiguous", `WhatsApp send failed: ${describeError(error)}`, { cause: error });
  const retryAfter = Number((error as { data?: { retryAfter?: unknown } }).data?.retryAfter);
  const retryAfterMs = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 5_000;
  return new ChannelSendError(
    status === 428 || status === 408 ? "transient" : sendFailureKindForStatus(status),
    `WhatsApp send failed (${status}): ${describeError(error)}`,
    {
      status,
      ...(status === 429 ? { retryAfterMs } : {}),
      cause: error,
    },
  );
}
