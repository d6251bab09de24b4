import { defineChannel } from "@openclaw/channel-kit";
import { SlackAdapter } from "./adapter.js";
import { SlackConfigSchema } from "./config.js";
import { checkSlackCredentials } from "./credentials.js";
import { slackOptions } from "./options.js";

// Adapter
export { SLACK_UPLOAD_MAX_BYTES, SlackAdapter } from "./adapter.js";

// Settings
export { checkSlackCredentials } from "./credentials.js";
export { SlackConfigSchema, type SlackConfig } from "./config.js";
export { slackOptions, type SlackAdapterOptions } from "./options.js";

// Wire
export { toInbound, type SlackFile, type SlackMessageEvent } from "./inbound.js";

/** The Slack channel (Bolt): Socket Mode with an app token, or signed HTTP events on the gateway port. */
export const slackChannel = defineChannel({
  id: "slack",
  label: "Slack",
  textChunkLimit: 4000,
  maxTextLength: 40_000,
  configSchema: SlackConfigSchema,
  create: (account) => new SlackAdapter(slackOptions(account)),
  checkCredentials: checkSlackCredentials,
});
