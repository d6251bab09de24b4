import { AGENT_WAIT_TIMEOUT_MS, ErrorCodes } from "@openclaw/protocol";
import type { RunOutcome } from "@openclaw/agent";
import { DEFAULT_AGENT, type AgentBridge } from "../agent/agent-bridge.js";
import { readChatHistory } from "../agent/chat-history.js";
import { ADMIN_SCOPE, WireErrors } from "@openclaw/protocol";
import type { ChatCommands, CommandOutcome } from "../commands/chat-commands.js";
import type { ParsedCommand } from "../commands/parse.js";
import type { CommandCaller } from "../commands/types.js";
import { IdempotencyCache, reusedKeyError } from "../dispatch/idempotency.js";
import { commandCaller } from "../commands/callers.js";
import { ForbiddenError, InvalidInputError, MethodError } from "../errors.js";
import type { MediaStore } from "../media/media-store.js";
import { storeUploadedAttachments, type UploadedAttachment } from "../media/uploaded-attachments.js";
import type { MethodHandlers } from "./types.js";

/** `agent:<agentId>:main` unless a key is given. */
export function resolveSessionKey(params: { sessionKey?: string | undefined; agentId?: string | undefined }): string {
  return params.sessionKey ?? `agent:${params.agentId ?? DEFAULT_AGENT}:main`;
}

function finalPayload(outcome: RunOutcome) {
  return {
    runId: outcome.runId,
    status: "ok" as const,
    summary: "completed",
    sessionKey: outcome.sessionKey,
    result: {
      payloads: [{ text: outcome.text }],
      meta: {
        durationMs: outcome.endedAt - outcome.startedAt,
        agentMeta: { provider: outcome.provider, model: outcome.model, ...(outcome.usage ? { usage: outcome.usage } : {}) },
      },
    },
  };
}

/** `agent`, `agent.wait`, `chat.*`, `commands.list` and the start-up lists, backed by the agent bridge. The sessions methods are in `sessions.ts`, agents and models in `models.ts`. */
export function createAgentHandlers(bridge: AgentBridge, commands?: ChatCommands, media?: MediaStore): MethodHandlers {
  const { store, runtime } = bridge;
  /** The request's files, stored; `{}` when it has none, so a run without files is submitted as before. */
  const uploaded = async (attachments: readonly UploadedAttachment[] | undefined) => {
    const stored = await storeUploadedAttachments(attachments ?? [], media);
    return stored.length > 0 ? { attachments: stored } : {};
  };
  /**
   * Commands by idempotency key: a retried `/reset` gets the first answer instead of resetting
   * twice. Runs are deduplicated by the runtime; commands never reach it.
   */
  const commandRuns = new IdempotencyCache<CommandOutcome>(undefined, undefined, bridge.now);
  /** The earlier run of this key, or undefined when it is new; a key reused with another message is refused. */
  const earlierCommand = (method: string, key: string, message: string) => {
    const known = commandRuns.lookup(key);
    if (known && known.fingerprint !== message) throw new MethodError(reusedKeyError(method, key));
    return known;
  };
  /** Runs a command whose key `earlierCommand` found new (so `run` meets no conflict in between). */
  const runCommand = (method: string, key: string, parsed: ParsedCommand, caller: CommandCaller, message: string) =>
    commandRuns.run(
      key,
      message,
      () => commands!.execute(parsed, caller, message, key),
      () => {
        throw new MethodError(reusedKeyError(method, key));
      },
    );
  return {
    agent: async (params, context) => {
      const sessionKey = resolveSessionKey(params);
      const command = commands?.parse(params.message);
      if (command) {
        // Starting over through `agent` needs admin, as the method's scope table says for /new and /reset.
        if ((command.command.name === "new" || command.command.name === "reset") && !context.scopes.includes(ADMIN_SCOPE))
          throw ForbiddenError.fromWire(WireErrors.missingScope(ADMIN_SCOPE));
        const startedAt = bridge.now();
        const earlier = earlierCommand("agent", params.idempotencyKey, params.message);
        if (!earlier) context.accept({ runId: params.idempotencyKey, status: "accepted" as const, acceptedAt: startedAt, sessionKey });
        const caller = commandCaller(context, sessionKey, params.agentId ?? DEFAULT_AGENT);
        const outcome = await (earlier?.settled ?? runCommand("agent", params.idempotencyKey, command, caller, params.message));
        if (!earlier) bridge.showReply(params.idempotencyKey, outcome.reply);
        return {
          runId: params.idempotencyKey,
          status: "ok" as const,
          summary: outcome.ok ? "command" : "command refused",
          sessionKey,
          result: { payloads: [{ text: outcome.text }], meta: { durationMs: bridge.now() - startedAt, command: outcome.name } },
        };
      }
      const files = await uploaded(params.attachments);
      const submission = runtime.submit({
        runId: params.idempotencyKey,
        sessionKey,
        agentId: params.agentId ?? DEFAULT_AGENT,
        message: params.message,
        ...files,
        resumeAfterRestart: true,
      });
      const { run } = submission;
      const ack = { runId: run.runId, status: "accepted" as const, acceptedAt: bridge.now(), sessionKey };
      if (submission.duplicate === "in_flight") return ack;
      if (submission.duplicate !== "completed") context.accept(ack);
      // The caller's cancel frame for this request stops the run it started.
      const onCancel = () => run.abort("cancelled by the client");
      if (submission.duplicate === "none") context.cancelled?.addEventListener("abort", onCancel, { once: true });
      const outcome = await run.done.finally(() => context.cancelled?.removeEventListener("abort", onCancel));
      if (outcome.status === "ok") return finalPayload(outcome);
      const summary = outcome.status === "aborted" ? "aborted" : (outcome.error ?? "run failed");
      // A run cut short by the gateway's own shutdown is worth retrying once it is back.
      const byShutdown = outcome.status === "aborted" && outcome.error === "gateway stopping";
      throw new MethodError(
        {
          code: ErrorCodes.UNAVAILABLE,
          message: byShutdown ? "gateway stopping; retry the run when it is back" : summary,
          ...(byShutdown ? { retryable: true, retryAfterMs: 1000 } : {}),
        },
        { payload: { runId: run.runId, status: outcome.status === "aborted" ? "timeout" : "error", summary, sessionKey } },
      );
    },

    "agent.wait": async (params) => {
      // A run that finished longer ago than the result cache keeps is not found; an id not
      // seen yet is waited for like any other, since its run may still be submitted.
      if (runtime.forgotten(params.runId)) {
        throw new MethodError({
          code: ErrorCodes.AGENT_RESULT_NOT_FOUND,
          message: `agent.wait: run ${params.runId} ended too long ago to have its result cached; read it with chat.history`,
        });
      }
      const outcome = await runtime.wait(params.runId, params.timeoutMs ?? AGENT_WAIT_TIMEOUT_MS);
      if (!outcome) return { runId: params.runId, status: "timeout" as const };
      return {
        runId: outcome.runId,
        status: outcome.status === "ok" ? ("ok" as const) : ("error" as const),
        summary: outcome.status === "ok" ? "completed" : outcome.status === "aborted" ? "aborted" : (outcome.error ?? "run failed"),
        startedAt: outcome.startedAt,
        endedAt: outcome.endedAt,
        outputText: outcome.text,
        sessionKey: outcome.sessionKey,
        ...(outcome.error ? { error: outcome.error } : {}),
      };
    },

    "chat.send": async (params, context) => {
      const hasFiles = (params.attachments?.length ?? 0) > 0;
      if (params.message.trim().length === 0 && !hasFiles) throw new InvalidInputError("chat.send needs a non-empty message or an attachment");
      const command = hasFiles ? undefined : commands?.parse(params.message);
      if (command) {
        const earlier = earlierCommand("chat.send", params.idempotencyKey, params.message);
        if (earlier) return { runId: params.idempotencyKey, status: earlier.outcome ? ("ok" as const) : ("in_flight" as const) };
        const caller = commandCaller(context, params.sessionKey, params.agentId ?? DEFAULT_AGENT);
        const outcome = await runCommand("chat.send", params.idempotencyKey, command, caller, params.message);
        // Answered like a run: `started`, then the reply as the run's chat final (clients wait for it).
        bridge.afterAnswer(() => bridge.showReply(params.idempotencyKey, outcome.reply));
        return { runId: params.idempotencyKey, status: "started" as const };
      }
      const files = await uploaded(params.attachments);
      const submission = runtime.submit({
        runId: params.idempotencyKey,
        sessionKey: params.sessionKey,
        agentId: params.agentId ?? DEFAULT_AGENT,
        message: params.message,
        ...files,
        queueMode: params.queueMode ?? store.session(params.sessionKey)?.options.queueMode ?? "followup",
        resumeAfterRestart: true,
      });
      if (submission.duplicate === "in_flight") return { runId: params.idempotencyKey, status: "in_flight" as const };
      if (submission.duplicate === "completed") return { runId: params.idempotencyKey, status: submission.run.outcome!.status };
      bridge.sessionsChanged({ sessionKey: params.sessionKey, reason: "run-started", activeRunIds: runtime.activeRunIds(params.sessionKey), ts: bridge.now() });
      return { runId: params.idempotencyKey, status: "started" as const };
    },

    "chat.abort": (params) => {
      const runIds = runtime.abortSession(params.sessionKey, params.runId);
      return { ok: true as const, aborted: runIds.length > 0, runIds };
    },

    "chat.history": (params) => readChatHistory(store, params),

    "chat.inject": (params) => ({
      ok: true as const,
      ...bridge.inject({ sessionKey: params.sessionKey, agentId: params.agentId ?? DEFAULT_AGENT, message: params.message }),
    }),

    "commands.list": (params) => commands?.list({ includeArgs: params.includeArgs }) ?? { commands: [] },

    "question.list": () => ({ questions: [] }),
    "plugin.approval.list": () => [],
    "taskSuggestions.list": () => ({ suggestions: [] }),
  };
}
