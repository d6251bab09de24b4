import type { Logger } from "pino";
import { WireErrors, authorizeMethod, authorizeParams, findMethod, type ErrorShape, type MethodDescriptor } from "@openclaw/protocol";
import { MethodError, toErrorShape } from "../errors.js";
import type { MethodHandler, MethodHandlers, RequestContext } from "../methods/types.js";
import type { Connection } from "../transport/connection.js";
import { IdempotencyCache, type CachedOutcome } from "./idempotency.js";
import type { ValidatorSet } from "./validators.js";

export interface DispatcherOptions {
  readonly validators: ValidatorSet;
  readonly handlers: MethodHandlers;
  readonly send: (connection: Connection, text: string) => void;
  readonly log: Logger;
  readonly now: () => number;
}

function responseText(id: string, outcome: CachedOutcome): string {
  // Clients crash on a success without `payload`, so an empty result is sent as null.
  if (outcome.ok) return JSON.stringify({ type: "res", id, ok: true, payload: outcome.payload ?? null });
  return JSON.stringify({ type: "res", id, ok: false, ...(outcome.payload === undefined ? {} : { payload: outcome.payload }), error: outcome.error });
}

/**
 * Turns a request frame into exactly one response: frame check, scope check
 * (before the method is even looked up), params check, then the handler.
 */
export class Dispatcher {
  private readonly idempotency: IdempotencyCache;
  /** Requests still being handled, per connection, by request id: what a `cancel` frame can stop. */
  private readonly inFlight = new WeakMap<Connection, Map<string, AbortController>>();

  constructor(private readonly options: DispatcherOptions) {
    this.idempotency = new IdempotencyCache(undefined, undefined, options.now);
  }

  handles(method: string): boolean {
    return Object.hasOwn(this.options.handlers, method);
  }

  sweep(): void {
    this.idempotency.sweep();
  }

  async handle(connection: Connection, text: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      return; // After the handshake, non-JSON is ignored, as the reference gateway does.
    }
    const reply = (id: string, outcome: CachedOutcome) => this.options.send(connection, responseText(id, outcome));
    const fail = (id: string, error: ErrorShape) => reply(id, { ok: false, error });
    if ((frame as { type?: unknown } | null)?.type === "cancel" && this.options.validators.cancelFrame(frame) === undefined) {
      // A cancel for a request that already finished (or never existed) is a no-op, as a late cancel must be.
      this.inFlight.get(connection)?.get((frame as { id: string }).id)?.abort();
      return;
    }

    const frameProblems = this.options.validators.requestFrame(frame);
    if (frameProblems !== undefined) {
      const id = (frame as { id?: unknown } | null)?.id;
      return fail(typeof id === "string" && id.length > 0 ? id : "invalid", WireErrors.invalidRequestFrame(frameProblems));
    }
    const request = frame as { id: string; method: string; params?: unknown };
    const admission = connection.admission!;
    const grant = { role: admission.role, scopes: admission.scopes };
    const descriptor = findMethod(request.method);
    const denied = authorizeMethod(descriptor, grant);
    if (denied) return fail(request.id, denied);
    if (request.method === "connect") return fail(request.id, WireErrors.connectOnlyFirst());
    const handler = (this.options.handlers as Record<string, MethodHandler<never> | undefined>)[request.method];
    if (descriptor === undefined || handler === undefined) return fail(request.id, WireErrors.unknownMethod(request.method));

    const params = request.params ?? {};
    const paramProblems = this.options.validators.paramsOf(request.method)?.(params);
    if (paramProblems !== undefined) return fail(request.id, WireErrors.invalidParams(request.method, paramProblems));
    const stricter = authorizeParams(descriptor, grant, params);
    if (stricter) return fail(request.id, stricter);

    let accepted = false;
    // One signal per request, so handlers' abort listeners go away with the request
    // instead of piling up on the connection's signal.
    const requestAbort = new AbortController();
    const cancelAbort = new AbortController();
    const onConnectionClosed = () => requestAbort.abort();
    const onCancelled = () => requestAbort.abort();
    connection.signal.addEventListener("abort", onConnectionClosed, { once: true });
    cancelAbort.signal.addEventListener("abort", onCancelled, { once: true });
    const pending = this.pendingOf(connection);
    // A reused id (a client bug) keeps the newest request cancellable.
    pending.set(request.id, cancelAbort);
    const context: RequestContext = {
      connId: connection.id,
      role: admission.role,
      scopes: admission.scopes,
      client: admission.params.client,
      deviceId: admission.deviceId,
      authMethod: admission.authMethod,
      remoteAddress: connection.remoteAddress,
      isLoopback: connection.local,
      signal: requestAbort.signal,
      cancelled: cancelAbort.signal,
      caps: admission.params.caps ?? [],
      accept: (payload) => {
        if (accepted) return;
        accepted = true;
        reply(request.id, { ok: true, payload });
      },
    };
    const run = () => this.invoke(handler, params, context, request.method);
    const key = this.idempotencyKey(descriptor, params);
    try {
      reply(request.id, key === undefined ? await run() : await this.idempotency.run(key, run));
    } finally {
      connection.signal.removeEventListener("abort", onConnectionClosed);
      if (pending.get(request.id) === cancelAbort) pending.delete(request.id);
      if (pending.size === 0) this.inFlight.delete(connection);
    }
  }

  private pendingOf(connection: Connection): Map<string, AbortController> {
    let pending = this.inFlight.get(connection);
    if (pending === undefined) {
      pending = new Map();
      this.inFlight.set(connection, pending);
    }
    return pending;
  }

  private idempotencyKey(descriptor: MethodDescriptor, params: unknown): string | undefined {
    const key = (params as { idempotencyKey?: unknown }).idempotencyKey;
    // Agent runs dedupe in the runtime itself: a retry must see `accepted`/`in_flight`, not wait for the end.
    if (descriptor.idempotency === "agent" || descriptor.idempotency === "chat") return undefined;
    return descriptor.idempotency && typeof key === "string" ? `${descriptor.idempotency}:${key}` : undefined;
  }

  private async invoke(handler: MethodHandler<never>, params: unknown, context: RequestContext, method: string): Promise<CachedOutcome> {
    try {
      return { ok: true, payload: await handler(params as never, context) };
    } catch (error) {
      const shape = toErrorShape(error);
      if (shape.code === "UNAVAILABLE") this.options.log.warn({ err: error, method }, "method failed");
      const payload = error instanceof MethodError ? error.payload : undefined;
      return payload === undefined ? { ok: false, error: shape } : { ok: false, error: shape, payload };
    }
  }
}
