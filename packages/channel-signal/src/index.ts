import type { ChannelDefinition } from "@openclaw/channel-kit";
import { SIGNAL_CONFIG_KEYS, SignalAdapter, signalOptions } from "./adapter.js";

// Adapter
export { SignalAdapter, signalOptions, SIGNAL_CONFIG_KEYS, type SignalAdapterOptions } from "./adapter.js";
export { ManagedDaemon, type ManagedDaemonOptions } from "./daemon.js";

// Errors
export { SignalAccountNotRegisteredError } from "./errors.js";

// Wire
export { MalformedEventError, toInbound, type SignalEnvelope } from "./inbound.js";

/** The Signal channel: the signal-cli HTTP daemon, connected to or run by the gateway. */
export const signalChannel: ChannelDefinition = {
  id: "signal",
  label: "Signal",
  // signal-cli sets no hard cap; 4 000 keeps chunks in line with the other chat channels.
  textChunkLimit: 4000,
  maxTextLength: 4000,
  configKeys: SIGNAL_CONFIG_KEYS,
  create: (account) => new SignalAdapter(signalOptions(account)),
};
