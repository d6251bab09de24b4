import type { ChatCommand } from "./types.js";

/** A message that names a known command: the command, and the text after its name. */
export interface ParsedCommand {
  readonly command: ChatCommand;
  /** What followed the name, trimmed; empty when nothing did. */
  readonly args: string;
  /** The alias as typed, lower-cased (`/t`, `/thinking`). */
  readonly alias: string;
}

const COMMAND_TEXT = /^\/([A-Za-z][\w-]*)(?:@[\w.-]+)?(?:\s+([\s\S]*))?$/;

/** Commands by each alias (with its slash, lower case). */
export function indexCommands(commands: readonly ChatCommand[]): ReadonlyMap<string, ChatCommand> {
  const byAlias = new Map<string, ChatCommand>();
  for (const command of commands) {
    for (const alias of command.textAliases) {
      if (byAlias.has(alias)) throw new Error(`two chat commands claim ${alias}`);
      byAlias.set(alias.toLowerCase(), command);
    }
  }
  return byAlias;
}

/**
 * The command a message runs, or undefined when it is not one: it must start with `/` and a
 * known name (Telegram's `/name@bot` form included). Unknown `/words` go to the model as text.
 * A command that takes no arguments is a command only when nothing follows its name.
 */
export function parseCommand(text: string, byAlias: ReadonlyMap<string, ChatCommand>): ParsedCommand | undefined {
  const match = COMMAND_TEXT.exec(text.trim());
  if (!match) return undefined;
  const alias = `/${match[1]!.toLowerCase()}`;
  const command = byAlias.get(alias);
  if (!command) return undefined;
  const args = (match[2] ?? "").trim();
  if (args !== "" && !command.acceptsArgs) return undefined;
  return { command, args, alias };
}
