import type { EventName, EventPayload, HelloOk, MethodName, MethodParams, MethodResult, StateVersion } from "@openclaw/protocol";
import type { SeqGap } from "./connection.js";
import type { GatewayProtocolError } from "./errors.js";

/** Where the client is in its life. `closed` is final. */
export type ClientStatus =
  | { readonly state: "connecting" }
  | { readonly state: "open"; readonly hello: HelloOk }
  | { readonly state: "reconnecting"; readonly attempt: number; readonly delayMs: number; readonly lastError: Error }
  | { readonly state: "closed"; readonly reason: Error };

/**
 * Everything `on` and `events` can subscribe to: the gateway's events, plus two the client
 * raises itself: `gap` (frames were lost, re-fetch state) and `protocolError` (an unreadable frame was dropped).
 */
export type ClientEventMap = { [E in EventName]: EventPayload<E> } & {
  gap: SeqGap;
  protocolError: GatewayProtocolError;
};
export type ClientEventName = keyof ClientEventMap;

/** One delivered event. `stateVersion` comes with `presence` and `health`; `seq` with broadcasts. */
export interface EventMessage<E extends ClientEventName = ClientEventName> {
  readonly event: E;
  readonly payload: ClientEventMap[E];
  readonly seq: number | undefined;
  readonly stateVersion: StateVersion | undefined;
}

export type EventHandler<E extends ClientEventName> = (payload: ClientEventMap[E], message: EventMessage<E>) => void;

/** Side-effecting methods take an `idempotencyKey`; the client fills one in when it is left out. */
type OptionalIdempotencyKey<P> = P extends { idempotencyKey: string } ? Omit<P, "idempotencyKey"> & { idempotencyKey?: string } : P;

/** The params `call(method, …)` accepts. */
export type CallParams<M extends MethodName> = OptionalIdempotencyKey<MethodParams<M>>;

export interface CallOptions<M extends MethodName = MethodName> {
  /** Time allowed for the answer; `Infinity` waits as long as the connection lives. @default the client's requestTimeoutMs (30000) */
  readonly timeoutMs?: number;
  /** Aborting rejects the call with the signal's reason (the gateway may still run it). */
  readonly signal?: AbortSignal;
  /** Wait past a `{ status: "accepted" }` answer for the final one (`agent`). @default false */
  readonly expectFinal?: boolean;
  /** Called with the `accepted` answer of an `expectFinal` call. */
  readonly onAccepted?: (payload: MethodResult<M>) => void;
}

/** `call`'s arguments after the method: params are optional when every field is. */
export type CallArgs<M extends MethodName> =
  {} extends CallParams<M> ? [params?: CallParams<M>, options?: CallOptions<M>] : [params: CallParams<M>, options?: CallOptions<M>];

/** Options of a run (`agent`, `chatSend`). */
export interface RunOptions {
  /** Time allowed for the whole run. @default Infinity (the tick watchdog still notices a dead gateway) */
  readonly timeoutMs?: number;
  /**
   * Aborting stops waiting. For `agent` runs the client also sends the gateway a `cancel` for the
   * request, and a gateway that honours it (this one does; OpenClaw 2026.9.6 ignores it) stops the
   * run. A `chat.send` run keeps going: stop it with `chat.abort`.
   */
  readonly signal?: AbortSignal;
}
