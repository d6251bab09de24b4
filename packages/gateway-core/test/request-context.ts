import type { RequestContext } from "../src/methods/types.js";

/** A handler context for calling a method handler directly, without a socket. */
export function requestContext(overrides: Partial<RequestContext> = {}): RequestContext {
  return {
    connId: "conn-1",
    role: "operator",
    scopes: ["operator.admin"],
    client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    deviceId: undefined,
    authMethod: "token",
    caps: [],
    accept: () => undefined,
    remoteAddress: "127.0.0.1",
    isLoopback: true,
    signal: new AbortController().signal,
    ...overrides,
  };
}
