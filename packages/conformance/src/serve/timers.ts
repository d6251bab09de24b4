// Time for serve: a monotonic clock for every recorded moment, and one set holding every timer the
// server starts, so stopping clears them all and a test can prove that none is left.

/** Milliseconds from an arbitrary origin that never goes backwards. */
export type Clock = () => number;

/** `performance.now()`: unaffected by wall-clock changes, which is what gaps between reconnects need. */
export const monotonicClock: Clock = () => performance.now();

type Handle = ReturnType<typeof setTimeout>;

export class TimerSet {
  private readonly timeouts = new Set<Handle>();
  private readonly intervals = new Set<ReturnType<typeof setInterval>>();

  /** Run `action` once after `ms`; returns a function that cancels it. */
  after(ms: number, action: () => void): () => void {
    const handle = setTimeout(
      () => {
        this.timeouts.delete(handle);
        action();
      },
      Math.max(0, ms),
    );
    this.timeouts.add(handle);
    return () => {
      clearTimeout(handle);
      this.timeouts.delete(handle);
    };
  }

  /** Run `action` every `ms`; returns a function that stops it. */
  every(ms: number, action: () => void): () => void {
    const handle = setInterval(action, ms);
    this.intervals.add(handle);
    return () => {
      clearInterval(handle);
      this.intervals.delete(handle);
    };
  }

  /** How many timers are still pending. */
  get size(): number {
    return this.timeouts.size + this.intervals.size;
  }

  clearAll(): void {
    for (const handle of this.timeouts) clearTimeout(handle);
    for (const handle of this.intervals) clearInterval(handle);
    this.timeouts.clear();
    this.intervals.clear();
  }
}
