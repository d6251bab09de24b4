/** One message on its way: the text and the idempotency key it keeps across retries. */
export interface SendTicket {
  readonly key: string;
  readonly text: string;
}

/**
 * Lets one message through at a time. The idempotency key is made once, when the message is
 * submitted; a second click or Enter while it is on its way is refused, and a retry after a
 * dropped connection reuses the same key, so the gateway never starts two runs for it.
 */
export class SendGate {
  private pending: SendTicket | undefined;

  constructor(private readonly newKey: () => string) {}

  get busy(): boolean {
    return this.pending !== undefined;
  }

  /** A ticket for `text`, or undefined when it is blank (and no file goes with it) or another message is still on its way. */
  begin(text: string, withFiles = false): SendTicket | undefined {
    if (this.pending !== undefined || (text.trim().length === 0 && !withFiles)) return undefined;
    this.pending = { key: this.newKey(), text };
    return this.pending;
  }

  /** The message got its answer (or failed for good); the next one may go. */
  finish(ticket: SendTicket): void {
    if (this.pending === ticket) this.pending = undefined;
  }
}
