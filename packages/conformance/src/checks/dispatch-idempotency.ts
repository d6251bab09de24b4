// Idempotent replay (§6.1, §7.5–7.6): a chat.send repeated with the same idempotencyKey gets the
// cached answer and starts no second run. It writes to a session of its own and deletes it.
import { randomUUID } from "node:crypto";
import { outcomeOf, skip, type Check, type CheckContext } from "../check.js";
import { call, noAnswer, show } from "../session.js";
import type { WireConnection, WireFrame } from "../wire.js";
import { withAdvertised } from "./dispatch-schema.js";

const NEEDED = ["chat.send", "chat.history", "chat.abort", "sessions.delete"] as const;
/** How long the run may take to end before the check aborts it (a real model answers in seconds). */
const RUN_END_MS = 30_000;
const TERMINAL_STATES = new Set(["final", "error", "aborted"]);

/** The text of a transcript message, whether its content is a string or an array of parts. */
function messageText(message: any): string {
  if (typeof message?.content === "string") return message.content;
  if (Array.isArray(message?.content)) return message.content.map((part: any) => (typeof part?.text === "string" ? part.text : "")).join("");
  return "";
}

async function cleanUp(connection: WireConnection, context: CheckContext, sessionKey: string): Promise<string[]> {
  const problems: string[] = [];
  const abort = await call(connection, context, "chat.abort", { sessionKey });
  if (abort?.ok !== true) problems.push(`cleanup: chat.abort failed: ${abort ? show(abort.error) : noAnswer(connection, context.answerTimeoutMs)}`);
  const deleted = await call(connection, context, "sessions.delete", { key: sessionKey, deleteTranscript: true });
  if (deleted?.ok !== true)
    problems.push(`cleanup: sessions.delete ${sessionKey} failed: ${deleted ? show(deleted.error) : noAnswer(connection, context.answerTimeoutMs)}`);
  return problems;
}

const idempotentReplay: Check = {
  id: "dispatch.idempotent-replay",
  section: "7.6",
  level: "MUST",
  title: "a chat.send replayed with the same idempotencyKey answers in_flight or the cached result, and the message is sent once (needs --allow-mutations)",
  async run(context) {
    if (!context.allowMutations) return skip("needs --allow-mutations: the check sends a chat message (one model run) to a session it creates and deletes");
    return withAdvertised(context, ["operator.read", "operator.write", "operator.admin"], async (connection, methods) => {
      const missing = NEEDED.filter((method) => !methods.has(method));
      if (missing.length > 0) return skip(`hello-ok features.methods does not advertise ${missing.join(", ")}`);
      const marker = randomUUID();
      const sessionKey = `conformance-idempotency-${marker.slice(0, 8)}`;
      const idempotencyKey = `conformance-${marker}`;
      const params = { sessionKey, message: `Conformance check ${marker}: reply with the single word ok.`, idempotencyKey };
      const problems: string[] = [];
      try {
        const first = await call(connection, context, "chat.send", params);
        const replay = first?.ok === true ? await call(connection, context, "chat.send", params) : undefined;
        if (!first) problems.push(`first chat.send: ${noAnswer(connection, context.answerTimeoutMs)}`);
        else if (first.ok !== true) problems.push(`first chat.send: expected ok:true, got ${show(first.error)}`);
        else if (!replay) problems.push(`replayed chat.send: ${noAnswer(connection, context.answerTimeoutMs)}`);
        else if (replay.ok !== true) problems.push(`replayed chat.send: expected ok:true with the cached answer, got ${show(replay.error)}`);
        else {
          if (replay.payload?.runId !== idempotencyKey)
            problems.push(`replayed chat.send: payload.runId: expected ${show(idempotencyKey)}, got ${show(replay.payload?.runId)}`);
          // §7.5: in flight → "in_flight", finished → the cached terminal result; "started" means a second run.
          if (replay.payload?.status === "started")
            problems.push(`replayed chat.send answered status "started" (a second run); expected "in_flight" or the cached result`);
        }
        if (problems.length === 0) problems.push(...(await sentOnce(connection, context, sessionKey, idempotencyKey, marker)));
      } finally {
        problems.push(...(await cleanUp(connection, context, sessionKey)));
      }
      return outcomeOf(problems);
    });
  },
};

/** After the run ends (or is aborted), the transcript holds the message at most once. */
async function sentOnce(connection: WireConnection, context: CheckContext, sessionKey: string, runId: string, marker: string): Promise<string[]> {
  const problems: string[] = [];
  const ended = await connection.next(
    (frame: WireFrame) => frame.type === "event" && frame.event === "chat" && frame.payload?.runId === runId && TERMINAL_STATES.has(frame.payload?.state),
    Math.max(RUN_END_MS, context.answerTimeoutMs),
  );
  if (!ended) await call(connection, context, "chat.abort", { sessionKey });
  const history = await call(connection, context, "chat.history", { sessionKey });
  if (history?.ok !== true) problems.push(`chat.history ${sessionKey}: ${history ? show(history.error) : noAnswer(connection, context.answerTimeoutMs)}`);
  else {
    const messages: unknown = history.payload?.messages;
    const sent = Array.isArray(messages) ? messages.filter((m: any) => m?.role === "user" && messageText(m).includes(marker)).length : 0;
    if (sent > 1) problems.push(`chat.history holds the message ${sent} times; expected it once`);
  }
  return problems;
}

/** Checks that change gateway state, each under --allow-mutations and cleaning up after itself. */
export function idempotencyChecks(): Check[] {
  return [idempotentReplay];
}
