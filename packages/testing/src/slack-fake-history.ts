/**
 * What the Slack fake remembers of each channel: `ts` ids, and every message (the bot's and
 * users') as conversations.history and conversations.replies list them, in cursor pages, with
 * `metadata` left out unless `include_all_metadata` is set, as Slack does.
 */

export function slackChannelHistory() {
  /** Every message per channel, ours and users', oldest first. */
  const channelHistory = new Map<string, Record<string, unknown>[]>();
  let tsCounter = 0;
  /** One page of `messages` (already in answer order) from `cursor`, Slack's answer shape. */
  const page = (messages: Record<string, unknown>[], body: Record<string, unknown>) => {
    const limit = Math.min(Math.max(Number(body["limit"] ?? 100), 1), 999);
    const start = Number(body["cursor"] ?? 0) || 0;
    const slice = messages.slice(start, start + limit);
    const withMetadata = body["include_all_metadata"] === true || body["include_all_metadata"] === "true";
    const more = start + limit < messages.length;
    return {
      ok: true,
      messages: slice.map((message) => (withMetadata ? message : Object.fromEntries(Object.entries(message).filter(([key]) => key !== "metadata")))),
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : "" },
    };
  };
  const newer = (body: Record<string, unknown>) => (message: Record<string, unknown>) =>
    body["oldest"] === undefined || Number(message["ts"]) > Number(body["oldest"]);

  return {
    /** A `ts` of the current time (milliseconds, so unique), always above the previous one. */
    nextTs() {
      tsCounter = Math.max(Date.now(), tsCounter + 1);
      return `${Math.floor(tsCounter / 1000)}.${String(tsCounter % 1000).padStart(3, "0")}100`;
    },
    remember(channel: string, message: Record<string, unknown>) {
      const list = channelHistory.get(channel) ?? [];
      list.push(message);
      channelHistory.set(channel, list);
    },
    /** The stored message of `channel` with this `ts`. */
    find(channel: string, ts: string) {
      return (channelHistory.get(channel) ?? []).find((message) => message["ts"] === ts);
    },
    /** conversations.history: top-level messages only (a thread's parent counts), newest first. */
    history(body: Record<string, unknown>) {
      const list = (channelHistory.get(String(body["channel"])) ?? []).filter((message) => !message["thread_ts"] || message["thread_ts"] === message["ts"]);
      return page(list.filter(newer(body)).reverse(), body);
    },
    /** conversations.replies: the thread's parent, then its replies, oldest first. */
    replies(body: Record<string, unknown>) {
      const thread = String(body["ts"]);
      const list = (channelHistory.get(String(body["channel"])) ?? []).filter((message) => message["ts"] === thread || message["thread_ts"] === thread);
      if (list.length === 0) return { ok: false, error: "thread_not_found" };
      return page(
        list.filter((message) => message["ts"] === thread || newer(body)(message)),
        body,
      );
    },
  };
}

export type SlackChannelHistory = ReturnType<typeof slackChannelHistory>;
