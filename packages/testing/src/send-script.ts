/**
 * What a provider fake's next send attempts meet, as a test scripts it: refusals (each fake turns a
 * failure into its provider's answer), lost answers (the connection cut after or before the message
 * was stored) and held answers (sends wait until the test releases them).
 */
export type SendLoss = "delivered" | "not-delivered";

export interface SendScript<F extends { status: number }> {
  /** The next scripted loss, if any; taken before a failure, as a cut connection answers nothing. */
  nextLoss(): SendLoss | undefined;
  /** The next scripted refusal, if any. */
  nextFailure(): F | undefined;
  /** Whether sends are held now; await `held()` then. */
  readonly holding: boolean;
  /** Resolves when the test releases held sends (or the fake closes). */
  held(): Promise<void>;
  /** The controls a fake hands to tests. */
  readonly controls: {
    /** The next `count` (1) sends are refused with this failure. */
    failSends(failure: F & { count?: number }): void;
    /** The next `count` (1) sends lose their answer: stored and cut ("delivered") or cut before ("not-delivered"). */
    loseSends(outcome: SendLoss, count?: number): void;
    /** Sends wait from now on; the returned function stops holding and answers every held send. */
    holdSends(): () => void;
    /** Answers every held send (on close). */
    releaseHeld(): void;
    /** Drops the refusals not yet used. */
    clearFailures(): void;
  };
}

export function sendScript<F extends { status: number }>(): SendScript<F> {
  const failures: F[] = [];
  const losses: SendLoss[] = [];
  const waiting: (() => void)[] = [];
  let holding = false;
  const releaseHeld = () => {
    for (const release of waiting.splice(0)) release();
  };
  return {
    nextLoss: () => losses.shift(),
    nextFailure: () => failures.shift(),
    get holding() {
      return holding;
    },
    held: () => new Promise<void>((resolve) => waiting.push(resolve)),
    controls: {
      failSends(failure) {
        const { count = 1, ...refusal } = failure;
        for (let index = 0; index < count; index += 1) failures.push({ ...refusal } as unknown as F);
      },
      loseSends(outcome, count = 1) {
        for (let index = 0; index < count; index += 1) losses.push(outcome);
      },
      holdSends() {
        holding = true;
        return () => {
          holding = false;
          releaseHeld();
        };
      },
      releaseHeld,
      clearFailures() {
        failures.length = 0;
      },
    },
  };
}
