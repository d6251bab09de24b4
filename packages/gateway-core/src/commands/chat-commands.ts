import type { TranscriptEntry } from "@openclaw/agent";
import { GatewayError } from "../errors.js";
import { infoCommands } from "./info-commands.js";
import { optionCommands } from "./option-commands.js";
import { ownerCommands } from "./owner-commands.js";
import { indexCommands, parseCommand, type ParsedCommand } from "./parse.js";
import { sessionCommands } from "./session-commands.js";
import type { ChatCommand, CommandCaller, CommandDeps } from "./types.js";

/** Every command this gateway answers, in the order `/commands` and `commands.list` show them. */
export const CHAT_COMMANDS: readonly ChatCommand[] = [...infoCommands, ...sessionCommands, ...optionCommands, ...ownerCommands];

/** A command's outcome: its reply, and the two transcript entries that record it. */
export interface CommandOutcome {
  readonly name: string;
  readonly text: string;
  /** False when the command was refused or failed; `text` says why. */
  readonly ok: boolean;
  readonly reply: TranscriptEntry;
}

/** `commands.list` as clients ask for it: `includeArgs` adds each command's arguments and choices. */
export function describeCommands(commands: readonly ChatCommand[], options: { includeArgs?: boolean | undefined }) {
  return commands.map((command) => ({
    name: command.name,
    nativeName: command.name,
    textAliases: [...command.textAliases],
    description: command.description,
    category: command.category,
    source: "native",
    scope: "both",
    acceptsArgs: command.acceptsArgs,
    ...(options.includeArgs && command.args
      ? {
          args: command.args.map((arg) => ({
            name: arg.name,
            description: arg.description,
            type: "string",
            ...(arg.required ? { required: true } : {}),
            ...(arg.choices ? { choices: arg.choices.map((value) => ({ value, label: value })) } : {}),
            ...(arg.dynamic ? { dynamic: true } : {}),
          })),
        }
      : {}),
  }));
}

/**
 * The chat-command layer: every inbound text (`chat.send`, `agent`, channel messages) passes
 * through `parse` before the model; a command is answered here, recorded in the transcript as a
 * command (the model never sees it) and costs no tokens.
 */
export class ChatCommands {
  readonly commands: readonly ChatCommand[];
  private readonly byAlias: ReadonlyMap<string, ChatCommand>;
  private readonly deps: CommandDeps;

  constructor(deps: Omit<CommandDeps, "commands">, commands: readonly ChatCommand[] = CHAT_COMMANDS) {
    this.commands = commands;
    this.byAlias = indexCommands(commands);
    this.deps = { ...deps, commands: () => this.commands };
  }

  /** The command `text` runs, or undefined when it is a message for the model. */
  parse(text: string): ParsedCommand | undefined {
    return parseCommand(text, this.byAlias);
  }

  list(options: { includeArgs?: boolean | undefined } = {}) {
    return { commands: describeCommands(this.commands, options) };
  }

  /**
   * Run `parsed` for `caller`, then record the message and the reply in the caller's session.
   * Refusals and failures are answers too (`ok: false`); nothing here throws for bad input.
   */
  async execute(parsed: ParsedCommand, caller: CommandCaller, message: string, runId: string | undefined): Promise<CommandOutcome> {
    const { command } = parsed;
    let text: string;
    let ok = false;
    if (command.access === "owner" && !caller.isOwner) {
      text = `Only the owner can use ${parsed.alias} here.`;
    } else {
      try {
        text = (await command.run(parsed.args, caller, this.deps)).text;
        ok = true;
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        text = error instanceof GatewayError ? `${parsed.alias}: ${reason}` : `${parsed.alias} failed: ${reason}`;
      }
    }
    const reply = this.record(caller, command.name, message, text, runId);
    return { name: command.name, text, ok, reply };
  }

  /** The command and its answer join the transcript (of the new session, after `/new` or `/reset`). */
  private record(caller: CommandCaller, name: string, message: string, text: string, runId: string | undefined): TranscriptEntry {
    const { store } = this.deps.bridge;
    const now = this.deps.now();
    store.ensureSession(caller.sessionKey, caller.agentId, now);
    return store.transaction(() => {
      store.append({ sessionKey: caller.sessionKey, runId, role: "user", text: message, command: name, createdAtMs: now });
      return store.append({ sessionKey: caller.sessionKey, runId, role: "assistant", text, command: name, createdAtMs: now });
    });
  }
}
