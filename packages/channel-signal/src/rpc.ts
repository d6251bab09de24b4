import { ChannelSendError } from "@openclaw/channel-kit";

/** signal-cli's JSON-RPC error codes (`SignalJsonRpcCommandHandler`). */
export const RPC_IO_ERROR = -3;
export const RPC_RATE_LIMIT = -5;
export const RPC_METHOD_NOT_FOUND = -32601;

export interface RpcError {
  readonly code?: number;
  readonly message?: string;
  readonly data?: {
    readonly response?: { readonly retryAfterSeconds?: number; readonly results?: readonly { readonly type?: string; readonly retryAfterSeconds?: number }[] };
  } | null;
}

/** The daemon's retry hint for a rate-limit error, in ms. */
function retryAfterMs(error: RpcError): number | undefined {
  const response = error.data?.response;
  const fromResults = response?.results?.map((result) => result.retryAfterSeconds).find((seconds) => typeof seconds === "number");
  const seconds = response?.retryAfterSeconds ?? fromResults ?? Number(/retry after (\d+(?:\.\d+)?)/i.exec(error.message ?? "")?.[1] ?? Number.NaN);
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Classifies a JSON-RPC error answer: rate limits and I/O trouble are retried, everything else is permanent. */
export function rpcFailure(method: string, error: RpcError): ChannelSendError {
  const message = `signal-cli ${method} failed: ${error.message ?? "unknown error"}`;
  const rateLimited =
    error.code === RPC_RATE_LIMIT ||
    /rate.?limit/i.test(error.message ?? "") ||
    error.data?.response?.results?.some((result) => result.type === "RATE_LIMIT_FAILURE");
  if (rateLimited) return new ChannelSendError("rate_limited", message, { status: 429, retryAfterMs: retryAfterMs(error) ?? 60_000 });
  // signal-cli could not reach Signal's servers: nothing was sent.
  if (error.code === RPC_IO_ERROR) return new ChannelSendError("transient", message);
  return new ChannelSendError("permanent", message, { status: 400 });
}
