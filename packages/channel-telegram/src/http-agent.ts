// The keep-alive sockets the Bot API calls go out on.
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";

/**
 * An agent for `apiRoot` whose idle sockets close before the server's do. Node shortens an idle
 * socket's life to the server's `Keep-Alive: timeout` hint less a second, but only for an agent
 * with a `timeout` of its own; grammY's default agent has none, so a send could go out on a socket
 * the server was closing that moment, fail with ECONNRESET, and be dead-lettered as ambiguous
 * (Telegram has no way to look up whether it arrived). `timeoutMs` also bounds an idle socket
 * without a hint; it must exceed the longest request (the long poll), because Node applies it to
 * busy sockets too (it only reports there, it closes only idle ones).
 */
export function botApiAgent(apiRoot: string, timeoutMs: number): HttpAgent {
  const options = { keepAlive: true, timeout: timeoutMs };
  return apiRoot.startsWith("http:") ? new HttpAgent(options) : new HttpsAgent(options);
}
