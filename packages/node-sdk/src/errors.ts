/** Base of every error this package raises. `code` is stable: switch on it, not on the message. */
export abstract class NodeSdkError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Throw it from a handler to answer `ok: false` with this `code` (e.g. `LOCATION_PERMISSION_REQUIRED`).
 * Any other thrown error with a string `code` works too; the rest become `COMMAND_FAILED`.
 */
export class NodeCommandError extends NodeSdkError {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The signal's reason when the invoke ran past its `timeoutMs`. */
export class NodeInvokeTimeoutError extends NodeSdkError {
  readonly code = "TIMEOUT";

  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${command} timed out after ${timeoutMs} ms`);
  }
}

/** The signal's reason when the gateway sent `node.invoke.cancel`. */
export class NodeInvokeCancelledError extends NodeSdkError {
  readonly code = "CANCELLED";

  constructor(readonly command: string) {
    super(`${command} was cancelled by the gateway`);
  }
}

/** The signal's reason when the connection dropped: the gateway already failed the invoke. */
export class NodeDisconnectedError extends NodeSdkError {
  readonly code = "DISCONNECTED";

  constructor(options?: { cause?: unknown }) {
    super("the connection to the gateway dropped; the invoke was abandoned", options);
  }
}

/** `createNode` options that cannot work; the message says what to change. */
export class NodeConfigError extends NodeSdkError {
  readonly code = "NODE_CONFIG_ERROR";
}

/** The shape of `node.invoke.result`'s `error`, from anything a handler threw. */
export function toWireError(error: unknown): { code: string; message: string } {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return { code: typeof code === "string" && code !== "" ? code : "COMMAND_FAILED", message: message || "command failed" };
}
