import {
  ConnectChallenge,
  HelloOk,
  acceptsServerValue,
  parseServerFrame,
  serverValueProblems,
  type ConnectParams,
  type EventFrame,
  type ResponseFrame,
  type StateVersion,
} from "@openclaw/protocol";
import { GatewayClientError, GatewayClosedError, GatewayConfigError, GatewayProtocolError, GatewayRequestError, GatewayTimeoutError } from "./errors.js";
import { SOCKET_OPEN, closeQuietly, type SocketEvent, type SocketFactory, type WebSocketLike } from "./socket.js";

/** A jump in the frame `seq`: events in between were lost and are never replayed. */
export interface SeqGap {
  readonly expected: number;
  readonly received: number;
}

/** The client's part of the handshake: credentials in, device tokens out. */
export interface Handshake {
  params(challenge: ConnectChallenge): Promise<ConnectParams>;
  accepted(hello: HelloOk): Promise<void>;
  refused(error: GatewayRequestError): Promise<void>;
}

export interface ConnectionEvents {
  opened(hello: HelloOk): void;
  response(frame: ResponseFrame): void;
  event(frame: EventFrame): void;
  gap(gap: SeqGap): void;
  /** A frame that could not be read; `requestId` when it looked like an answer to one. */
  invalidFrame(error: GatewayProtocolError, requestId: string | undefined): void;
  /** Exactly once, with why this connection is over. */
  closed(error: Error): void;
}

export interface ConnectionOptions {
  readonly url: string;
  readonly socketFactory: SocketFactory;
  readonly tlsFingerprint: string | undefined;
  readonly handshakeTimeoutMs: number;
}

const CONNECT_REQUEST_ID = "connect";

/** One socket from open to close: handshake, frame routing, seq tracking and the tick watchdog. */
export class Connection {
  /** Resolves when the socket itself has closed (the close handshake may outlive `closed`). */
  readonly socketClosed: Promise<void>;
  private socket: WebSocketLike | undefined;
  private phase: "opening" | "connecting" | "open" | "over" = "opening";
  private socketError: unknown;
  private refusal: GatewayRequestError | undefined;
  private lastSeq: number | undefined;
  private stateVersion: StateVersion | undefined;
  private lastInboundAt = 0;
  private handshakeTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdogTimer: ReturnType<typeof setTimeout> | undefined;
  private markSocketClosed!: () => void;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handshake: Handshake,
    private readonly events: ConnectionEvents,
  ) {
    this.socketClosed = new Promise((resolve) => (this.markSocketClosed = resolve));
    try {
      this.socket = options.socketFactory(options.url, { tlsFingerprint: options.tlsFingerprint });
    } catch (error) {
      this.markSocketClosed();
      const failure =
        error instanceof GatewayClientError
          ? error
          : new GatewayConfigError(`cannot open ${options.url}: ${String((error as Error)?.message ?? error)}`, { cause: error });
      // Report after the caller has stored this connection.
      queueMicrotask(() => this.fail(failure));
      return;
    }
    this.socket.addEventListener("message", (event) => this.onMessage(event));
    this.socket.addEventListener("error", (event) => (this.socketError ??= event.error ?? event.message ?? "socket error"));
    this.socket.addEventListener("close", (event) => this.onSocketClose(event));
    this.handshakeTimer = setTimeout(() => {
      const reason = this.phase === "opening" ? "connect challenge timeout" : "connect failed";
      this.fail(new GatewayTimeoutError("connect", options.handshakeTimeoutMs), 1008, reason);
    }, options.handshakeTimeoutMs);
  }

  get isOpen(): boolean {
    return this.phase === "open" && this.socket?.readyState === SOCKET_OPEN;
  }

  /** Write a frame; false when the socket cannot take it. */
  send(text: string): boolean {
    if (!this.isOpen) return false;
    this.socket!.send(text);
    return true;
  }

  /** End this connection without reporting `closed` (the client is closing it on purpose). */
  dispose(code: number, reason: string): Promise<void> {
    this.phase = "over";
    this.clearTimers();
    if (this.socket) closeQuietly(this.socket, code, reason);
    return this.socketClosed;
  }

  /** Drop the socket at once when the peer does not finish the close handshake (`ws` has `terminate`). */
  terminate(): void {
    (this.socket as { terminate?: () => void } | undefined)?.terminate?.();
  }

  /** Close with `code` and report `error` as the reason this connection ended. */
  fail(error: Error, code = 1008, reason = "connect failed"): void {
    if (this.phase === "over") return;
    this.phase = "over";
    this.clearTimers();
    if (this.socket) closeQuietly(this.socket, code, reason);
    this.events.closed(error);
  }

  private clearTimers(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.watchdogTimer);
    this.handshakeTimer = undefined;
    this.watchdogTimer = undefined;
  }

  private onSocketClose(event: SocketEvent): void {
    this.markSocketClosed();
    // A refusal is reported once its token-store cleanup is done (see onConnectAnswer).
    if (this.phase === "over" || this.refusal !== undefined) return;
    const code = event.code ?? 1006;
    const cause = this.socketError;
    if (cause instanceof GatewayClientError) return this.fail(cause);
    const reason = event.reason || (cause instanceof Error ? cause.message : typeof cause === "string" ? cause : "");
    this.fail(new GatewayClosedError(code, reason, { cause }));
  }

  private onMessage(event: SocketEvent): void {
    if (this.phase === "over") return;
    this.lastInboundAt = Date.now();
    if (typeof event.data !== "string") {
      this.invalid(new GatewayProtocolError("gateway sent a binary frame; protocol v4 uses text frames only"), undefined);
      return;
    }
    const parsed = parseServerFrame(event.data);
    if (!parsed.ok) {
      this.invalid(new GatewayProtocolError(`gateway sent an unreadable frame: ${parsed.error}`), requestIdOf(event.data));
      return;
    }
    const frame = parsed.frame;
    if (this.phase === "open") {
      if (frame.type === "res") this.events.response(frame);
      else this.onEvent(frame);
    } else if (frame.type === "event" && frame.event === "connect.challenge" && this.phase === "opening") {
      void this.answerChallenge(frame.payload);
    } else if (frame.type === "res" && frame.id === CONNECT_REQUEST_ID && this.phase === "connecting") {
      void this.onConnectAnswer(frame);
    }
    // Anything else before hello-ok (no gateway sends it) is ignored.
  }

  private invalid(error: GatewayProtocolError, requestId: string | undefined): void {
    // Before hello-ok the peer is not speaking the protocol at all: give up on it.
    if (this.phase !== "open") this.fail(error, 1008, "connect failed");
    else this.events.invalidFrame(error, requestId);
  }

  private onEvent(frame: EventFrame): void {
    if (frame.seq !== undefined) {
      if (this.lastSeq !== undefined && frame.seq > this.lastSeq + 1) this.events.gap({ expected: this.lastSeq + 1, received: frame.seq });
      if (this.lastSeq === undefined || frame.seq > this.lastSeq) this.lastSeq = frame.seq;
    }
    if (this.isStale(frame)) return;
    this.events.event(frame);
  }

  /** A `presence` or `health` update older than one already seen (clients drop stale state versions). */
  private isStale(frame: EventFrame): boolean {
    const key = frame.event === "presence" ? "presence" : frame.event === "health" ? "health" : undefined;
    if (key === undefined || frame.stateVersion === undefined || this.stateVersion === undefined) return false;
    if (frame.stateVersion[key] < this.stateVersion[key]) return true;
    this.stateVersion[key] = frame.stateVersion[key];
    return false;
  }

  private async answerChallenge(payload: unknown): Promise<void> {
    if (!acceptsServerValue(ConnectChallenge, payload)) {
      this.fail(
        new GatewayProtocolError(`invalid connect.challenge: ${serverValueProblems(ConnectChallenge, payload).join("; ")}`),
        1008,
        "connect challenge missing nonce",
      );
      return;
    }
    this.phase = "connecting";
    let params: ConnectParams;
    try {
      params = await this.handshake.params(payload as ConnectChallenge);
    } catch (error) {
      const failure =
        error instanceof GatewayClientError
          ? error
          : new GatewayConfigError(`cannot build connect: ${(error as Error)?.message ?? String(error)}`, { cause: error });
      this.fail(failure);
      return;
    }
    if (this.phase !== "connecting") return;
    this.socket!.send(JSON.stringify({ type: "req", id: CONNECT_REQUEST_ID, method: "connect", params }));
  }

  private async onConnectAnswer(frame: ResponseFrame): Promise<void> {
    if (!frame.ok) {
      const error = new GatewayRequestError("connect", frame.error ?? { code: "UNAVAILABLE", message: "connect refused without an error" });
      // The gateway closes right after refusing; the refusal, not the close, is the reason to report.
      this.refusal = error;
      await this.handshake.refused(error);
      this.fail(error);
      return;
    }
    if (!acceptsServerValue(HelloOk, frame.payload)) {
      this.fail(new GatewayProtocolError(`invalid hello-ok: ${serverValueProblems(HelloOk, frame.payload).join("; ")}`));
      return;
    }
    const hello = frame.payload as HelloOk;
    // Open at once, so events sent right after hello-ok are not lost while the token is stored.
    this.phase = "open";
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.stateVersion = { ...hello.snapshot.stateVersion };
    this.startWatchdog(hello.policy.tickIntervalMs);
    await this.handshake.accepted(hello);
    if (this.phase === "open") this.events.opened(hello);
  }

  /** Close 4000 after 2 × tickIntervalMs without any inbound frame; one timer, re-armed lazily. */
  private startWatchdog(tickIntervalMs: number): void {
    if (!(tickIntervalMs > 0)) return;
    const limit = 2 * tickIntervalMs;
    const check = () => {
      const silentFor = Date.now() - this.lastInboundAt;
      if (silentFor >= limit) this.fail(new GatewayClosedError(4000, "tick timeout"), 4000, "tick timeout");
      else this.watchdogTimer = setTimeout(check, limit - silentFor);
    };
    this.watchdogTimer = setTimeout(check, limit);
  }
}

function requestIdOf(text: string): string | undefined {
  try {
    const value = JSON.parse(text) as { type?: unknown; id?: unknown } | null;
    return value?.type === "res" && typeof value.id === "string" ? value.id : undefined;
  } catch {
    return undefined;
  }
}
