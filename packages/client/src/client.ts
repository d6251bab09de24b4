import { findMethod, type EventFrame, type HelloOk, type MethodName, type MethodResult } from "@openclaw/protocol";
import { AsyncQueue } from "./async-queue.js";
import { Connection, type Handshake } from "./connection.js";
import { GatewayClosedError, GatewayRequestError } from "./errors.js";
import { buildConnectParams, selectConnectAuth } from "./handshake.js";
import { InMemoryDeviceTokenStore, type DeviceTokenKey, type DeviceTokenStore } from "./identity.js";
import { resolveOptions, type ConnectOptions, type ResolvedOptions } from "./options.js";
import { randomId } from "./random-id.js";
import { isTerminalFailure, reconnectDelay } from "./reconnect.js";
import { RequestTracker } from "./requests.js";
import { startAgentRun, startChatRun, type AgentRun, type ChatRun } from "./runs.js";
import type { CallArgs, CallOptions, CallParams, ClientEventName, ClientStatus, EventHandler, EventMessage, RunOptions } from "./types.js";

/** How long `close()` waits for the peer to finish the close handshake before dropping the socket. */
const CLOSE_GRACE_MS = 1000;

type AnyHandler = (payload: unknown, message: EventMessage) => void;

/**
 * A connection to a gateway that survives restarts: typed calls, events and runs over one
 * socket at a time, reconnecting with backoff after unexpected closes. Create it with {@link connect}.
 */
export class GatewayClient {
  private readonly options: ResolvedOptions;
  private readonly tokenStore: DeviceTokenStore | undefined;
  // A request given up on the client is cancelled on the gateway too (an agent run stops there).
  private readonly requests = new RequestTracker((request) => {
    if (this.current.state === "open") this.connection?.send(JSON.stringify({ type: "cancel", id: request.id }));
  });
  private readonly listeners = new Map<string, Set<AnyHandler>>();
  private readonly statusListeners = new Set<(status: ClientStatus) => void>();
  private readonly openWaiters = new Set<{ resolve: (hello: HelloOk) => void; reject: (error: Error) => void }>();
  private readonly iterators = new Set<{ end(): void }>();
  /** Connections whose socket has not closed yet; `close()` waits for them. */
  private readonly live = new Set<Connection>();
  private current: ClientStatus = { state: "connecting" };
  private connection: Connection | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private attempt = 0;
  private everOpened = false;
  private closing: Promise<void> | undefined;
  private detachSignal: (() => void) | undefined;

  constructor(options: ConnectOptions) {
    this.options = resolveOptions(options);
    this.tokenStore = this.options.identity ? (this.options.identityStore ?? new InMemoryDeviceTokenStore()) : undefined;
    const signal = this.options.signal;
    if (signal?.aborted) {
      this.finish(abortReason(signal));
      return;
    }
    if (signal) {
      const onAbort = () => void this.closeWith(abortReason(signal));
      signal.addEventListener("abort", onAbort, { once: true });
      this.detachSignal = () => signal.removeEventListener("abort", onAbort);
    }
    this.openConnection();
  }

  get status(): ClientStatus {
    return this.current;
  }

  /** The `hello-ok` of the open connection. */
  get hello(): HelloOk | undefined {
    return this.current.state === "open" ? this.current.hello : undefined;
  }

  /** Observe status changes; returns the unsubscribe function. */
  onStatus(listener: (status: ClientStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves with the next (or current) `hello-ok`; rejects when the client closes first. */
  opened(): Promise<HelloOk> {
    const status = this.current;
    if (status.state === "open") return Promise.resolve(status.hello);
    if (status.state === "closed") return Promise.reject(status.reason);
    return new Promise((resolve, reject) => this.openWaiters.add({ resolve, reject }));
  }

  /**
   * Call a method. Params and result are typed from the protocol registry. While the
   * client is reconnecting the call waits (within its timeout) and is sent once open.
   */
  call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<MethodResult<M>> {
    const [params, options = {}] = args as [CallParams<M> | undefined, CallOptions<M> | undefined];
    if (this.current.state === "closed") return Promise.reject(this.closedError(this.current.reason));
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    const { request, promise } = this.requests.add(method, withIdempotencyKey(method, params), {
      timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs,
      signal: options.signal,
      expectFinal: options.expectFinal ?? false,
      onAccepted: options.onAccepted as ((payload: unknown) => void) | undefined,
    });
    if (this.current.state === "open" && this.connection?.send(request.text)) request.sent = true;
    return promise as Promise<MethodResult<M>>;
  }

  /** Subscribe to an event; returns the unsubscribe function. */
  on<E extends ClientEventName>(event: E, handler: EventHandler<E>): () => void {
    let handlers = this.listeners.get(event);
    if (handlers === undefined) this.listeners.set(event, (handlers = new Set()));
    const entry = handler as unknown as AnyHandler;
    handlers.add(entry);
    return () => handlers.delete(entry);
  }

  /** An event as an async iterator; it ends when the client closes, or when the loop breaks. */
  events<E extends ClientEventName>(event: E): AsyncIterableIterator<EventMessage<E>> {
    let off: (() => void) | undefined;
    const queue: AsyncQueue<EventMessage<E>> = new AsyncQueue(() => {
      off?.();
      this.iterators.delete(queue);
    });
    if (this.current.state === "closed") {
      queue.end();
      return queue;
    }
    off = this.on(event, (_payload, message) => queue.push(message));
    this.iterators.add(queue);
    return queue;
  }

  /** Start an agent run: `accepted` on the ack, iterate its `agent` events, `result` on the final answer. */
  agent(params: CallParams<"agent">, options: RunOptions = {}): AgentRun {
    return startAgentRun(this, params, options);
  }

  /** `chat.send` as a run: `accepted` on the ack, iterate its `chat` events, `result` is the final one. */
  chatSend(params: CallParams<"chat.send">, options: RunOptions = {}): ChatRun {
    return startChatRun(this, params, options);
  }

  /** Close for good: pending calls reject, iterators end, and every timer is cleared. */
  close(): Promise<void> {
    return this.closeWith(new GatewayClosedError(1000, "client closed", { retryable: false }));
  }

  private closeWith(reason: Error): Promise<void> {
    this.closing ??= (async () => {
      this.connection?.dispose(1000, "client closed");
      this.connection = undefined;
      this.finish(reason);
      const sockets = [...this.live].map((connection) => connection.socketClosed);
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<"late">((resolve) => (graceTimer = setTimeout(() => resolve("late"), CLOSE_GRACE_MS)));
      const outcome = await Promise.race([Promise.all(sockets), grace]);
      clearTimeout(graceTimer);
      if (outcome === "late") for (const connection of this.live) connection.terminate();
    })();
    return this.closing;
  }

  private openConnection(): void {
    const connection: Connection = new Connection(
      {
        url: this.options.url,
        socketFactory: this.options.socketFactory,
        tlsFingerprint: this.options.tlsFingerprint,
        handshakeTimeoutMs: this.options.handshakeTimeoutMs,
      },
      this.handshake(),
      {
        opened: (hello) => this.connection === connection && this.onOpened(connection, hello),
        response: (frame) => this.requests.settle(frame),
        event: (frame) => this.emit(frame.event, frame.payload, frame),
        gap: (gap) => this.emit("gap", gap),
        invalidFrame: (error, requestId) => (requestId !== undefined ? this.requests.rejectOne(requestId, error) : this.emit("protocolError", error)),
        closed: (error) => this.connection === connection && this.onConnectionClosed(error),
      },
    );
    this.connection = connection;
    this.live.add(connection);
    void connection.socketClosed.then(() => this.live.delete(connection));
  }

  /** Credentials in, device tokens out; `tokenFromStore` tells a stale stored token from a wrong explicit one. */
  private handshake(): Handshake {
    const { identity, credentials, url, role } = this.options;
    const store = this.tokenStore;
    const key: DeviceTokenKey | undefined = identity ? { gatewayUrl: url, deviceId: identity.id, role } : undefined;
    let tokenFromStore = false;
    return {
      params: async (challenge) => {
        const stored = key && store ? (await store.get(key))?.token : undefined;
        const selected = selectConnectAuth(credentials, stored);
        tokenFromStore = selected.tokenFromStore;
        return buildConnectParams(this.options, challenge, selected.auth);
      },
      accepted: async (hello) => {
        const token = hello.auth.deviceToken;
        if (!key || !store || token === undefined) return;
        try {
          await store.set(key, { token, scopes: hello.auth.scopes, issuedAtMs: hello.auth.issuedAtMs ?? Date.now() });
        } catch {
          // A failed write only costs a fresh token next time; it must not cost this connection.
        }
      },
      refused: async (error) => {
        if (!key || !store) return;
        const stale = error.detailCode === "AUTH_DEVICE_TOKEN_MISMATCH" || (tokenFromStore && error.detailCode === "AUTH_TOKEN_MISMATCH");
        try {
          if (stale) await store.clear(key);
        } catch {
          // The refusal is what the caller needs to see; a token that failed to clear is refused again next time.
        }
      },
    };
  }

  private onOpened(connection: Connection, hello: HelloOk): void {
    this.attempt = 0;
    this.everOpened = true;
    for (const request of this.requests.unsent()) if (connection.send(request.text)) request.sent = true;
    this.setStatus({ state: "open", hello });
    for (const waiter of [...this.openWaiters]) waiter.resolve(hello);
    this.openWaiters.clear();
  }

  private onConnectionClosed(error: Error): void {
    this.connection = undefined;
    // Answers to requests on that socket are lost with it; unsent ones wait for the next socket.
    this.requests.rejectSent(error instanceof GatewayClosedError ? error : new GatewayClosedError(1006, error.message, { cause: error }));
    const policy = this.options.reconnect;
    // Before the first hello-ok only the gateway's own "come back shortly" is retried, so a wrong URL fails fast.
    const invited = error instanceof GatewayRequestError && error.retryAfterMs !== undefined;
    if (policy === false || isTerminalFailure(error) || (!this.everOpened && !invited) || this.attempt >= policy.maxAttempts) {
      this.finish(error);
      return;
    }
    this.attempt += 1;
    const delayMs = reconnectDelay(this.attempt, policy, error);
    this.setStatus({ state: "reconnecting", attempt: this.attempt, delayMs, lastError: error });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.openConnection();
    }, delayMs);
  }

  /** Enter `closed`: nothing may be left running after this. */
  private finish(reason: Error): void {
    if (this.current.state === "closed") return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.detachSignal?.();
    this.requests.rejectAll(this.closedError(reason));
    this.setStatus({ state: "closed", reason });
    for (const waiter of [...this.openWaiters]) waiter.reject(reason);
    this.openWaiters.clear();
    for (const queue of [...this.iterators]) queue.end();
    this.iterators.clear();
    this.listeners.clear();
    this.statusListeners.clear();
  }

  private closedError(reason: Error): GatewayClosedError {
    if (reason instanceof GatewayClosedError && !reason.retryable) return reason;
    const code = reason instanceof GatewayClosedError ? reason.closeCode : 1000;
    return new GatewayClosedError(code, `client closed: ${reason.message}`, { retryable: false, cause: reason });
  }

  private setStatus(status: ClientStatus): void {
    this.current = status;
    for (const listener of [...this.statusListeners]) isolate(() => listener(status));
  }

  private emit(event: string, payload: unknown, frame?: EventFrame): void {
    const handlers = this.listeners.get(event);
    if (handlers === undefined || handlers.size === 0) return;
    const message = { event, payload, seq: frame?.seq, stateVersion: frame?.stateVersion } as EventMessage;
    for (const handler of [...handlers]) isolate(() => handler(payload, message));
  }
}

/** One throwing listener must not starve the others or break the socket loop; its error still surfaces. */
function isolate(run: () => void): void {
  try {
    run();
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new GatewayClosedError(1000, "aborted", { retryable: false, cause: signal.reason });
}

function withIdempotencyKey(method: MethodName, params: unknown): unknown {
  if (findMethod(method)?.idempotency === undefined || params === null || typeof params !== "object") return params;
  if ((params as { idempotencyKey?: unknown }).idempotencyKey !== undefined) return params;
  return { ...params, idempotencyKey: randomId() };
}
