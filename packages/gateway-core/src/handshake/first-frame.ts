import { WireErrors, WireMessages, type ConnectParams, type ErrorShape } from "@openclaw/protocol";
import type { Logger } from "pino";
import { nestsDeeperThan } from "../dispatch/frame-depth.js";
import { responseText } from "../dispatch/frames.js";
import type { ValidatorSet } from "../dispatch/validators.js";
import type { Connection } from "../transport/connection.js";
import { isHandshakeFailure, runHandshake, type Admission, type HandshakeEnvironment } from "./connect.js";

export interface FirstFrameDeps {
  readonly validators: ValidatorSet;
  readonly environment: HandshakeEnvironment;
  readonly send: (connection: Connection, text: string) => void;
  readonly log: Logger;
  /** The connection passed: record it and answer with hello-ok under `requestId`. */
  readonly admitted: (connection: Connection, admission: Admission, requestId: string) => void;
}

/**
 * The frame before hello-ok: it must be a valid `connect` request. Anything else closes the
 * socket with the code and reason clients expect for that case; a refused connect is answered
 * first, then closed.
 */
export async function handleFirstFrame(deps: FirstFrameDeps, connection: Connection, text: string): Promise<void> {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    connection.close(1000);
    return;
  }
  if (nestsDeeperThan(text) || deps.validators.requestFrame(frame) !== undefined) {
    connection.close(1008, WireMessages.invalidRequestFrame);
    return;
  }
  const request = frame as { id: string; method: string; params?: unknown };
  const reject = (error: ErrorShape, code = 1008, reason = error.message) => {
    deps.send(connection, responseText(request.id, { ok: false, error }));
    connection.close(code, reason);
  };
  if (request.method !== "connect") return reject(WireErrors.firstRequestMustBeConnect());
  const params = request.params as { client?: { id?: unknown } } | undefined;
  // Client ids are case-insensitive on input; the canonical form is lowercase.
  if (typeof params?.client?.id === "string") params.client.id = params.client.id.toLowerCase();
  const problems = deps.validators.connectParams(request.params);
  if (problems !== undefined) return reject(WireErrors.invalidConnectParams(problems));

  const outcome = await runHandshake(deps.environment, {
    params: request.params as ConnectParams,
    nonce: connection.nonce,
    remoteAddress: connection.remoteAddress,
    headers: connection.headers,
    local: connection.local,
    // Read only by a throttled attempt's wait: most handshakes never make the AbortController.
    get signal() {
      return connection.signal;
    },
  });
  if (connection.phase !== "handshake") return;
  if (isHandshakeFailure(outcome)) {
    deps.log.info({ connId: connection.id, remote: connection.remoteAddress, code: outcome.error.code, reason: outcome.closeReason }, "connect refused");
    return reject(outcome.error, outcome.closeCode, outcome.closeReason);
  }
  deps.admitted(connection, outcome, request.id);
}
