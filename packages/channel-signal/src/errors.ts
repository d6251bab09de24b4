import { TerminalConnectionError } from "@openclaw/channel-kit";

/**
 * The daemon does not have our account registered (never registered, or the linked device was
 * removed from the phone). Retrying cannot fix it: the account must be registered or linked
 * again, so the channel stops and `channels.status` says relink needed.
 */
export class SignalAccountNotRegisteredError extends TerminalConnectionError {
  constructor(
    readonly account: string,
    detail: string,
  ) {
    super(
      `signal-cli has no registered account ${account} (${detail}); register it (signal-cli -a ${account} register) or link it as a device (signal-cli link), then run openclaw channels start --channel signal`,
    );
  }
}

/** signal-cli's own words for "this account is not (or no longer) registered", on stderr or in an error answer. */
export const NOT_REGISTERED = /\bUser \S+ is not registered\b|Authorization failed|AuthorizationFailedException|Specified account does not exist/i;
