import { ADMIN_SCOPE } from "@openclaw/protocol";
import type { AgentBridge } from "../agent/agent-bridge.js";
import { DEFAULT_AGENT } from "../agent/model-ref.js";
import type { ExecApprovals } from "../approvals/exec-approvals.js";
import type { ChannelCommands, ChannelService } from "../channels/channel-service.js";
import type { DevicePairing } from "../pairing/device-pairing.js";
import { isChannelOwner } from "./callers.js";
import { ChatCommands } from "./chat-commands.js";
import type { CommandAllowlist, CommandApprovals, CommandDevices } from "./types.js";

export interface ChatCommandWiring {
  readonly bridge: AgentBridge;
  readonly version: string;
  readonly now: () => number;
  readonly approvals: ExecApprovals;
  readonly devices: DevicePairing;
  readonly channels: () => ChannelService | undefined;
  /** `commands.ownerAllowFrom`, read at each command (the config may change while running). */
  readonly ownerAllowFrom: () => readonly string[];
}

/** Commands act as an admin of the gateway: only owners reach them (see `ChatCommands.execute`). */
const OWNER_ACTOR = { connId: "chat-command", deviceId: undefined, scopes: [ADMIN_SCOPE], authMethod: "chat-command" };

/** Builds the chat-command layer over the gateway's services, and its hook for channel messages. */
export function createChatCommands(wiring: ChatCommandWiring): { commands: ChatCommands; channelHook: ChannelCommands } {
  const approvals: CommandApprovals = {
    list: () =>
      wiring.approvals.list().map((entry) => ({
        id: entry.id,
        command: entry.request.command ?? entry.request.commandArgv?.join(" ") ?? "(no command)",
        host: entry.request.nodeId ?? entry.request.host,
        expiresAtMs: entry.expiresAtMs,
      })),
    resolve: (id, decision, by) => wiring.approvals.resolve(id, decision, by),
  };
  const devices: CommandDevices = {
    pending: () => wiring.devices.list(OWNER_ACTOR).pending,
    approve: (requestId) => wiring.devices.approve(requestId, OWNER_ACTOR).device,
    reject: (requestId) => wiring.devices.reject(requestId),
  };
  const allowlist: CommandAllowlist = {
    has: (channel, accountId) => wiring.channels()?.accounts.get(channel, accountId) !== undefined,
    list: (channel, accountId) => {
      const service = wiring.channels();
      const configured = service?.accounts.get(channel, accountId)?.resolved.config.allowFrom;
      return {
        configured: Array.isArray(configured) ? configured.map(String) : [],
        approved: service?.pairing.approvedSenders(channel, accountId) ?? [],
      };
    },
    add: (channel, accountId, senderId) => wiring.channels()?.pairing.allow(channel, accountId, senderId),
    remove: (channel, accountId, senderId) => wiring.channels()?.pairing.disallow(channel, accountId, senderId) ?? false,
  };
  const commands = new ChatCommands({
    bridge: wiring.bridge,
    version: wiring.version,
    startedAt: wiring.now(),
    now: wiring.now,
    approvals,
    devices,
    allowlist,
  });
  const channelHook: ChannelCommands = {
    match: (text) => {
      const parsed = commands.parse(text);
      return parsed && { urgent: parsed.command.name === "stop" || parsed.command.name === "steer" };
    },
    answer: async (input) => {
      const parsed = commands.parse(input.text);
      if (!parsed) throw new Error("answer called for a message that is not a command");
      const outcome = await commands.execute(
        parsed,
        {
          surface: input.channel,
          sessionKey: input.sessionKey,
          agentId: DEFAULT_AGENT,
          senderId: input.senderId,
          senderName: input.senderName,
          isOwner: isChannelOwner(wiring.ownerAllowFrom(), input.channel, input.accountId, input.senderId),
          chat: { channel: input.channel, accountId: input.accountId, id: input.chatId, kind: input.chatKind },
        },
        input.text,
        undefined,
      );
      wiring.bridge.showReply(`command-${outcome.reply.id}`, outcome.reply);
      return outcome.text;
    },
  };
  return { commands, channelHook };
}
