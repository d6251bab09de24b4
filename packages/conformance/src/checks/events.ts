// Event checks (§1.3, §1.7): frame seq per connection, and tick as policy announces it.
import { fail, outcomeOf, pass, skip, type Check } from "../check.js";
import { connectFrame, connectOperator, connectParams, noAnswer, openWithChallenge, show } from "../session.js";
import type { WireFrame } from "../wire.js";
import { stateEventChecks } from "./events-state.js";

/** How many events with a seq the seq check wants to see. */
const SEQ_EVENTS_WANTED = 4;
/** A tick may come this many intervals after connecting (the timer runs per gateway, not per connection). */
const TICK_TOLERANCE = 1.5;
/** Added to every tick deadline for the network and a busy event loop. */
const TICK_SLACK_MS = 1000;

const hasSeq = (frame: WireFrame) => frame.type === "event" && frame.seq !== undefined;

const seqIncreasing: Check = {
  id: "events.seq-increasing",
  section: "1.3",
  level: "MUST",
  title: "the seq of the events one connection receives is an integer that strictly increases",
  async run(context) {
    const { connection: observer } = await connectOperator(context, ["operator.read"]);
    try {
      // Clients in a tracked mode change presence when they come and go, and presence is broadcast to all.
      for (let round = 0; round < SEQ_EVENTS_WANTED / 2; round++) {
        const { connection: visitor } = await openWithChallenge(context);
        const frame = connectFrame(connectParams(context, { client: { id: "test", mode: "test" } }));
        visitor.send(frame);
        await visitor.response(frame.id, context.answerTimeoutMs);
        await visitor.end();
      }
      const events: WireFrame[] = [];
      while (events.length < SEQ_EVENTS_WANTED) {
        const event = await observer.next(hasSeq, context.answerTimeoutMs);
        if (!event) break;
        events.push(event);
      }
      if (events.length < 2) {
        const why = observer.closed ? noAnswer(observer, context.answerTimeoutMs) : `within ${context.answerTimeoutMs} ms`;
        return skip(`only ${events.length} event(s) with a seq arrived (${why}); need 2 to compare`);
      }
      const problems: string[] = [];
      let previous: number | undefined;
      for (const event of events) {
        const seq = event.seq;
        if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 0) {
          problems.push(`event ${show(event.event)} has seq ${show(seq)}; expected a non-negative integer`);
          continue;
        }
        if (previous !== undefined && seq <= previous)
          problems.push(`event ${show(event.event)} has seq ${seq} after seq ${previous}; expected it to increase`);
        previous = seq;
      }
      return outcomeOf(problems);
    } finally {
      await observer.end();
    }
  },
};

const tickInterval: Check = {
  id: "events.tick-interval",
  section: "1.7",
  level: "SHOULD",
  title: `a tick event arrives within ${TICK_TOLERANCE} × hello-ok policy.tickIntervalMs of connecting`,
  async run(context) {
    const { connection, hello } = await connectOperator(context, ["operator.read"]);
    try {
      const interval: unknown = hello?.policy?.tickIntervalMs;
      if (typeof interval !== "number" || !Number.isInteger(interval) || interval <= 0) {
        return fail(`hello-ok policy.tickIntervalMs is ${show(interval)}; expected a positive integer`);
      }
      const deadline = Math.ceil(interval * TICK_TOLERANCE) + TICK_SLACK_MS;
      const tick = await connection.next((frame) => frame.type === "event" && frame.event === "tick", deadline);
      if (!tick) return fail(connection.closed ? noAnswer(connection, deadline) : `no tick within ${deadline} ms (policy.tickIntervalMs is ${interval})`);
      const ts: unknown = tick.payload?.ts;
      if (typeof ts !== "number" || !Number.isInteger(ts) || ts < 0) return fail(`tick payload.ts is ${show(ts)}; expected a non-negative integer`);
      return pass();
    } finally {
      await connection.end();
    }
  },
};

/** Every event check, in run order. None changes anything on the gateway; events.shutdown-on-stop waits for it to be stopped. */
export function eventChecks(): Check[] {
  return [seqIncreasing, tickInterval, ...stateEventChecks()];
}
