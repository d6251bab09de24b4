/** A gateway chat command as `commands.list` describes it (only the fields the TUI uses). */
export interface GatewayCommand {
  readonly name: string;
  readonly description?: string | undefined;
  readonly textAliases?: readonly string[] | undefined;
  readonly acceptsArgs?: boolean | undefined;
}

/** What a submitted line asks for: a TUI command, or text for the gateway (a message or a gateway command). */
export type InputAction =
  | { readonly kind: "empty" }
  | { readonly kind: "quit" }
  | { readonly kind: "help" }
  | { readonly kind: "abort" }
  | { readonly kind: "sessions"; readonly target?: string }
  | { readonly kind: "send"; readonly text: string };

/** Commands the TUI answers itself; every other `/word` goes to the gateway. */
export const LOCAL_COMMANDS: readonly { readonly alias: string; readonly description: string }[] = [
  { alias: "/help", description: "list the commands (the gateway's and the TUI's own)" },
  { alias: "/sessions", description: "list sessions; /sessions <n|key> switches to one (a new key starts a session)" },
  { alias: "/abort", description: "abort the running reply (also Esc)" },
  { alias: "/quit", description: "leave the TUI (also /exit, Ctrl+C)" },
];

/** Read a submitted line. */
export function parseInput(line: string): InputAction {
  const text = line.trim();
  if (text === "") return { kind: "empty" };
  const [word = "", ...rest] = text.split(/\s+/);
  const args = rest.join(" ");
  switch (word.toLowerCase()) {
    case "/quit":
    case "/exit":
      return { kind: "quit" };
    case "/help":
      return { kind: "help" };
    case "/abort":
      return { kind: "abort" };
    case "/sessions":
    case "/session":
      return args === "" ? { kind: "sessions" } : { kind: "sessions", target: args };
    default:
      return { kind: "send", text };
  }
}

/** Every alias the user can type: the TUI's own, then the gateway's (each command's text aliases, or `/name`). */
export function commandAliases(commands: readonly GatewayCommand[]): string[] {
  const aliases = new Set(LOCAL_COMMANDS.map((command) => command.alias).concat("/exit"));
  for (const command of commands) for (const alias of command.textAliases?.length ? command.textAliases : [`/${command.name}`]) aliases.add(alias);
  return [...aliases];
}

/** `/help`: the gateway's commands from `commands.list`, then the TUI's own. */
export function helpText(commands: readonly GatewayCommand[]): string {
  const lines = ["Gateway commands:"];
  if (commands.length === 0) lines.push("  (the gateway lists none)");
  for (const command of commands) {
    const alias = command.textAliases?.[0] ?? `/${command.name}`;
    lines.push(`  ${alias.padEnd(14)} ${command.description ?? ""}`.trimEnd());
  }
  lines.push("TUI commands:");
  for (const command of LOCAL_COMMANDS) lines.push(`  ${command.alias.padEnd(14)} ${command.description}`);
  lines.push("Keys: Enter sends, Esc aborts a running reply, Tab completes a command, Up/Down recall, PgUp/PgDn scroll.");
  return lines.join("\n");
}

/**
 * Tab on a line that is a command being typed (`/mo`): the completed line, and the candidates
 * when more than one alias fits. Anything else is left as it is.
 */
export function completeCommand(line: string, aliases: readonly string[]): { line: string; candidates: string[] } {
  if (!line.startsWith("/") || /\s/.test(line)) return { line, candidates: [] };
  const typed = line.toLowerCase();
  const matches = aliases.filter((alias) => alias.toLowerCase().startsWith(typed)).sort();
  if (matches.length === 0) return { line, candidates: [] };
  if (matches.length === 1) return { line: `${matches[0]} `, candidates: [] };
  let prefix = matches[0]!;
  for (const alias of matches) while (!alias.toLowerCase().startsWith(prefix.toLowerCase())) prefix = prefix.slice(0, -1);
  return { line: prefix.length > line.length ? prefix : line, candidates: matches };
}
