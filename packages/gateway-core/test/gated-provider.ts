import type { ModelProvider, ModelRequest, ModelStreamEvent } from "@openclaw/agent";

export type Part = string | Error | ModelStreamEvent;

/**
 * A model provider a test drives: request n streams what `reply` returns for it, after
 * `release(n)` when the provider is gated. Aborts end a request at once. `started(n)` resolves
 * when request n arrives, so tests wait on that instead of sleeping.
 */
export class GatedProvider implements ModelProvider {
  readonly label = "gated (test)";
  readonly requests: ModelRequest[] = [];
  private readonly gates: { open: () => void; opened: Promise<void> }[] = [];
  private readonly arrivals = new Set<() => void>();

  constructor(
    private readonly reply: (request: ModelRequest, index: number) => Part[],
    private readonly options: { gated?: boolean; id?: string } = {},
  ) {}

  get id(): string {
    return this.options.id ?? "gated";
  }

  release(index: number): void {
    this.gate(index).open();
  }

  started(index: number): Promise<void> {
    if (this.requests.length > index) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.requests.length <= index) return;
        this.arrivals.delete(check);
        resolve();
      };
      this.arrivals.add(check);
    });
  }

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    const index = this.requests.push(request) - 1;
    for (const check of [...this.arrivals]) check();
    if (this.options.gated) {
      const aborted = new Promise<never>((_, reject) => request.signal?.addEventListener("abort", () => reject(new Error("aborted by signal")), { once: true }));
      aborted.catch(() => undefined);
      await Promise.race([this.gate(index).opened, aborted]);
    }
    for (const part of this.reply(request, index)) {
      if (request.signal?.aborted) throw new Error("aborted by signal");
      if (part instanceof Error) throw part;
      yield typeof part === "string" ? { type: "text", delta: part } : part;
      await new Promise((resolve) => setImmediate(resolve));
    }
    yield { type: "done", stopReason: "end" };
  }

  private gate(index: number) {
    while (this.gates.length <= index) {
      let open!: () => void;
      const opened = new Promise<void>((resolve) => (open = resolve));
      this.gates.push({ open, opened });
    }
    return this.gates[index]!;
  }
}

/** The text of the last user message a model saw. */
export const lastUser = (request: ModelRequest) => request.messages.findLast((message) => message.role === "user")?.content ?? "";
