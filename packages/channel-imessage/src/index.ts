import { defineChannel } from "@openclaw/channel-kit";
import { ImessageAdapter } from "./adapter.js";
import { ImessageConfigSchema } from "./config.js";
import { imessageOptions } from "./options.js";

// Adapter
export { ImessageAdapter } from "./adapter.js";

// Settings
export { ImessageConfigSchema, type ImessageConfig } from "./config.js";
export { imessageOptions, type ImessageAdapterOptions } from "./options.js";

// Wire
export { toInbound, type ImsgAttachment, type ImsgMessage } from "./inbound.js";
export { ImsgRequestError, type ImsgFailure } from "./imsg-process.js";

// Files
export { attachmentRoots } from "./attachment-roots.js";
export { ImessageAttachmentError } from "./media-download.js";

// Errors
export { ImsgDatabaseUnreadableError } from "./errors.js";

/** The iMessage channel: the `imsg` CLI on a Mac (or through an SSH wrapper). */
export const imessageChannel = defineChannel({
  id: "imessage",
  label: "iMessage",
  textChunkLimit: 4000,
  maxTextLength: 20_000,
  configSchema: ImessageConfigSchema,
  create: (account) => new ImessageAdapter(imessageOptions(account)),
});
