import { defineChannel } from "@openclaw/channel-kit";
import { ExampleAdapter } from "./adapter.js";
import { ExampleConfigSchema } from "./config.js";
import { exampleOptions } from "./options.js";

// Adapter
export { ExampleAdapter } from "./adapter.js";

// Settings
export { ExampleConfigSchema, type ExampleConfig } from "./config.js";
export { exampleOptions, type ExampleAdapterOptions } from "./options.js";

// Wire
export { toInbound, type ExampleEvent } from "./inbound.js";

/** The example channel: what the gateway registers. `configKeys` come from `configSchema`. */
export const exampleChannel = defineChannel({
  id: "example",
  label: "Example",
  textChunkLimit: 2000,
  maxTextLength: 4000,
  configSchema: ExampleConfigSchema,
  create: (account) => new ExampleAdapter(exampleOptions(account)),
});
