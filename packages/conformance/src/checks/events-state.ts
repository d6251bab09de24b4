// Event checks on gateway state (§1.3, §6.5): stateVersion never goes back, and a stopping
// gateway says so with a shutdown event before it closes 1012.
import { fail, outcomeOf, skip, type Check, type CheckContext } from "../check.js";
import { closedText, connectFrame, connectOperator, connectParams, openWithChallenge, show } from "../session.js";
import type { WireFrame } from "../wire.js";

/** How many presence or health events the stateVersion check wants to compare. */
const STATE_EVENTS_WANTED = 4;
/** How long the shutdown check waits for someone to stop the gateway. */
export const SHUTDOWN_WAIT_MS = 60_000;
const COUNTERS = ["presence", "health"] as const;

const isNonNegativeInt = (value: unknown): value is number => typeof value === "number" && Number.isInteger(value) && value >= 0;
const isStateEvent = (frame: WireFrame) => frame.type === "event" && (frame.event === "presence" || frame.event === "health");

/** Connect and leave a short-lived `test` client: a tracked mode, so presence changes twice. */
async function visit(context: CheckContext): Promise<void> {
  const { connection } = await openWithChallenge(context);
  const frame = connectFrame(connectParams(context, { client: { id: "test", mode: "test" } }));
  connection.send(frame);
  await connection.response(frame.id, context.answerTimeoutMs);
  await connection.end();
}

const stateVersionOrder: Check = {
  id: "events.state-version-order",
  section: "1.3",
  level: "MUST",
  title: "the stateVersion {presence, health} of hello-ok's snapshot and of later presence and health events never goes back",
  async run(context) {
    const { connection: observer, hello } = await connectOperator(context, ["operator.read"]);
    try {
      const problems: string[] = [];
      const last: Record<(typeof COUNTERS)[number], number | undefined> = { presence: undefined, health: undefined };
      const take = (where: string, version: any) => {
        for (const counter of COUNTERS) {
          const value: unknown = version?.[counter];
          if (!isNonNegativeInt(value)) {
            problems.push(`${where}: stateVersion.${counter} is ${show(value)}; expected a non-negative integer`);
            continue;
          }
          const previous = last[counter];
          if (previous !== undefined && value < previous) problems.push(`${where}: stateVersion.${counter} went back from ${previous} to ${value}`);
          last[counter] = value;
        }
      };
      take("hello-ok snapshot", hello?.snapshot?.stateVersion);
      for (let round = 0; round < STATE_EVENTS_WANTED / 2; round++) await visit(context);
      const events: WireFrame[] = [];
      while (events.length < STATE_EVENTS_WANTED) {
        const event = await observer.next(isStateEvent, context.answerTimeoutMs);
        if (!event) break;
        events.push(event);
      }
      if (events.length === 0) {
        const why = observer.closed ? closedText(observer.closed) : `within ${context.answerTimeoutMs} ms`;
        return skip(`no presence or health event arrived (${why}) although short-lived test clients came and went`);
      }
      for (const [index, event] of events.entries()) take(`${String(event.event)} event #${index + 1}`, event.stateVersion);
      return outcomeOf(problems);
    } finally {
      await observer.end();
    }
  },
};

const shutdownOnStop = (waitMs: number): Check => ({
  id: "events.shutdown-on-stop",
  section: "6.5",
  level: "MUST",
  title: `when the gateway is stopped (by you, within ${waitMs / 1000} s) clients get a shutdown event, then close 1012 "service restart" (needs --allow-disruptive)`,
  async run(context) {
    if (!context.allowDisruptive) return skip("needs --allow-disruptive: the check waits for the gateway to be stopped");
    const { connection } = await connectOperator(context, ["operator.read"]);
    try {
      const shutdown = await connection.next((frame) => frame.type === "event" && frame.event === "shutdown", waitMs);
      if (!shutdown) {
        if (connection.closed) return fail(`the socket ${closedText(connection.closed)} with no shutdown event before it`);
        return skip(`the gateway was not stopped within ${waitMs / 1000} s (the kit has no way to stop it; stop it while this check runs)`);
      }
      const problems: string[] = [];
      const reason: unknown = shutdown.payload?.reason;
      if (typeof reason !== "string" || reason === "") problems.push(`shutdown payload.reason: expected a non-empty string, got ${show(reason)}`);
      const restart: unknown = shutdown.payload?.restartExpectedMs;
      if (restart !== undefined && !isNonNegativeInt(restart))
        problems.push(`shutdown payload.restartExpectedMs: expected a non-negative integer, got ${show(restart)}`);
      const close = await connection.waitClose(context.answerTimeoutMs);
      if (!close) problems.push(`the socket was still open ${context.answerTimeoutMs} ms after the shutdown event; expected close 1012 "service restart"`);
      else if (close.code !== 1012 || close.reason !== "service restart")
        problems.push(`expected close 1012 "service restart" after the shutdown event, got ${closedText(close)}`);
      return outcomeOf(problems);
    } finally {
      await connection.end();
    }
  },
});

/**
 * State-version and shutdown checks, in run order. The shutdown check runs only with --allow-disruptive.
 * @param shutdownWaitMs how long the shutdown check waits to be stopped. @default SHUTDOWN_WAIT_MS
 */
export function stateEventChecks(shutdownWaitMs = SHUTDOWN_WAIT_MS): Check[] {
  return [stateVersionOrder, shutdownOnStop(shutdownWaitMs)];
}
