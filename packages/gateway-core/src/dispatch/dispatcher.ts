import type { Logger } from "pino";
import { createHash } from "node:crypto";
import { WireErrors, authorizeMethod, authorizeParams, findMethod, type ErrorShape, type MethodDescriptor } from "@openclaw/protocol";
import { MethodError, toErrorShape } from "../errors.js";
import type { MethodHandler, MethodHandlers, RequestContext } from "../methods/types.js";
import type { Admission } from "../handshake/connect.js";
import type { Connection } from "../transport/connection.js";
import { MAX_FRAME_DEPTH, nestsDeeperThan } from "./frame-depth.js";
import { responseText, type CachedOutcome } from "./frames.js";
import { IdempotencyCache, reusedKeyError } from "./idempotency.js";
import type { ValidatorSet } from "./validators.js";

export interface DispatcherOptions {
  readonly validators: ValidatorSet;
  readonly handlers: MethodHandlers;
  readonly send: (connection: Connection, text: string) => void;
  readonly log: Logger;
  readonly now: () => number;
}

/** Params in a canonical form (keys sorted at every level), hashed: equal requests, equal fingerprints. */
export function paramsFingerprint(params: unknown): string {
  return createHash("sha256").update(canonicalJson(params)).digest("base64url");
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${canonicalJson(item)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Turns a request frame into exactly one response: frame check, scope check
 * (before the method is even looked up), params check, then the handler.
 */
export class Dispatcher {
  private readonly idempotency: IdempotencyCache;
  /** Requests still being handled, per connection, by request id: what a `cancel` frame can stop. */
  private readonly inFlight = new WeakMap<Connection, Map<string, RequestLifetime>>();

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
    if (nestsDeeperThan(text)) {
      const id = (frame as { id?: unknown } | null)?.id;
      return fail(typeof id === "string" && id.length > 0 ? id : "invalid", WireErrors.invalidRequestFrame(`nested deeper than ${MAX_FRAME_DEPTH} levels`));
    }
    if ((frame as { type?: unknown } | null)?.type === "cancel" && this.options.validators.cancelFrame(frame) === undefined) {
      // A cancel for a request that already finished (or never existed) is a no-op, as a late cancel must be.
      this.inFlight
        .get(connection)
        ?.get((frame as { id: string }).id)
        ?.cancel();
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
    const lifetime = new RequestLifetime(() => connection.signal);
    const pending = this.pendingOf(connection);
    // A reused id (a client bug) keeps the newest request cancellable.
    pending.set(request.id, lifetime);
    const context: RequestContext = {
      connId: connection.id,
      role: admission.role,
      scopes: admission.scopes,
      client: admission.params.client,
      deviceId: admission.deviceId,
      authMethod: admission.authMethod,
      remoteAddress: connection.remoteAddress,
      isLoopback: connection.local,
      get signal() {
        return lifetime.signal;
      },
      get cancelled() {
        return lifetime.cancelled;
      },
      caps: admission.params.caps ?? [],
      accept: (payload) => {
        if (accepted) return;
        accepted = true;
        reply(request.id, { ok: true, payload });
      },
    };
    const run = () => this.invoke(handler, params, context, request.method);
    const key = this.idempotencyKey(descriptor, request.method, params, admission);
    try {
      reply(
        request.id,
        key === undefined
          ? await run()
          : await this.idempotency.run(key.cacheKey, paramsFingerprint(params), run, () => ({ ok: false, error: reusedKeyError(request.method, key.key) })),
      );
    } finally {
      lifetime.dispose();
      if (pending.get(request.id) === lifetime) pending.delete(request.id);
    }
  }

  private pendingOf(connection: Connection): Map<string, RequestLifetime> {
    let pending = this.inFlight.get(connection);
    if (pending === undefined) {
      pending = new Map();
      this.inFlight.set(connection, pending);
    }
    return pending;
  }

  /**
   * The cache key: who asked, which method, which key. A device is its own caller; device-less
   * connections share one caller per auth method, role and scope set, since they hold the same
   * credential with the same authority.
   */
  private idempotencyKey(descriptor: MethodDescriptor, method: string, params: unknown, admission: Admission): { cacheKey: string; key: string } | undefined {
    const key = (params as { idempotencyKey?: unknown }).idempotencyKey;
    // Agent runs dedupe in the runtime itself: a retry must see `accepted`/`in_flight`, not wait for the end.
    if (descriptor.idempotency === "agent" || descriptor.idempotency === "chat") return undefined;
    if (!descriptor.idempotency || typeof key !== "string") return undefined;
    const caller =
      admission.deviceId !== undefined
        ? `device:${admission.deviceId}:${admission.role}`
        : `shared:${admission.authMethod}:${admission.role}:${[...admission.scopes].sort().join(",")}`;
    return { cacheKey: `${caller}\u0000${method}\u0000${key}`, key };
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

/**
 * A request's abort signals, made only when its handler asks for one: most never do, and an
 * AbortController with its listener costs more than the rest of a `health` call.
 */
class RequestLifetime {
  #signal: AbortController | undefined;
  #cancel: AbortController | undefined;
  #cancelled = false;
  #onClose: { readonly signal: AbortSignal; readonly listener: () => void } | undefined;

  /** `connectionSignal` is only asked for when a handler wants a signal. */
  constructor(private readonly connectionSignal: () => AbortSignal) {}

  /** Aborted when the connection closes or the caller cancels. */
  get signal(): AbortSignal {
    if (this.#signal === undefined) {
      const controller = new AbortController();
      this.#signal = controller;
      const closed = this.connectionSignal();
      if (this.#cancelled || closed.aborted) controller.abort();
      else {
        const listener = () => controller.abort();
        closed.addEventListener("abort", listener, { once: true });
        this.#onClose = { signal: closed, listener };
      }
    }
    return this.#signal.signal;
  }

  /** Aborted only by the caller's `cancel` frame. */
  get cancelled(): AbortSignal {
    if (this.#cancel === undefined) {
      this.#cancel = new AbortController();
      if (this.#cancelled) this.#cancel.abort();
    }
    return this.#cancel.signal;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.#cancel?.abort();
    this.#signal?.abort();
  }

  /** The request is answered: nothing of it stays on the connection's signal. */
  dispose(): void {
    if (this.#onClose !== undefined) this.#onClose.signal.removeEventListener("abort", this.#onClose.listener);
  }
}
