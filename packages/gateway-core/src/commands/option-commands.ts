import { OPTION_VALUES, THINKING_OFF, type SettingsPatch } from "../agent/session-settings.js";
import { InvalidInputError } from "../errors.js";
import type { ChatCommand, CommandCaller, CommandDeps } from "./types.js";

/** Words that put a setting back to its default. */
const DEFAULT_WORDS = new Set(["default", "inherit", "reset", "clear"]);

function patchSession(caller: CommandCaller, deps: CommandDeps, patch: SettingsPatch): void {
  deps.bridge.settings.patch(caller.sessionKey, patch, caller.agentId);
}

/** A command that shows a session option without arguments and sets it with one of `values`. */
function optionCommand(spec: {
  name: string;
  textAliases: readonly string[];
  description: string;
  option: keyof typeof OPTION_VALUES;
  label: string;
  /** Typed word → stored value, for words that differ (`/send on` stores `allow`). */
  words?: Readonly<Record<string, string>>;
  fallback: string;
}): ChatCommand {
  const typed = spec.words ? Object.keys(spec.words) : [...OPTION_VALUES[spec.option]];
  return {
    name: spec.name,
    textAliases: spec.textAliases,
    description: spec.description,
    category: spec.option === "groupActivation" || spec.option === "sendPolicy" ? "management" : "options",
    args: [{ name: "mode", description: typed.join(", "), choices: typed }],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const current = deps.bridge.store.session(caller.sessionKey)?.options[spec.option] as string | undefined;
      const word = args.toLowerCase();
      if (word === "") return { text: `${spec.label}: ${current ?? `${spec.fallback} (default)`}. Set it with ${spec.textAliases[0]} <${typed.join("|")}>.` };
      if (DEFAULT_WORDS.has(word)) {
        patchSession(caller, deps, { [spec.option]: null });
        return { text: `${spec.label} back to the default (${spec.fallback}).` };
      }
      const value = spec.words ? spec.words[word] : word;
      if (value === undefined || !(OPTION_VALUES[spec.option] as readonly string[]).includes(value))
        throw new InvalidInputError(`${spec.textAliases[0]} takes ${typed.join(", ")} (or default), not "${args}"`);
      patchSession(caller, deps, { [spec.option]: value });
      return { text: `${spec.label} set to ${word}.` };
    },
  };
}

function thinkText(caller: CommandCaller, deps: CommandDeps): string {
  const resolved = deps.bridge.settings.resolve(caller.sessionKey, caller.agentId);
  const current = deps.bridge.store.session(caller.sessionKey)?.options.thinkingLevel;
  const model = `${resolved.modelProvider}/${resolved.model}`;
  if (resolved.thinkingLevels.length === 0)
    return `Thinking: ${current ?? THINKING_OFF}. ${model} takes no thinking levels (${resolved.thinkingUnsupportedReason}).`;
  const levels = [THINKING_OFF, ...resolved.thinkingLevels.map((level) => level.id)].join(", ");
  return `Thinking: ${current ?? resolved.thinkingLevel ?? THINKING_OFF}${current === undefined ? " (default)" : ""}. ${model} takes ${levels}.`;
}

export const optionCommands: readonly ChatCommand[] = [
  {
    name: "think",
    textAliases: ["/think", "/thinking", "/t"],
    description: "Set thinking level.",
    category: "options",
    args: [{ name: "level", description: "Thinking level", dynamic: true }],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const level = args.toLowerCase();
      if (level === "") return { text: thinkText(caller, deps) };
      patchSession(caller, deps, { thinkingLevel: DEFAULT_WORDS.has(level) ? null : level });
      return { text: DEFAULT_WORDS.has(level) ? "Thinking back to the model's default." : `Thinking set to ${level}.` };
    },
  },
  optionCommand({
    name: "verbose",
    textAliases: ["/verbose", "/v"],
    description: "Toggle verbose mode.",
    option: "verboseLevel",
    label: "Verbose",
    fallback: "off",
  }),
  optionCommand({
    name: "reasoning",
    textAliases: ["/reasoning", "/reason"],
    description: "Toggle reasoning visibility.",
    option: "reasoningLevel",
    label: "Reasoning",
    fallback: "off",
  }),
  optionCommand({
    name: "usage",
    textAliases: ["/usage"],
    description: "Usage footer or cost summary.",
    option: "responseUsage",
    label: "Usage footer",
    fallback: "off",
  }),
  optionCommand({
    name: "queue",
    textAliases: ["/queue"],
    description: "Adjust queue settings.",
    option: "queueMode",
    label: "Queue mode",
    fallback: "followup",
  }),
  optionCommand({
    name: "send",
    textAliases: ["/send"],
    description: "Set send policy.",
    option: "sendPolicy",
    label: "Send policy",
    words: { on: "allow", off: "deny" },
    fallback: "inherit",
  }),
  optionCommand({
    name: "activation",
    textAliases: ["/activation"],
    description: "Set group activation mode.",
    option: "groupActivation",
    label: "Group activation",
    fallback: "mention",
  }),
  {
    name: "model",
    textAliases: ["/model"],
    description: "Show or set the model.",
    category: "options",
    args: [{ name: "model", description: "Model ref (provider/model), or default" }],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const resolved = deps.bridge.settings.resolve(caller.sessionKey, caller.agentId);
      if (args === "") return { text: `Model: ${resolved.modelProvider}/${resolved.model}. Change it with /model <provider/model>; /models lists them.` };
      const ref = args.split(/\s+/)[0]!;
      if (DEFAULT_WORDS.has(ref.toLowerCase())) {
        patchSession(caller, deps, { model: null });
        const back = deps.bridge.settings.resolve(caller.sessionKey, caller.agentId);
        return { text: `Model back to the default: ${back.modelProvider}/${back.model}.` };
      }
      patchSession(caller, deps, { model: ref });
      const now = deps.bridge.settings.resolve(caller.sessionKey, caller.agentId);
      return { text: `Model set to ${now.modelProvider}/${now.model}.` };
    },
  },
];
