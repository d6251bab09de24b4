import type { ChannelDefinition } from "@openclaw/channel-kit";
import { SLACK_CONFIG_KEYS, SlackAdapter, slackOptions } from "./adapter.js";

export { SlackAdapter, slackOptions, toInbound, SLACK_CONFIG_KEYS, type SlackAdapterOptions } from "./adapter.js";

/** The Slack channel (Bolt): Socket Mode with an app token, or signed HTTP events on the gateway port. */
export const slackChannel: ChannelDefinition = {
  id: "slack",
  label: "Slack",
  textChunkLimit: 4000,
  maxTextLength: 40_000,
  configKeys: SLACK_CONFIG_KEYS,
  create: (account) => new SlackAdapter(slackOptions(account)),
};
