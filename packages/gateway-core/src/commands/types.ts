import type { AgentBridge } from "../agent/agent-bridge.js";

/** Where a command came from and who sent it; the answer goes back the same way. */
export interface CommandCaller {
  /** `webchat`, `tui`, `cli`, … for gateway clients; the channel id (`telegram`, `whatsapp`, …) for channel messages. */
  readonly surface: string;
  readonly sessionKey: string;
  readonly agentId: string;
  /** The device, client or channel sender id. */
  readonly senderId: string;
  readonly senderName?: string | undefined;
  /** The owner may run every command; anyone else only those that change nothing. See docs/COMMANDS.md. */
  readonly isOwner: boolean;
  /** Set for channel messages. */
  readonly chat?: { readonly channel: string; readonly accountId: string; readonly id: string; readonly kind: "dm" | "group" } | undefined;
}

/** A command's answer: plain text, shown as the assistant's reply on the caller's surface. */
export interface CommandAnswer {
  readonly text: string;
}

/** One argument of a command, as `commands.list` describes it with `includeArgs`. */
export interface CommandArg {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  readonly choices?: readonly string[];
  /** The choices depend on the session (thinking levels per model). */
  readonly dynamic?: boolean;
}

export type CommandCategory = "status" | "session" | "options" | "management";

/** One chat command: its names, what it takes, who may run it, and what it does. */
export interface ChatCommand {
  readonly name: string;
  /** Every spelling that runs it, each with its slash; the first is `/name`. */
  readonly textAliases: readonly string[];
  readonly description: string;
  readonly category: CommandCategory;
  readonly args?: readonly CommandArg[];
  /** Takes free text after the name (even without declared args). */
  readonly acceptsArgs: boolean;
  /** `owner` for commands that change anything; `anyone` for those that only read. */
  readonly access: "anyone" | "owner";
  run(args: string, caller: CommandCaller, deps: CommandDeps): Promise<CommandAnswer> | CommandAnswer;
}

/** What the commands act on. Optional services are absent when the gateway runs without them. */
export interface CommandDeps {
  readonly bridge: AgentBridge;
  readonly version: string;
  readonly startedAt: number;
  readonly now: () => number;
  readonly commands: () => readonly ChatCommand[];
  readonly approvals?: CommandApprovals | undefined;
  readonly devices?: CommandDevices | undefined;
  readonly allowlist?: CommandAllowlist | undefined;
}

/** Pending exec approvals, as `/approve` lists and decides them. */
export interface CommandApprovals {
  list(): readonly { id: string; command: string; host?: string | undefined; expiresAtMs: number }[];
  resolve(id: string, decision: "allow-once" | "allow-always" | "deny", by: string): void;
}

/** Device pairing requests, as `/pair` lists and decides them. */
export interface CommandDevices {
  pending(): readonly { requestId: string; deviceId: string; displayName?: string | undefined; role?: string | undefined; remoteIp?: string | undefined }[];
  approve(requestId: string, by: string): { deviceId: string };
  reject(requestId: string): { deviceId: string };
}

/** The DM allowlist of one channel account, as `/allowlist` edits it. */
export interface CommandAllowlist {
  list(channel: string, accountId: string): { configured: readonly string[]; approved: readonly string[] };
  add(channel: string, accountId: string, senderId: string): void;
  remove(channel: string, accountId: string, senderId: string): boolean;
  /** Whether the account exists, so a typo is answered rather than stored. */
  has(channel: string, accountId: string): boolean;
}

/** A usage error: the text tells the caller the right form. */
export class CommandUsageError extends Error {}
