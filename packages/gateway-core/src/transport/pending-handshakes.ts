/** How many sockets may sit between upgrade and hello-ok. */
export interface PendingHandshakeLimits {
  /** Per client address; the rest get HTTP 503. @default 32 */
  readonly perAddress: number;
  /** Across all addresses. @default 1024 */
  readonly total: number;
}

export const DEFAULT_PENDING_HANDSHAKES: PendingHandshakeLimits = { perAddress: 32, total: 1024 };

/**
 * Counts upgrades that have not finished their handshake, so unauthenticated peers can hold
 * only a bounded share of the gateway: a flood from one address is refused before ws reads a
 * byte of it, and a flood from many is capped overall.
 */
export class PendingHandshakes {
  private readonly byAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: PendingHandshakeLimits = DEFAULT_PENDING_HANDSHAKES) {}

  /** Take a slot for `address`; false when either cap is reached. */
  private tryAcquire(address: string): boolean {
    const current = this.byAddress.get(address) ?? 0;
    if (current >= this.limits.perAddress || this.total >= this.limits.total) return false;
    this.byAddress.set(address, current + 1);
    this.total += 1;
    return true;
  }

  /**
   * Take a slot for `address` and return the function that gives it back (at most once, however
   * often it is called); undefined when either cap is reached. The function is made here, apart
   * from the upgrade's request, because it lives as long as the socket: a closure made beside the
   * request would keep the whole IncomingMessage (headers, raw headers, stream state) alive with it.
   */
  acquire(address: string): (() => void) | undefined {
    if (!this.tryAcquire(address)) return undefined;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(address);
    };
  }

  /** Give a slot back (handshake done, refused or socket closed). Each acquire is released once. */
  private release(address: string): void {
    const current = this.byAddress.get(address);
    if (current === undefined) return;
    if (current <= 1) this.byAddress.delete(address);
    else this.byAddress.set(address, current - 1);
    this.total -= 1;
  }

  get size(): number {
    return this.total;
  }
}
