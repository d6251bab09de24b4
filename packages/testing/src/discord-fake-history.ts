/**
 * What the Discord fake remembers of each channel: snowflake ids, and every message (the bot's and
 * users') as GET /channels/:id/messages lists them. No nonces are kept with a message: Discord
 * does not store them.
 */

const DISCORD_EPOCH_MS = 1_420_070_400_000n;
let snowflake = 0n;
/** A snowflake of the current time (timestamp in the high bits), always above the previous one. */
export const nextSnowflake = () => {
  const now = (BigInt(Date.now()) - DISCORD_EPOCH_MS) << 22n;
  snowflake = now > snowflake ? now : snowflake + 1n;
  return String(snowflake);
};

/** Every message per channel, and the history endpoint's listing of them. */
export function discordChannelHistory() {
  const channelHistory = new Map<string, Record<string, unknown>[]>();
  return {
    remember(channelId: string, message: Record<string, unknown>) {
      const list = channelHistory.get(channelId) ?? [];
      list.push(message);
      channelHistory.set(channelId, list);
    },
    /** Up to `limit` (1..100, default 50) messages `after` or `before` an id, newest first. */
    list(channelId: string, query: URLSearchParams) {
      const limit = Math.min(Math.max(Number(query.get("limit") ?? 50), 1), 100);
      const after = query.get("after");
      const before = query.get("before");
      const idOf = (message: Record<string, unknown>) => (/^\d+$/.test(String(message["id"])) ? BigInt(String(message["id"])) : 0n);
      let list = [...(channelHistory.get(channelId) ?? [])].sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
      if (after) list = list.filter((message) => idOf(message) > BigInt(after)).slice(0, limit);
      else list = list.filter((message) => !before || idOf(message) < BigInt(before)).slice(-limit);
      return list.reverse();
    },
  };
}

export type DiscordChannelHistory = ReturnType<typeof discordChannelHistory>;
