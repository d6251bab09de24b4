import { NODE_INVOKE_TIMEOUT_MS } from "@openclaw/protocol";
import type { CommandHandler, InvokeContext } from "./commands.js";
import { NodeCommandError, NodeDisconnectedError, NodeInvokeCancelledError, NodeInvokeTimeoutError, toWireError } from "./errors.js";

/** The `node.invoke.request` event payload, as far as the runner reads it. */
export interface InvokeRequest {
  readonly id: string;
  readonly nodeId: string;
  readonly command: string;
  readonly paramsJSON: string | null;
  readonly timeoutMs?: number | undefined;
  readonly idempotencyKey?: string | undefined;
}

export type InvokeResult =
  | { readonly id: string; readonly nodeId: string; readonly ok: true; readonly payloadJSON: string | null }
  | { readonly id: string; readonly nodeId: string; readonly ok: false; readonly error: { code: string; message: string } };

export interface InvokeProgress {
  readonly invokeId: string;
  readonly nodeId: string;
  readonly seq: number;
  readonly chunk: string;
}

/** Where results and progress go: `node.invoke.result` and `node.invoke.progress` calls. */
export interface InvokeSink {
  result(result: InvokeResult): Promise<unknown>;
  progress(progress: InvokeProgress): Promise<unknown>;
}

/** The protocol's cap on one progress chunk. */
export const MAX_PROGRESS_CHUNK = 16_384;

interface Active {
  readonly controller: AbortController;
  readonly command: string;
}

/** Split a chunk at the protocol's limit without cutting a surrogate pair in half. */
export function splitChunk(chunk: string, max = MAX_PROGRESS_CHUNK): string[] {
  const parts: string[] = [];
  let start = 0;
  while (start < chunk.length) {
    let end = Math.min(chunk.length, start + max);
    const last = chunk.charCodeAt(end - 1);
    if (end < chunk.length && end - start > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
    parts.push(chunk.slice(start, end));
    start = end;
  }
  return parts;
}

/**
 * Runs handlers for `node.invoke.request` events: one terminal result per request, progress
 * before it, and a bound on every handler (timeout, cancel, disconnect) so none can leak.
 */
export class InvokeRunner {
  private readonly active = new Map<string, Active>();

  constructor(private readonly handlers: ReadonlyMap<string, CommandHandler>) {}

  /** Invokes still running. */
  get size(): number {
    return this.active.size;
  }

  /**
   * Run a request, answering through `sink` (the connection it arrived on); resolves once the
   * result was handed over, or dropped because that connection is gone.
   */
  async run(request: InvokeRequest, sink: InvokeSink): Promise<void> {
    // The gateway never sends an id twice; a repeat would be a replay, and answering once is enough.
    if (this.active.has(request.id)) return;
    const reply = (outcome: { payloadJSON: string | null } | { error: { code: string; message: string } }) =>
      sink
        .result({
          id: request.id,
          nodeId: request.nodeId,
          ...("error" in outcome ? { ok: false as const, error: outcome.error } : { ok: true as const, payloadJSON: outcome.payloadJSON }),
        })
        .catch(() => {
          // The connection is gone: the gateway has already failed this invoke for the operator.
        });
    const handler = this.handlers.get(request.command);
    if (handler === undefined) return void (await reply({ error: { code: "UNKNOWN_COMMAND", message: `this node does not implement ${request.command}` } }));
    let params: unknown;
    try {
      params = request.paramsJSON === null ? {} : JSON.parse(request.paramsJSON);
    } catch {
      return void (await reply({ error: { code: "INVALID_PARAMS", message: `paramsJSON of ${request.command} is not JSON` } }));
    }

    const controller = new AbortController();
    const timeoutMs = request.timeoutMs ?? NODE_INVOKE_TIMEOUT_MS;
    this.active.set(request.id, { controller, command: request.command });
    const timer = setTimeout(() => controller.abort(new NodeInvokeTimeoutError(request.command, timeoutMs)), timeoutMs);
    let seq = 0;
    let progressQueue: Promise<unknown> = Promise.resolve();
    const context: InvokeContext = {
      invokeId: request.id,
      command: request.command,
      timeoutMs,
      idempotencyKey: request.idempotencyKey,
      signal: controller.signal,
      progress: (chunk) => {
        if (controller.signal.aborted || !this.active.has(request.id)) return;
        for (const part of splitChunk(chunk)) {
          const progress = { invokeId: request.id, nodeId: request.nodeId, seq: seq++, chunk: part };
          progressQueue = progressQueue.then(() => sink.progress(progress)).catch(() => undefined);
        }
      },
    };

    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(controller.signal.reason), { once: true }));
    let outcome: { payloadJSON: string | null } | { error: { code: string; message: string } };
    try {
      // A handler that ignores its signal is abandoned, not awaited: the race bounds it.
      const value = await Promise.race([Promise.resolve().then(() => handler(params, context)), aborted]);
      outcome = { payloadJSON: value === undefined ? null : serialize(request.command, value) };
    } catch (error) {
      outcome = { error: toWireError(controller.signal.aborted ? controller.signal.reason : error) };
    } finally {
      clearTimeout(timer);
      this.active.delete(request.id);
    }
    // The gateway answers nothing once the socket dropped; the next connection knows nothing of this id.
    if (controller.signal.reason instanceof NodeDisconnectedError) return;
    // Progress the handler sent must reach the operator before the terminal result.
    await progressQueue;
    await reply(outcome);
  }

  /** `node.invoke.cancel`: abort the handler; the result says CANCELLED. */
  cancel(invokeId: string): void {
    const active = this.active.get(invokeId);
    active?.controller.abort(new NodeInvokeCancelledError(active.command));
  }

  /** The connection dropped: abort every handler and send nothing. */
  abandonAll(cause?: unknown): void {
    for (const active of this.active.values()) active.controller.abort(new NodeDisconnectedError({ cause }));
  }
}

function serialize(command: string, value: unknown): string | null {
  try {
    // JSON.stringify answers undefined for a function or symbol: that is "no payload".
    return JSON.stringify(value) ?? null;
  } catch (error) {
    throw new NodeCommandError("INVALID_RESULT", `${command} returned a value that is not JSON: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
}
