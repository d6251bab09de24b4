/** Base of every error channel-kit raises. `code` is stable: switch on it, not on the message. */
export abstract class ChannelKitError extends Error {
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An option is out of range; the message names the option, the expected value and what was given. */
export class InvalidOptionError extends ChannelKitError {
  readonly code = "CHANNEL_KIT_INVALID_OPTION";

  constructor(
    readonly option: string,
    expected: string,
    received: unknown,
  ) {
    super(`option ${option}: expected ${expected}, got ${JSON.stringify(received) ?? String(received)}`);
  }
}

/** A component was used after `close()`/`stop()`; create a new one instead. */
export class ClosedError extends ChannelKitError {
  readonly code = "CHANNEL_KIT_CLOSED";

  constructor(readonly component: string) {
    super(`${component} is closed; create a new ${component} to use it again`);
  }
}

/**
 * A connection failure that retrying cannot fix (logged out, replaced by another session).
 * Thrown by a supervised `connect` or used to reject `closed`, it moves the supervisor to `failed`.
 */
export class TerminalConnectionError extends ChannelKitError {
  readonly code = "CHANNEL_CONNECTION_TERMINAL";
}

/** `start()` was called on a supervisor in the `failed` state. */
export class SupervisorFailedError extends ChannelKitError {
  readonly code = "CHANNEL_SUPERVISOR_FAILED";

  constructor(readonly reason: string) {
    super(`reconnect supervisor failed (${reason}); call reset() before start()`);
  }
}
