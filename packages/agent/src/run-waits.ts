import type { Run, RunOutcome } from "./run.js";

/**
 * Waits for run outcomes by id, including ids not submitted yet: a wait registered before its run
 * exists follows the run once `arrived` announces it. `closeAll` answers every wait with undefined.
 */
export class RunWaits {
  private readonly arrivals = new Map<string, Set<(run: Run) => void>>();
  private readonly waits = new Set<(outcome: RunOutcome | undefined) => void>();

  /** Resolves with the outcome, or undefined after `timeoutMs` or at `closeAll`. */
  wait(runId: string, known: Run | undefined, timeoutMs: number): Promise<RunOutcome | undefined> {
    return new Promise((resolve) => {
      const follow = (run: Run) => void run.done.then(settle);
      const settle = (outcome: RunOutcome | undefined) => {
        clearTimeout(timer);
        this.waits.delete(settle);
        const waiting = this.arrivals.get(runId);
        waiting?.delete(follow);
        if (waiting?.size === 0) this.arrivals.delete(runId);
        resolve(outcome);
      };
      const timer = setTimeout(() => settle(undefined), timeoutMs);
      this.waits.add(settle);
      if (known) follow(known);
      else {
        const waiting = this.arrivals.get(runId) ?? new Set();
        waiting.add(follow);
        this.arrivals.set(runId, waiting);
      }
    });
  }

  /** A run with this id now exists: waits that came before it follow it. */
  arrived(run: Run): void {
    const waiting = this.arrivals.get(run.runId);
    this.arrivals.delete(run.runId);
    for (const follow of waiting ?? []) follow(run);
  }

  closeAll(): void {
    for (const settle of [...this.waits]) settle(undefined);
  }
}
