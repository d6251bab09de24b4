import { randomUUID } from "node:crypto";
import { compactSession } from "@openclaw/agent";
import { InvalidInputError } from "../errors.js";
import type { ChatCommand, CommandCaller, CommandDeps } from "./types.js";

/** Abort the session's runs, then give it a new session id and an empty transcript. */
function startOver(caller: CommandCaller, deps: CommandDeps, reason: "new" | "reset"): string {
  const { bridge } = deps;
  bridge.runtime.abortSession(caller.sessionKey);
  bridge.store.ensureSession(caller.sessionKey, caller.agentId, deps.now());
  const session = bridge.store.resetSession(caller.sessionKey, deps.now())!;
  bridge.sessionsChanged({ sessionKey: caller.sessionKey, reason, ts: deps.now() });
  return session.sessionId;
}

function refuseWhileRunning(caller: CommandCaller, deps: CommandDeps, command: string): void {
  if (deps.bridge.runtime.activeRunIds(caller.sessionKey).length > 0)
    throw new InvalidInputError(`a run is in progress in this session; /stop it or wait for it to finish, then ${command}`);
}

export const sessionCommands: readonly ChatCommand[] = [
  {
    name: "new",
    textAliases: ["/new"],
    description: "Start a new session.",
    category: "session",
    args: [{ name: "model", description: "Model for the new session (provider/model)" }],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const model = args.split(/\s+/)[0] ?? "";
      // Check the model before anything is reset, so a typo leaves the session as it was.
      if (model !== "") deps.bridge.settings.thinking(model, caller.agentId);
      const sessionId = startOver(caller, deps, "new");
      if (model !== "") deps.bridge.settings.patch(caller.sessionKey, { model }, caller.agentId);
      const resolved = deps.bridge.settings.resolve(caller.sessionKey, caller.agentId);
      return { text: `New session started (id ${sessionId.slice(0, 8)}) on ${resolved.modelProvider}/${resolved.model}.` };
    },
  },
  {
    name: "reset",
    textAliases: ["/reset"],
    description: "Reset the current session.",
    category: "session",
    acceptsArgs: false,
    access: "owner",
    run: (_args, caller, deps) => {
      const sessionId = startOver(caller, deps, "reset");
      return { text: `Session reset: the history is cleared (new id ${sessionId.slice(0, 8)}); settings are kept.` };
    },
  },
  {
    name: "name",
    textAliases: ["/name"],
    description: "Name or rename the current session.",
    category: "session",
    args: [{ name: "title", description: "New session name" }],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      const current = deps.bridge.store.session(caller.sessionKey)?.label;
      if (args === "")
        return {
          text: current ? `This session is named "${current}". Rename it with /name <title>.` : "This session has no name. Name it with /name <title>.",
        };
      if (args.length > 512) throw new InvalidInputError("a session name is at most 512 characters");
      deps.bridge.settings.patch(caller.sessionKey, { label: args }, caller.agentId);
      return { text: `Session named "${args}".` };
    },
  },
  {
    name: "stop",
    textAliases: ["/stop"],
    description: "Stop the current run.",
    category: "session",
    acceptsArgs: false,
    access: "owner",
    run: (_args, caller, deps) => {
      const stopped = deps.bridge.runtime.abortSession(caller.sessionKey);
      return {
        text:
          stopped.length === 0 ? "Nothing to stop: no run is in progress." : `Stopped ${stopped.length === 1 ? "the current run" : `${stopped.length} runs`}.`,
      };
    },
  },
  {
    name: "steer",
    textAliases: ["/steer", "/tell"],
    description: "Send guidance to the active run in this session.",
    category: "management",
    args: [{ name: "message", description: "Steering message", required: true }],
    acceptsArgs: true,
    access: "owner",
    run: (args, caller, deps) => {
      if (args === "") throw new InvalidInputError("/steer needs the guidance to send, e.g. /steer keep it short");
      if (deps.bridge.runtime.activeRunIds(caller.sessionKey).length === 0) return { text: "No run is in progress to steer; send your message as usual." };
      deps.bridge.runtime.submit({ runId: randomUUID(), sessionKey: caller.sessionKey, agentId: caller.agentId, message: args, queueMode: "steer" });
      return { text: "Guidance sent: the current run reads it at its next step." };
    },
  },
  {
    name: "compact",
    textAliases: ["/compact"],
    description: "Compact the session context.",
    category: "session",
    args: [{ name: "instructions", description: "Extra compaction instructions" }],
    acceptsArgs: true,
    access: "owner",
    run: async (args, caller, deps) => {
      refuseWhileRunning(caller, deps, "/compact");
      const { bridge } = deps;
      const session = bridge.store.session(caller.sessionKey);
      const { provider, model } = session?.model ? bridge.resolveModelRef(session.model, caller.agentId) : bridge.configuredModel(caller.agentId);
      const result = await compactSession({ store: bridge.store, provider, model, sessionKey: caller.sessionKey, instructions: args, now: deps.now });
      if (!result) return { text: "Nothing to compact yet." };
      // The summary cost tokens: they count in the session's totals like a run's.
      if (result.usage)
        bridge.store.recordUsage({
          runId: `compact-${result.summary.id}`,
          sessionKey: caller.sessionKey,
          sessionId: bridge.store.session(caller.sessionKey)!.sessionId,
          provider: provider.id,
          model,
          ...result.usage,
          createdAtMs: deps.now(),
        });
      bridge.sessionsChanged({ sessionKey: caller.sessionKey, reason: "compacted", ts: deps.now() });
      return { text: `Compacted ${result.compacted} entries into a summary (${result.summary.text.length} characters); the model continues from it.` };
    },
  },
];
