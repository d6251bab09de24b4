import { ChannelKitError } from "@openclaw/channel-kit";

/**
 * The message behind an inbound file is no longer in memory: the adapter keeps only recent media
 * messages (its media key is needed to decrypt the file), and a restart drops them all.
 */
export class WhatsAppMediaUnavailableError extends ChannelKitError {
  readonly code = "WHATSAPP_MEDIA_UNAVAILABLE";

  constructor(limits: { readonly maxMessages: number; readonly maxAgeMs: number }) {
    super(
      `this WhatsApp file is no longer available to the gateway: it keeps the keys of the last ${limits.maxMessages} media messages for ${Math.round(limits.maxAgeMs / 60_000)} minutes, and a restart forgets them; ask the sender to send it again`,
    );
  }
}
