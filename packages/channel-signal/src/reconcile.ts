import type { ReconcileOutcome } from "@openclaw/channel-kit";

/**
 * Why an ambiguous Signal send cannot be settled. A message's id is its timestamp, and signal-cli
 * picks it when it sends (the JSON-RPC `send` takes recipients, text and attachments, but no
 * timestamp of ours), so a resend is a new message, never a repeat of the first. And the daemon
 * keeps no record of what it sent that could be asked: its event stream carries what others
 * send to us, not our own sends. So the outbox is told `unknown`, and the message is
 * dead-lettered with this reason for the operator to check the chat and retry.
 */
export const SIGNAL_CANNOT_RECONCILE =
  "signal-cli cannot look up a sent message, and chooses its timestamp (the message id) itself, so a resend could show twice";

export function signalReconcileOutcome(): ReconcileOutcome {
  return { status: "unknown", reason: SIGNAL_CANNOT_RECONCILE };
}
