import { InvalidInputError, UnavailableError } from "../errors.js";
import { formatDuration } from "./info-commands.js";
import type { ChatCommand, CommandCaller } from "./types.js";

const DECISIONS = { once: "allow-once", "allow-once": "allow-once", always: "allow-always", "allow-always": "allow-always", deny: "deny" } as const;

/** Who decided, as approvals and pairing record it. */
const actor = (caller: CommandCaller) => (caller.chat ? `${caller.chat.channel}:${caller.senderId}` : caller.senderId);

/** `/allowlist` on a gateway client names the account; in a channel it defaults to the current one. */
function allowlistTarget(words: string[], caller: CommandCaller): { channel: string; accountId: string; rest: string[] } {
  const [first, ...rest] = words;
  const qualified = first !== undefined && /^[a-z0-9-]+(\/[A-Za-z0-9_-]+)?:/.test(first) && !caller.chat;
  if (caller.chat && !qualified) return { channel: caller.chat.channel, accountId: caller.chat.accountId, rest: words };
  if (first === undefined || !first.includes(":"))
    throw new InvalidInputError("outside a channel chat, name the account: /allowlist <list|add|remove> <channel>[/<account>]:<senderId>");
  const [account, sender] = [first.slice(0, first.indexOf(":")), first.slice(first.indexOf(":") + 1)];
  const [channel, accountId = "default"] = account.split("/");
  return { channel: channel!, accountId, rest: [sender, ...rest].filter((word) => word !== "") };
}

export const ownerCommands: readonly ChatCommand[] = [
  {
    name: "approve",
    textAliases: ["/approve"],
    description: "Approve or deny exec requests.",
    category: "management",
    args: [
      { name: "id", description: "Approval id (omit to list pending ones)" },
      { name: "decision", description: "once, always or deny", choices: ["once", "always", "deny"] },
    ],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const approvals = deps.approvals;
      if (!approvals) throw new UnavailableError("exec approvals are not running on this gateway");
      const [id, word = "once"] = args.split(/\s+/).filter((part) => part !== "");
      if (id === undefined) {
        const pending = approvals.list();
        if (pending.length === 0) return { text: "No exec requests are waiting." };
        const lines = pending.map(
          (entry) => `${entry.id}: ${entry.command}${entry.host ? ` on ${entry.host}` : ""} (expires in ${formatDuration(entry.expiresAtMs - deps.now())})`,
        );
        return { text: ["Waiting exec requests (answer with /approve <id> once|always|deny):", ...lines].join("\n") };
      }
      const decision = DECISIONS[word.toLowerCase() as keyof typeof DECISIONS];
      if (!decision) throw new InvalidInputError(`/approve ${id} takes once, always or deny, not "${word}"`);
      approvals.resolve(id, decision, actor(caller));
      return { text: `Exec request ${id}: ${decision}.` };
    },
  },
  {
    name: "pair",
    textAliases: ["/pair"],
    description: "Approve device pairing requests.",
    category: "management",
    args: [
      { name: "action", description: "list, approve or reject", choices: ["list", "approve", "reject"] },
      { name: "requestId", description: "The request to decide; approve takes 'latest'" },
    ],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const devices = deps.devices;
      if (!devices) throw new UnavailableError("device pairing is not running on this gateway");
      const [action = "list", target] = args.split(/\s+/).filter((part) => part !== "");
      const pending = devices.pending();
      if (action === "list") {
        if (pending.length === 0) return { text: "No devices are waiting to pair." };
        const lines = pending.map(
          (request) =>
            `${request.requestId}: ${request.displayName ?? request.deviceId.slice(0, 12)} (${request.role ?? "operator"}${request.remoteIp ? `, from ${request.remoteIp}` : ""})`,
        );
        return { text: ["Devices waiting to pair (answer with /pair approve <id> or /pair reject <id>):", ...lines].join("\n") };
      }
      if (action !== "approve" && action !== "reject") throw new InvalidInputError(`/pair takes list, approve <id> or reject <id>, not "${action}"`);
      if (target === undefined) throw new InvalidInputError(`/pair ${action} needs a request id (see /pair list)`);
      const requestId = target === "latest" ? pending.at(-1)?.requestId : target;
      if (requestId === undefined) return { text: "No devices are waiting to pair." };
      if (action === "reject") return { text: `Pairing request ${requestId} rejected (device ${devices.reject(requestId).deviceId.slice(0, 12)}).` };
      const { deviceId } = devices.approve(requestId, actor(caller));
      return { text: `Device ${deviceId.slice(0, 12)} paired; it can connect now.` };
    },
  },
  {
    name: "allowlist",
    textAliases: ["/allowlist"],
    description: "List/add/remove allowlist entries.",
    category: "management",
    args: [
      { name: "action", description: "list, add or remove", choices: ["list", "add", "remove"] },
      { name: "sender", description: "Sender id (outside a chat: <channel>[/<account>]:<senderId>)" },
    ],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const allowlist = deps.allowlist;
      if (!allowlist) throw new UnavailableError("no channels run on this gateway, so there is no DM allowlist");
      const [action = "list", ...words] = args.split(/\s+/).filter((part) => part !== "");
      if (!["list", "add", "remove"].includes(action)) throw new InvalidInputError(`/allowlist takes list, add <sender> or remove <sender>, not "${action}"`);
      const { channel, accountId, rest } =
        action === "list" && words.length === 0 && caller.chat
          ? { channel: caller.chat.channel, accountId: caller.chat.accountId, rest: [] }
          : allowlistTarget(words, caller);
      if (!allowlist.has(channel, accountId)) throw new InvalidInputError(`no channel account ${channel}/${accountId} is configured`);
      const where = `${channel}/${accountId}`;
      if (action === "list") {
        const { configured, approved } = allowlist.list(channel, accountId);
        if (configured.length + approved.length === 0) return { text: `The DM allowlist of ${where} is empty.` };
        return {
          text: [`DM allowlist of ${where}:`, ...configured.map((id) => `${id} (config)`), ...approved.map((id) => `${id} (approved)`)].join("\n"),
        };
      }
      const sender = rest[0];
      if (sender === undefined || sender === "*") throw new InvalidInputError(`/allowlist ${action} needs one sender id (no wildcards)`);
      if (action === "add") {
        allowlist.add(channel, accountId, sender);
        return { text: `${sender} may now message ${where}.` };
      }
      return {
        text: allowlist.remove(channel, accountId, sender)
          ? `${sender} removed from the allowlist of ${where}.`
          : `${sender} was not an approved sender of ${where} (entries from the config file are changed there).`,
      };
    },
  },
];
