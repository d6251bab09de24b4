// `serve`: a gateway for client authors. It speaks enough protocol v4 for a client to connect and
// call, then runs a script on each client (a seq gap, then 1012 closes) and records every frame, so
// the client checks can judge what the client did. It never refuses a connect that fails a check:
// one failure must not hide the others.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import { ErrorCodes, MAX_PAYLOAD_BYTES, TICK_INTERVAL_MS, WireErrors, WireMessages } from "@openclaw/protocol";
import type { CheckResult } from "../check.js";
import { judgeClient, readsState } from "./client-checks.js";
import { verifyDeviceProof } from "./device-proof.js";
import { ServeListenError, NoClientError } from "./errors.js";
import { answerRequest } from "./answers.js";
import { buildHelloOk, presencePayload } from "./payloads.js";
import {
  clientFrame,
  isConnectRequest,
  newClientRecord,
  newSocketRecord,
  type ClientFrame,
  type ClientRecord,
  type SocketEnd,
  type SocketRecord,
} from "./record.js";
import { monotonicClock, TimerSet, type Clock } from "./timers.js";

export interface ServeOptions {
  /** The gateway token clients must present in `connect.auth.token`. */
  readonly token: string;
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** How many clients to wait for; each goes through the script. @default 1 */
  readonly clients?: number;
  /** How many times the script closes a client's connection with 1012. @default 3 */
  readonly closes?: number;
  /** The whole run's bound; checks not reached by then skip or fail with the reason. @default 60000 */
  readonly timeoutMs?: number;
  /** Wait before sending `connect.challenge`, so a client that does not wait for it shows. @default 100 */
  readonly challengeDelayMs?: number;
  /** Quiet time after hello-ok before the seq gap, so the client's own start-up calls are not taken for a re-fetch. @default 250 */
  readonly settleMs?: number;
  /** How long to wait for a re-fetch after the seq gap. @default 3000 */
  readonly refetchWaitMs?: number;
  /** How long to wait for a reconnect after each close (the reference client's cap is 30 s). @default 35000 */
  readonly reconnectWaitMs?: number;
  /** How long a socket may take to send connect. @default 15000 */
  readonly handshakeWaitMs?: number;
  /** Advertised as policy.tickIntervalMs, and the tick period. @default 30000 */
  readonly tickIntervalMs?: number;
  /** Monotonic time for every recorded moment; tests may feed their own. @default performance.now */
  readonly clock?: Clock;
  /** One line per script step, for a person watching. */
  readonly onProgress?: (line: string) => void;
}

export interface ServeRun {
  /** Where to point the client. */
  readonly url: string;
  /** The client check results, once every client went through the script or the run timed out; rejects with NoClientError when no client came. */
  readonly results: Promise<CheckResult[]>;
  /** What serve recorded, per client. */
  readonly records: readonly ClientRecord[];
  /** Timers still pending (none once the run is over). */
  readonly pendingTimers: number;
  /** End the run now and judge what was observed. */
  stop(): Promise<void>;
}

/** A settle never waits longer than this many settle periods for a chatty client to go quiet. */
const SETTLE_LIMIT = 12;

interface Live {
  readonly ws: WebSocket;
  readonly socket: SocketRecord;
  readonly nonce: string;
  record: ClientRecord | undefined;
  seq: number;
  /** After hello-ok: settling before the gap, waiting for the re-fetch, or just serving. */
  phase: "handshake" | "settling" | "gap" | "serving" | "closing";
  settleStarted: number;
  /** Restart the settle wait (a request came while settling). */
  rearmSettle: (() => void) | undefined;
  readonly cancels: (() => void)[];
}

export async function startServe(options: ServeOptions): Promise<ServeRun> {
  const settings = {
    clients: options.clients ?? 1,
    closes: options.closes ?? 3,
    timeoutMs: options.timeoutMs ?? 60_000,
    challengeDelayMs: options.challengeDelayMs ?? 100,
    settleMs: options.settleMs ?? 250,
    refetchWaitMs: options.refetchWaitMs ?? 3000,
    reconnectWaitMs: options.reconnectWaitMs ?? 35_000,
    handshakeWaitMs: options.handshakeWaitMs ?? 15_000,
    tickIntervalMs: options.tickIntervalMs ?? TICK_INTERVAL_MS,
  };
  const clock = options.clock ?? monotonicClock;
  const progress = (line: string) => options.onProgress?.(line);
  const timers = new TimerSet();
  const records: ClientRecord[] = [];
  const byIdentity = new Map<string, ClientRecord>();
  const reconnectWaits = new Map<ClientRecord, () => void>();
  const live = new Set<Live>();
  let sockets = 0;
  let over = false;
  let settle!: (results: CheckResult[]) => void;
  let reject!: (error: Error) => void;
  const results = new Promise<CheckResult[]>((resolve, fail) => ((settle = resolve), (reject = fail)));

  const wss = new WebSocketServer({ port: options.port ?? 0, host: options.host ?? "127.0.0.1", maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false });
  await new Promise<void>((resolve, fail) => {
    wss.once("listening", () => resolve());
    wss.once("error", (error) => fail(new ServeListenError(options.host ?? "127.0.0.1", options.port ?? 0, error)));
  });
  wss.on("error", () => undefined); // after listening, a server error only ends the run at its timeout
  const { port } = wss.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const url = `ws://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const send = (conn: Live, frame: object) => {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(JSON.stringify(frame));
  };
  const sendEvent = (conn: Live, event: string, payload: unknown, extra: object = {}) => {
    conn.seq += 1;
    send(conn, { type: "event", event, payload, seq: conn.seq, ...extra });
  };
  const label = (record: ClientRecord) => `client ${record.number}`;
  const isFinished = (record: ClientRecord) => record.completed || record.stoppedBecause !== undefined;

  function recordFor(key: string | undefined): ClientRecord {
    if (settings.clients === 1 || key === undefined) {
      if (records[0]) return records[0];
    } else {
      const known = byIdentity.get(key);
      if (known) return known;
    }
    const record = newClientRecord(records.length + 1);
    records.push(record);
    if (key !== undefined) byIdentity.set(key, record);
    return record;
  }

  function identityOf(params: any): string {
    return String(params?.device?.id ?? params?.client?.instanceId ?? `${params?.client?.id}/${params?.client?.mode}`);
  }

  function endSocket(conn: Live, code: number, reason: string, end: SocketEnd): void {
    if (conn.socket.closed) return;
    conn.phase = "closing";
    for (const cancel of conn.cancels.splice(0)) cancel();
    conn.socket.closed = { at: clock(), end, code };
    conn.ws.close(code, reason);
  }

  function checkDone(): void {
    if (records.length >= settings.clients && records.filter(isFinished).length >= settings.clients) void finish();
  }

  function sendChallenge(conn: Live): void {
    if (conn.socket.challenge) return;
    const ts = Date.now();
    conn.socket.challenge = { nonce: conn.nonce, ts, at: clock() };
    send(conn, { type: "event", event: "connect.challenge", payload: { nonce: conn.nonce, ts } });
  }

  function forcedClose(conn: Live, record: ClientRecord, afterHello: boolean): void {
    if (conn.phase === "closing") return;
    if (afterHello) sendEvent(conn, "shutdown", { reason: WireMessages.serviceRestart });
    record.forcedCloses.push({ at: clock(), socket: conn.socket.number });
    endSocket(conn, 1012, WireMessages.serviceRestart, "restart");
    const count = record.forcedCloses.length;
    progress(`${label(record)}: closed socket ${conn.socket.number} with 1012 service restart (${count}/${settings.closes})`);
    reconnectWaits.get(record)?.();
    reconnectWaits.set(
      record,
      timers.after(settings.reconnectWaitMs, () => {
        record.stoppedBecause ??= `no reconnect within ${settings.reconnectWaitMs} ms of close ${count}`;
        progress(`${label(record)}: ${record.stoppedBecause}`);
        checkDone();
      }),
    );
  }

  function sendHello(conn: Live, record: ClientRecord, frame: ClientFrame): void {
    const params: any = frame.frame?.params;
    const scopes = Array.isArray(params?.scopes) ? params.scopes.filter((scope: unknown) => typeof scope === "string" && scope !== "") : [];
    const deviceToken = conn.socket.connect?.proof.present ? `serve-device-token-${randomUUID()}` : undefined;
    if (deviceToken) record.issuedTokens.add(deviceToken);
    const hello = buildHelloOk({
      role: typeof params?.role === "string" && params.role !== "" ? params.role : "operator",
      scopes,
      deviceToken,
      tickIntervalMs: settings.tickIntervalMs,
      presenceVersion: 1,
    });
    send(conn, { type: "res", id: typeof frame.frame?.id === "string" ? frame.frame.id : "invalid", ok: true, payload: hello });
    conn.cancels.push(timers.every(settings.tickIntervalMs, () => sendEvent(conn, "tick", { ts: Date.now() })));
  }

  function armSettle(conn: Live, record: ClientRecord): void {
    conn.phase = "settling";
    conn.settleStarted = clock();
    let cancel = timers.after(settings.settleMs, () => sendGap(conn, record));
    conn.cancels.push(() => cancel());
    // Each request re-arms the wait (see onRequest), up to SETTLE_LIMIT periods in all.
    conn.rearmSettle = () => {
      if (clock() - conn.settleStarted > settings.settleMs * SETTLE_LIMIT) return;
      cancel();
      cancel = timers.after(settings.settleMs, () => sendGap(conn, record));
    };
  }

  function sendGap(conn: Live, record: ClientRecord): void {
    const presence = { presence: presencePayload() };
    sendEvent(conn, "presence", presence, { stateVersion: { presence: 2, health: 1 } });
    sendEvent(conn, "tick", { ts: Date.now() });
    const expected = conn.seq + 1;
    conn.seq += 2; // two events the client never gets
    sendEvent(conn, "presence", presence, { stateVersion: { presence: 3, health: 1 } });
    record.gap = { sentAt: clock(), expected, received: conn.seq, refetch: undefined, otherRequests: [] };
    conn.phase = "gap";
    progress(`${label(record)}: sent events with a seq gap (${expected - 1} → ${conn.seq}); waiting up to ${settings.refetchWaitMs} ms for a re-fetch`);
    conn.cancels.push(timers.after(settings.refetchWaitMs, () => forcedClose(conn, record, true)));
  }

  function onConnect(conn: Live, frame: ClientFrame): void {
    const params: any = frame.frame?.params;
    const record = conn.record ?? recordFor(identityOf(params));
    if (!conn.record) {
      conn.record = record;
      record.sockets.push(conn.socket);
    }
    const earlierNonces = record.sockets.filter((s) => s !== conn.socket && s.challenge).map((s) => s.challenge!.nonce);
    const proof = verifyDeviceProof(params, { nonce: conn.nonce, earlierNonces, nowMs: Date.now() });
    conn.socket.connect = { at: frame.at, params, proof };
    conn.phase = "serving";
    reconnectWaits.get(record)?.();
    reconnectWaits.delete(record);
    const closes = record.forcedCloses.length;
    // Reconnecting after a gap is a re-fetch too: the new hello-ok carries a fresh snapshot.
    if (closes === 0 && record.gap && !record.gap.refetch && frame.at - record.gap.sentAt <= settings.refetchWaitMs) {
      record.gap.refetch = { at: frame.at, method: "connect" };
    }
    if (closes > 0 && !isFinished(record)) {
      const after = Math.round(conn.socket.openedAt - record.forcedCloses[closes - 1]!.at);
      progress(`${label(record)}: reconnected on socket ${conn.socket.number}, ${after} ms after close ${closes}`);
    }
    if (isFinished(record) || closes === 0 || closes >= settings.closes) sendHello(conn, record, frame);
    if (isFinished(record)) return;
    if (closes === 0 && record.gap === undefined) {
      progress(`${label(record)}: connected on socket ${conn.socket.number} (${String(params?.client?.id)}/${String(params?.client?.mode)})`);
      armSettle(conn, record);
    } else if (closes === 0) {
      forcedClose(conn, record, true);
    } else if (closes < settings.closes) {
      forcedClose(conn, record, false);
    } else {
      record.completed = true;
      progress(`${label(record)}: went through the whole script`);
      checkDone();
    }
  }

  function onRequest(conn: Live, frame: ClientFrame): void {
    const value = frame.frame;
    if (!value || value.type === "cancel") return;
    if (value.type !== "req" || typeof value.method !== "string" || typeof value.id !== "string") {
      send(conn, {
        type: "res",
        id: typeof value.id === "string" && value.id !== "" ? value.id : "invalid",
        ok: false,
        error: WireErrors.invalidRequestFrame("not a req frame"),
      });
      return;
    }
    const record = conn.record!;
    send(conn, { type: "res", id: value.id, ...answerRequest(value.method) });
    if (conn.phase === "settling") conn.rearmSettle?.();
    if (conn.phase !== "gap" || !record.gap || record.gap.refetch) return;
    if (!readsState(value.method)) {
      record.gap.otherRequests.push(value.method);
      return;
    }
    record.gap.refetch = { at: frame.at, method: value.method };
    progress(`${label(record)}: re-fetched with ${value.method} after the gap`);
    forcedClose(conn, record, true);
  }

  function onFrame(conn: Live, data: RawData, binary: boolean): void {
    const early = conn.socket.challenge === undefined;
    const frame = clientFrame(binary ? "<binary>" : data.toString(), binary, clock(), early);
    conn.socket.frames.push(frame);
    if (early) sendChallenge(conn);
    if (conn.phase === "closing") return;
    if (conn.socket.connect) return onRequest(conn, frame);
    if (isConnectRequest(frame)) return onConnect(conn, frame);
    // A first frame that is not connect is refused as the gateway refuses it (§1.5).
    if (frame.frame?.type === "req") {
      const error = { code: ErrorCodes.INVALID_REQUEST, message: WireMessages.firstRequestMustBeConnect };
      send(conn, { type: "res", id: String(frame.frame.id ?? "invalid"), ok: false, error });
      endSocket(conn, 1008, WireMessages.firstRequestMustBeConnect, "refused");
    } else endSocket(conn, frame.frame ? 1008 : 1000, frame.frame ? WireMessages.invalidRequestFrame : "", "refused");
  }

  wss.on("connection", (ws) => {
    if (over) return ws.terminate();
    const conn: Live = {
      ws,
      socket: newSocketRecord(++sockets, clock()),
      nonce: randomUUID(),
      record: undefined,
      seq: 0,
      phase: "handshake",
      settleStarted: 0,
      rearmSettle: undefined,
      cancels: [],
    };
    live.add(conn);
    // With one client every socket is its; with several, a socket is attributed by its connect.
    if (settings.clients === 1) {
      conn.record = recordFor(undefined);
      conn.record.sockets.push(conn.socket);
    }
    ws.on("error", () => undefined);
    ws.on("message", (data, binary) => onFrame(conn, data, binary));
    ws.on("close", (code) => {
      live.delete(conn);
      for (const cancel of conn.cancels.splice(0)) cancel();
      conn.socket.closed ??= { at: clock(), end: "client", code };
    });
    conn.cancels.push(timers.after(settings.challengeDelayMs, () => sendChallenge(conn)));
    conn.cancels.push(
      timers.after(settings.handshakeWaitMs, () => {
        if (!conn.socket.connect) endSocket(conn, 1000, "", "handshake-timeout");
      }),
    );
  });

  async function finish(why?: string): Promise<void> {
    if (over) return;
    over = true;
    timers.clearAll();
    while (records.length < settings.clients) records.push(newClientRecord(records.length + 1));
    for (const record of records) if (!record.completed && why) record.stoppedBecause ??= why;
    const closing = [...live].map(
      (conn) => new Promise<void>((resolve) => (conn.ws.readyState === conn.ws.CLOSED ? resolve() : conn.ws.once("close", () => resolve()))),
    );
    for (const conn of live) endSocket(conn, 1001, "conformance run over", "finished");
    let grace: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([Promise.all(closing), new Promise<void>((resolve) => (grace = setTimeout(resolve, 1000)))]);
    clearTimeout(grace);
    for (const conn of live) conn.ws.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
    if (sockets === 0) {
      reject(new NoClientError(url, why ?? "stopped"));
      return;
    }
    const judgeSettings = { token: options.token, closes: settings.closes, refetchWaitMs: settings.refetchWaitMs, reconnectWaitMs: settings.reconnectWaitMs };
    settle(records.flatMap((record) => judgeClient(record, judgeSettings, settings.clients > 1)));
  }

  timers.after(settings.timeoutMs, () => void finish(`the run timed out after ${settings.timeoutMs} ms`));

  return {
    url,
    results,
    records,
    get pendingTimers() {
      return timers.size;
    },
    stop: async () => {
      await finish("serve was stopped");
      await results.then(
        () => undefined,
        () => undefined,
      );
    },
  };
}
