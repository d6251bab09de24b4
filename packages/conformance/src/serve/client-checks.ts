// The client checks: each reads what serve recorded about one client and answers pass, fail (with
// what was expected and what came) or skip (with why it could not be observed).
import { Ajv, type ValidateFunction } from "ajv";
import { CancelFrame, ConnectParams, PROTOCOL_VERSION, RequestFrame, findMethod, formatValidationErrors } from "@openclaw/protocol";
import { fail, outcomeOf, pass, skip, type CheckLevel, type CheckOutcome, type CheckResult } from "../check.js";
import { evaluateBackoff, reconnectGaps } from "./backoff.js";
import { describeFrame, isConnectRequest, type ClientRecord, type SocketRecord } from "./record.js";

/** What a client check is, without how it is run: serve observes, the check judges. */
export interface ClientCheckInfo {
  readonly id: string;
  readonly section: string;
  readonly level: CheckLevel;
  readonly title: string;
}

/** What the checks need to know about the run. */
export interface ClientCheckSettings {
  /** The gateway token serve was started with. */
  readonly token: string;
  /** How many 1012 closes the script makes. */
  readonly closes: number;
  readonly refetchWaitMs: number;
  readonly reconnectWaitMs: number;
}

interface ClientCheck extends ClientCheckInfo {
  judge(record: ClientRecord, settings: ClientCheckSettings): CheckOutcome;
}

let validators: { connect: ValidateFunction; request: ValidateFunction; cancel: ValidateFunction } | undefined;
function compiled() {
  if (!validators) {
    const ajv = new Ajv({ allErrors: true, strict: true });
    validators = { connect: ajv.compile(ConnectParams), request: ajv.compile(RequestFrame), cancel: ajv.compile(CancelFrame) };
  }
  return validators;
}

const connected = (record: ClientRecord): SocketRecord[] => record.sockets.filter((socket) => socket.connect !== undefined);

/** The same problem on several sockets, said once with the sockets it happened on. */
function grouped(problems: readonly { socket: number; problem: string }[]): string[] {
  const bySocket = new Map<string, number[]>();
  for (const { socket, problem } of problems) bySocket.set(problem, [...(bySocket.get(problem) ?? []), socket]);
  return [...bySocket].map(([problem, sockets]) => `${sockets.length === 1 ? "socket" : "sockets"} ${sockets.join(", ")}: ${problem}`);
}

const noConnect = (record: ClientRecord): CheckOutcome => skip(`no connect request arrived${record.stoppedBecause ? ` (${record.stoppedBecause})` : ""}`);

const challengeWait: ClientCheck = {
  id: "client.challenge-wait",
  section: "2.1",
  level: "MUST",
  title: "the client sends nothing before connect.challenge, and connect is its first frame on every socket",
  judge(record) {
    if (record.sockets.length === 0) return skip("the client opened no socket");
    const problems: { socket: number; problem: string }[] = [];
    for (const socket of record.sockets) {
      const early = socket.frames.find((frame) => frame.beforeChallenge);
      if (early) problems.push({ socket: socket.number, problem: `sent ${describeFrame(early)} before connect.challenge` });
      const first = socket.frames[0];
      if (first && !isConnectRequest(first))
        problems.push({ socket: socket.number, problem: `the first frame is ${describeFrame(first)}; expected req "connect"` });
      if (!first && socket.closed?.end === "handshake-timeout") problems.push({ socket: socket.number, problem: "no connect came after the challenge" });
    }
    if (problems.length === 0 && connected(record).length === 0) return fail("the client never sent a connect request");
    return outcomeOf(grouped(problems));
  },
};

const connectParams: ClientCheck = {
  id: "client.connect-params",
  section: "2.3",
  level: "MUST",
  title: "connect params fit the closed ConnectParams schema (client id and mode in the closed sets) and the protocol range includes 4",
  judge(record) {
    const sockets = connected(record);
    if (sockets.length === 0) return noConnect(record);
    const { connect } = compiled();
    const problems: { socket: number; problem: string }[] = [];
    for (const socket of sockets) {
      const params = socket.connect!.params as any;
      if (!connect(params)) problems.push({ socket: socket.number, problem: `invalid connect params: ${formatValidationErrors(connect.errors ?? [])}` });
      const { minProtocol, maxProtocol } = params ?? {};
      if (typeof minProtocol === "number" && typeof maxProtocol === "number" && !(minProtocol <= PROTOCOL_VERSION && PROTOCOL_VERSION <= maxProtocol)) {
        problems.push({ socket: socket.number, problem: `protocol range ${minProtocol}..${maxProtocol} does not include ${PROTOCOL_VERSION} (§2.5)` });
      }
    }
    return outcomeOf(grouped(problems));
  },
};

const authToken: ClientCheck = {
  id: "client.auth-token",
  section: "5.1",
  level: "MUST",
  title: "connect.auth carries the gateway's shared token, or a device token the gateway issued",
  judge(record, settings) {
    const sockets = connected(record);
    if (sockets.length === 0) return noConnect(record);
    const problems: { socket: number; problem: string }[] = [];
    for (const socket of sockets) {
      const auth = (socket.connect!.params as any)?.auth;
      if (auth === null || typeof auth !== "object") {
        problems.push({ socket: socket.number, problem: "connect has no auth; the gateway's token goes in auth.token" });
        continue;
      }
      const accepted = auth.token === settings.token || record.issuedTokens.has(auth.token) || record.issuedTokens.has(auth.deviceToken);
      if (!accepted)
        problems.push({ socket: socket.number, problem: "auth.token is not the gateway's token (--token), and no device token serve issued is sent" });
    }
    return outcomeOf(grouped(problems));
  },
};

/** The one client allowed to connect without a device (§2.6 step 7), and only on loopback with the shared credential. */
const isBackendHelper = (params: any): boolean => params?.client?.id === "gateway-client" && params?.client?.mode === "backend";

const signature: ClientCheck = {
  id: "client.signature",
  section: "3.5",
  level: "MUST",
  title: "the device proof verifies: this connection's nonce, signedAt within the skew, the device id, a v3 (or v2) signature",
  judge(record) {
    const sockets = connected(record);
    if (sockets.length === 0) return noConnect(record);
    const problems: { socket: number; problem: string }[] = [];
    let helpers = 0;
    for (const socket of sockets) {
      const { params, proof } = socket.connect!;
      if (!proof.present) {
        if (isBackendHelper(params)) helpers++;
        else
          problems.push({
            socket: socket.number,
            problem: "connect has no device proof; every client but a loopback gateway-client/backend helper signs connect (§2.6 step 7)",
          });
      }
      for (const problem of proof.problems) problems.push({ socket: socket.number, problem });
    }
    if (helpers === sockets.length) {
      return skip(
        "the client connects as a device-less gateway-client/backend helper (§2.6 step 7): there is no proof to check, and a non-loopback gateway refuses it",
      );
    }
    return outcomeOf(grouped(problems));
  },
};

const signatureV3: ClientCheck = {
  id: "client.signature-v3",
  section: "3.3",
  level: "SHOULD",
  title: "the device proof is signed over the v3 payload, which binds platform and deviceFamily (v2 is accepted for compatibility)",
  judge(record) {
    const proofs = connected(record).filter((socket) => socket.connect!.proof.version !== undefined);
    if (proofs.length === 0) return skip("no device proof verified (see client.signature)");
    const v2 = proofs.filter((socket) => socket.connect!.proof.version === "v2").map((socket) => socket.number);
    if (v2.length > 0) return fail(`socket(s) ${v2.join(", ")}: the proof verifies over v2 only; sign the v3 payload (…|<nonce>|<platform>|<deviceFamily>)`);
    return pass();
  },
};

const frames: ClientCheck = {
  id: "client.frames",
  section: "1.2",
  level: "MUST",
  title: "every frame the client sends is a text frame holding one JSON req (or cancel) frame",
  judge(record) {
    if (record.sockets.length === 0) return skip("the client opened no socket");
    const { request, cancel } = compiled();
    const problems: { socket: number; problem: string }[] = [];
    for (const socket of record.sockets) {
      for (const frame of socket.frames) {
        if (frame.binary || !frame.frame)
          problems.push({ socket: socket.number, problem: `sent ${describeFrame(frame)}; frames are text frames holding one JSON object (§1.1)` });
        else if (frame.frame.type === "cancel" ? !cancel(frame.frame) : !request(frame.frame)) {
          const errors = (frame.frame.type === "cancel" ? cancel.errors : request.errors) ?? [];
          problems.push({ socket: socket.number, problem: `sent ${describeFrame(frame)} that is not a valid frame: ${formatValidationErrors(errors)}` });
        }
      }
    }
    return outcomeOf(grouped(problems));
  },
};

/** Methods that read state: what a client re-fetches after a gap. */
export const readsState = (method: string): boolean => {
  const access = findMethod(method)?.access;
  return access === "any" || access === "operator.read";
};

const seqGap: ClientCheck = {
  id: "client.seq-gap",
  section: "1.3",
  level: "SHOULD",
  title: "after a gap in event seq the client re-fetches state (a read method such as health, status, sessions.list)",
  judge(record, settings) {
    const gap = record.gap;
    if (!gap) return skip(`serve did not get to send the gap${record.stoppedBecause ? ` (${record.stoppedBecause})` : ""}`);
    if (gap.refetch) return pass();
    const others = gap.otherRequests.length > 0 ? `; it sent only ${gap.otherRequests.map((m) => `req ${JSON.stringify(m)}`).join(", ")}` : "";
    return fail(
      `after events jumped from seq ${gap.expected - 1} to ${gap.received}, no request reading state came within ${settings.refetchWaitMs} ms${others}; events are never replayed, so a client re-fetches state after a gap (§1.3, §1.9 step 6)`,
    );
  },
};

const reconnectBackoff: ClientCheck = {
  id: "client.reconnect-backoff",
  section: "1.7",
  level: "SHOULD",
  title: "after the gateway closes with 1012, the client reconnects with delays that grow (no tight loop, no fixed interval)",
  judge(record, settings) {
    if (record.forcedCloses.length === 0) return skip(`serve did not get to close a connection${record.stoppedBecause ? ` (${record.stoppedBecause})` : ""}`);
    return evaluateBackoff(reconnectGaps(record), settings.closes, settings.reconnectWaitMs);
  },
};

const CHECKS: readonly ClientCheck[] = [challengeWait, connectParams, authToken, signature, signatureV3, frames, seqGap, reconnectBackoff];

/** Every client check: id, section, level, title. */
export const CLIENT_CHECKS: readonly ClientCheckInfo[] = CHECKS.map(({ id, section, level, title }) => ({ id, section, level, title }));

/**
 * Judge one client. With several clients, ids carry the client's number (`client.signature.2`).
 */
export function judgeClient(record: ClientRecord, settings: ClientCheckSettings, numbered: boolean): CheckResult[] {
  return CHECKS.map((check) => {
    let outcome: CheckOutcome;
    try {
      outcome = check.judge(record, settings);
    } catch (error) {
      outcome = fail(`error: ${error instanceof Error ? error.message : String(error)}`);
    }
    const id = numbered ? `${check.id}.${record.number}` : check.id;
    return { id, section: check.section, level: check.level, title: check.title, ...outcome, durationMs: 0 };
  });
}
