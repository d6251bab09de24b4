import type { ChannelDefinition } from "@openclaw/channel-kit";
import { IMESSAGE_CONFIG_KEYS, ImessageAdapter, imessageOptions } from "./adapter.js";

// Adapter
export { ImessageAdapter, imessageOptions, IMESSAGE_CONFIG_KEYS, type ImessageAdapterOptions } from "./adapter.js";

// Wire
export { toInbound, type ImsgAttachment, type ImsgMessage } from "./inbound.js";
export { ImsgRequestError, type ImsgFailure } from "./imsg-process.js";

// Errors
export { ImsgDatabaseUnreadableError } from "./errors.js";

/** The iMessage channel: the `imsg` CLI on a Mac (or through an SSH wrapper). */
export const imessageChannel: ChannelDefinition = {
  id: "imessage",
  label: "iMessage",
  textChunkLimit: 4000,
  maxTextLength: 20_000,
  configKeys: IMESSAGE_CONFIG_KEYS,
  create: (account) => new ImessageAdapter(imessageOptions(account)),
};
