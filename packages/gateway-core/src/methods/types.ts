import type { ClientInfo, MethodName, MethodParams, MethodResult } from "@openclaw/protocol";

/** What a handler may know about the caller. Handlers never touch a socket. */
export interface RequestContext {
  readonly connId: string;
  readonly role: string;
  readonly scopes: readonly string[];
  readonly client: ClientInfo;
  readonly deviceId: string | undefined;
  /** How the connection authenticated: token, password, none, trusted-proxy, tailscale, device-token. */
  readonly authMethod: string;
  readonly remoteAddress: string;
  readonly isLoopback: boolean;
  /** Aborted when the caller's connection closes or the caller cancels this request. */
  readonly signal: AbortSignal;
  /**
   * Aborted only when the caller sent a `cancel` frame for this request: work that outlives
   * its connection (an agent run) stops on this, not on `signal`.
   */
  readonly cancelled?: AbortSignal;
  /** The connection's announced client capabilities (e.g. `tool-events`). */
  readonly caps: readonly string[];
  /**
   * Send an early `res` with the same id before the final one; `agent` answers
   * `accepted` this way. Later calls are ignored.
   */
  readonly accept: (payload: unknown) => void;
}

export type MethodHandler<M extends MethodName> = (params: MethodParams<M>, context: RequestContext) => Promise<MethodResult<M>> | MethodResult<M>;

/** Handlers by method name; a method without one is not advertised and answers "unknown method". */
export type MethodHandlers = { [M in MethodName]?: MethodHandler<M> };
