import type { ToolHost, ToolSpec } from "@openclaw/agent";
import type { ChannelService } from "./channel-service.js";

export const SEND_TOOL_NAME = "send";

/**
 * The agent's `send` tool: a message, or a file captioned with it, on a configured channel,
 * through the same outbox as the `send` method and under the same rules for files. The key is the run and call id, so a replayed tool call never sends twice.
 * Offered only while at least one channel is configured.
 */
export function channelSendToolHost(channels: () => ChannelService | undefined): ToolHost {
  return {
    tools: (): ToolSpec[] => {
      const configured = channels()?.channelIds ?? [];
      if (configured.length === 0) return [];
      return [
        {
          name: SEND_TOOL_NAME,
          description: `Send a text message, or a file with the text as its caption, to a chat on a messaging channel (${configured.join(", ")}). Use only when asked to message someone.`,
          parameters: {
            type: "object",
            properties: {
              channel: { type: "string", enum: configured, description: "which channel; optional when only one is configured" },
              to: { type: "string", description: "the chat or user id on that channel" },
              message: { type: "string", description: "the text to send; with media, its caption" },
              media: {
                type: "string",
                description: "optional file to send: an http(s) URL, an absolute path inside the gateway's outbound folder, or sha256:<hex> of a stored file",
              },
              replyTo: { type: "string", description: "optional id of the message to reply to" },
              accountId: { type: "string", description: "channel account; optional" },
            },
            required: ["to"],
            additionalProperties: false,
          },
        },
      ];
    },
    call: async (call, context) => {
      const service = channels();
      if (call.name !== SEND_TOOL_NAME || !service) return { text: `unknown tool ${call.name}`, isError: true };
      let args: { channel?: unknown; to?: unknown; message?: unknown; media?: unknown; replyTo?: unknown; accountId?: unknown };
      try {
        args = (call.arguments.trim() ? JSON.parse(call.arguments) : {}) as typeof args;
      } catch {
        return { text: "send: the arguments are not valid JSON", isError: true };
      }
      const media = typeof args.media === "string" && args.media.trim() !== "" ? args.media : undefined;
      if (typeof args.to !== "string" || (typeof args.message !== "string" && media === undefined))
        return { text: 'send: "to" is required, with "message" (text), "media" (a file) or both', isError: true };
      try {
        const sent = await service.send({
          to: args.to,
          ...(typeof args.message === "string" ? { message: args.message } : {}),
          ...(media !== undefined ? { media: { source: media } } : {}),
          ...(typeof args.replyTo === "string" ? { replyToId: args.replyTo } : {}),
          ...(typeof args.channel === "string" ? { channel: args.channel } : {}),
          ...(typeof args.accountId === "string" ? { accountId: args.accountId } : {}),
          sessionKey: context.sessionKey,
          idempotencyKey: `agent:${context.runId}:${call.id}`,
          runId: context.runId,
        });
        return { text: `sent on ${sent.channel} to ${sent.chatId} (message id ${sent.messageId})` };
      } catch (error) {
        return { text: `send failed: ${error instanceof Error ? error.message : String(error)}`, isError: true };
      }
    },
  };
}

/** Several tool hosts as one; a tool name belongs to the first host that lists it. */
export function combineToolHosts(...hosts: ToolHost[]): ToolHost {
  const owner = async (sessionKey: string, name: string) => {
    for (const host of hosts) if ((await host.tools(sessionKey)).some((tool) => tool.name === name)) return host;
    return undefined;
  };
  return {
    tools: async (sessionKey) => (await Promise.all(hosts.map((host) => host.tools(sessionKey)))).flat(),
    call: async (call, context) => {
      const host = await owner(context.sessionKey, call.name);
      return host ? host.call(call, context) : { text: `no tool named ${call.name} is available`, isError: true };
    },
  };
}
