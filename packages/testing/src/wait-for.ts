/**
 * Polls `check` until it returns something other than `undefined` or `false`, and returns that.
 * For state a fake or an adapter changes on its own, where there is no event to wait on. After
 * `timeoutMs` it throws, naming `what` and whatever `context` adds (a log, say).
 */
export async function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 15_000, context: () => string = () => ""): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      const extra = context();
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${extra ? `\n${extra}` : ""}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
