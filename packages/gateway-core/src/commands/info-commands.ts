import type { ChatCommand, CommandCaller, CommandDeps } from "./types.js";

/** `2h 5m`, `3m 12s`, `41s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [d, h, m, s] = [Math.floor(seconds / 86_400), Math.floor((seconds % 86_400) / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  if (m > 0) return `${m}m ${s}s`;
  return `${s}s`;
}

/** The `/status` text: model, session, tokens, queue, uptime and channel. */
export function statusText(caller: CommandCaller, deps: CommandDeps): string {
  const { bridge } = deps;
  const session = bridge.store.session(caller.sessionKey);
  const resolved = bridge.settings.resolve(caller.sessionKey, caller.agentId);
  const options = session?.options ?? {};
  const active = bridge.runtime.activeRunIds(caller.sessionKey).length;
  const usage = session?.usage ?? { inputTokens: 0, outputTokens: 0 };
  const thinking =
    resolved.thinkingLevels.length === 0
      ? "thinking: none for this model"
      : `thinking: ${options.thinkingLevel ?? resolved.thinkingLevel ?? "off"} (levels: ${resolved.thinkingLevels.map((level) => level.id).join(", ")})`;
  const lines = [
    `OpenClaw Gateway ${deps.version}`,
    `Model: ${resolved.modelProvider}/${resolved.model} · ${thinking}`,
    `Session: ${caller.sessionKey}${session ? ` · id ${session.sessionId.slice(0, 8)} · ${bridge.store.count(caller.sessionKey)} entries` : " · new"}${session?.label ? ` · "${session.label}"` : ""}`,
    `Tokens: ${usage.inputTokens} in · ${usage.outputTokens} out (${usage.inputTokens + usage.outputTokens} total)`,
    `Queue: ${options.queueMode ?? "followup"} · ${active} ${active === 1 ? "run" : "runs"} active`,
    `Options: verbose ${options.verboseLevel ?? "off"} · reasoning ${options.reasoningLevel ?? "off"} · usage ${options.responseUsage ?? "off"} · send ${options.sendPolicy ?? "inherit"}${caller.chat?.kind === "group" ? ` · activation ${options.groupActivation ?? "mention"}` : ""}`,
    `Uptime: ${formatDuration(deps.now() - deps.startedAt)}`,
    `Channel: ${caller.chat ? `${caller.chat.channel} (account ${caller.chat.accountId}, ${caller.chat.kind})` : caller.surface}`,
  ];
  return lines.join("\n");
}

function commandLine(command: ChatCommand): string {
  const args = command.args?.map((arg) => (arg.choices ? `<${arg.choices.join("|")}>` : arg.required ? `<${arg.name}>` : `[${arg.name}]`)).join(" ");
  const aliases = command.textAliases.slice(1);
  return `${command.textAliases[0]}${args ? ` ${args}` : ""}: ${command.description}${aliases.length > 0 ? ` (also ${aliases.join(", ")})` : ""}`;
}

export const infoCommands: readonly ChatCommand[] = [
  {
    name: "help",
    textAliases: ["/help"],
    description: "Show available commands.",
    category: "status",
    acceptsArgs: false,
    access: "anyone",
    run: (_args, caller) => ({
      text: [
        "Commands run in the gateway; the model never sees them.",
        "/status shows the model, session, tokens and uptime; /commands lists every command.",
        "/new or /reset starts over; /stop ends the current run; /think, /model, /verbose change this session.",
        caller.isOwner ? "You are the owner here: every command is yours." : "Commands that change settings are for the owner only.",
      ].join("\n"),
    }),
  },
  {
    name: "commands",
    textAliases: ["/commands"],
    description: "List all slash commands.",
    category: "status",
    acceptsArgs: false,
    access: "anyone",
    run: (_args, caller, deps) => {
      const visible = deps.commands().filter((command) => caller.isOwner || command.access === "anyone");
      return { text: visible.map(commandLine).join("\n") };
    },
  },
  {
    name: "status",
    textAliases: ["/status"],
    description: "Show current status.",
    category: "status",
    acceptsArgs: true,
    access: "anyone",
    run: (_args, caller, deps) => ({ text: statusText(caller, deps) }),
  },
  {
    name: "whoami",
    textAliases: ["/whoami", "/id"],
    description: "Show your sender id.",
    category: "status",
    acceptsArgs: false,
    access: "anyone",
    run: (_args, caller) => ({
      text: [
        `Sender: ${caller.senderId}${caller.senderName && caller.senderName !== caller.senderId ? ` (${caller.senderName})` : ""}`,
        `Surface: ${caller.chat ? `${caller.chat.channel}, account ${caller.chat.accountId}, chat ${caller.chat.id} (${caller.chat.kind})` : caller.surface}`,
        `Owner: ${caller.isOwner ? "yes" : "no"}`,
        ...(caller.chat ? [`Owner entry for the config: "${caller.chat.channel}:${caller.senderId}" in commands.ownerAllowFrom`] : []),
      ].join("\n"),
    }),
  },
  {
    name: "models",
    textAliases: ["/models"],
    description: "List model providers/models.",
    category: "options",
    acceptsArgs: true,
    access: "anyone",
    run: async (_args, caller, deps) => {
      const models = await deps.bridge.listModels();
      const current = deps.bridge.settings.resolve(caller.sessionKey, caller.agentId);
      const currentRef = `${current.modelProvider}/${current.model}`;
      if (models.length === 0) return { text: `No models listed. This session uses ${currentRef}.` };
      const lines = models.map((model) => {
        const ref = model.id.startsWith(`${model.provider}/`) ? model.id : `${model.provider}/${model.id}`;
        return `${ref === currentRef ? "* " : "  "}${ref}${model.name && model.name !== model.id ? ` (${model.name})` : ""}`;
      });
      return { text: [`Models (* = this session; change with /model <provider/model>):`, ...lines].join("\n") };
    },
  },
];
