import type { ChannelDefinition } from "@openclaw/channel-kit";
import { SIGNAL_CONFIG_KEYS, SignalAdapter, signalOptions } from "./adapter.js";

export { SignalAdapter, signalOptions, toInbound, SIGNAL_CONFIG_KEYS, type SignalAdapterOptions } from "./adapter.js";

/** The Signal channel: the signal-cli HTTP daemon, connected to or run by the gateway. */
export const signalChannel: ChannelDefinition = {
  id: "signal",
  label: "Signal",
  textChunkLimit: 4000,
  maxTextLength: 4000,
  configKeys: SIGNAL_CONFIG_KEYS,
  create: (account) => new SignalAdapter(signalOptions(account)),
};
