import { defineChannel } from "@openclaw/channel-kit";
import { SignalAdapter } from "./adapter.js";
import { SignalConfigSchema } from "./config.js";
import { signalOptions } from "./options.js";

// Adapter
export { SignalAdapter } from "./adapter.js";
export { ManagedDaemon, type ManagedDaemonOptions } from "./daemon.js";

// Settings
export { SignalConfigSchema, type SignalConfig } from "./config.js";
export { signalOptions, type SignalAdapterOptions } from "./options.js";

// Errors
export { SignalAccountNotRegisteredError } from "./errors.js";

// Wire
export { MalformedEventError, toInbound, type SignalEnvelope } from "./inbound.js";

/** The Signal channel: the signal-cli HTTP daemon, connected to or run by the gateway. */
export const signalChannel = defineChannel({
  id: "signal",
  label: "Signal",
  // signal-cli sets no hard cap; 4 000 keeps chunks in line with the other chat channels.
  textChunkLimit: 4000,
  maxTextLength: 4000,
  configSchema: SignalConfigSchema,
  create: (account) => new SignalAdapter(signalOptions(account)),
});
