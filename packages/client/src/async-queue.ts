/**
 * A single-consumer async queue: producers `push`, one `for await` reads. `end()` finishes
 * the iteration after buffered values, `end(error)` throws `error` after them.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: unknown) => void } | undefined;
  private ended: { error: unknown } | undefined;

  /** @param onReturn runs once when the consumer stops early or the queue ends (unsubscribe here). */
  constructor(private onReturn?: () => void) {}

  get done(): boolean {
    return this.ended !== undefined;
  }

  push(value: T): void {
    if (this.ended) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = undefined;
      resolve({ value, done: false });
      return;
    }
    this.buffer.push(value);
  }

  end(error?: unknown): void {
    if (this.ended) return;
    this.ended = { error };
    this.release();
    if (this.waiting && this.buffer.length === 0) {
      const { resolve, reject } = this.waiting;
      this.waiting = undefined;
      if (error === undefined) resolve({ value: undefined, done: true });
      else reject(error);
    }
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift()!, done: false });
    if (this.ended) {
      const { error } = this.ended;
      // The error is thrown once; later reads just see the end.
      this.ended = { error: undefined };
      return error === undefined ? Promise.resolve({ value: undefined, done: true }) : Promise.reject(error);
    }
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.buffer.length = 0;
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private release(): void {
    const onReturn = this.onReturn;
    this.onReturn = undefined;
    onReturn?.();
  }
}
