/**
 * The fake signal-cli daemon's message timestamps: one counter per fake, shared by our sends and
 * received messages, so no two messages get the same timestamp.
 */
export function signalClock(start = 1_700_000_000_000) {
  let clock = start;
  return {
    now: () => clock,
    /** Moves on by one millisecond and returns the new time. */
    tick: () => (clock += 1),
  };
}

export type SignalClock = ReturnType<typeof signalClock>;
