import type { ChannelDefinition } from "@openclaw/channel-kit";
import { IMESSAGE_CONFIG_KEYS, ImessageAdapter, imessageOptions } from "./adapter.js";

export { ImessageAdapter, imessageOptions, toInbound, IMESSAGE_CONFIG_KEYS, type ImessageAdapterOptions } from "./adapter.js";

/** The iMessage channel: the `imsg` CLI on a Mac (or through an SSH wrapper). */
export const imessageChannel: ChannelDefinition = {
  id: "imessage",
  label: "iMessage",
  textChunkLimit: 4000,
  maxTextLength: 20_000,
  configKeys: IMESSAGE_CONFIG_KEYS,
  create: (account) => new ImessageAdapter(imessageOptions(account)),
};
