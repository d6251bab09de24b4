// Handshake checks (§2, §3): the challenge comes first, then every captured handshake error case,
// then the device-proof checks.
import { fail, outcomeOf, type Check } from "../check.js";
import { openSocket, show } from "../session.js";
import { deviceProofChecks } from "./handshake-device.js";
import { handshakeFixtureChecks } from "./handshake-fixture.js";

const challengeFirst: Check = {
  id: "handshake.challenge-first",
  section: "2.2",
  level: "MUST",
  title: "the first frame on a new socket is a connect.challenge event with a nonce and a ts",
  async run(context) {
    const connection = await openSocket(context);
    try {
      // Send nothing: the gateway must speak first.
      const first = await connection.next(() => true, context.answerTimeoutMs);
      if (!first) {
        const raw = connection.received[0]?.raw;
        if (raw !== undefined) return fail(`the first frame is not a JSON object: ${show(raw)}`);
        return fail(
          connection.closed
            ? `the socket closed (${connection.closed.code}) before any frame; expected connect.challenge first`
            : `no frame within ${context.answerTimeoutMs} ms of the socket opening; expected connect.challenge first`,
        );
      }
      if (first.type !== "event" || first.event !== "connect.challenge") {
        return fail(`the first frame is ${show(first)}; expected the connect.challenge event`);
      }
      const problems: string[] = [];
      const nonce: unknown = first.payload?.nonce;
      const ts: unknown = first.payload?.ts;
      if (typeof nonce !== "string" || nonce === "") problems.push(`payload.nonce: expected a non-empty string, got ${show(nonce)}`);
      if (typeof ts !== "number" || !Number.isInteger(ts) || ts < 0) problems.push(`payload.ts: expected a non-negative integer, got ${show(ts)}`);
      if (first.seq !== undefined) problems.push(`the challenge carries seq ${show(first.seq)}; it must have none`);
      return outcomeOf(problems);
    } finally {
      await connection.end();
    }
  },
};

/** Every handshake check, in run order. */
export function handshakeChecks(): Check[] {
  return [challengeFirst, ...handshakeFixtureChecks(), ...deviceProofChecks()];
}
