// A model provider a test drives, typed structurally so this package needs nothing from @openclaw/agent.

interface ModelMessageLike {
  readonly role: string;
  readonly content: string;
}

/** What the runtime hands a provider, as far as this fake reads it. */
export interface GatedModelRequest {
  readonly model?: string;
  readonly messages: readonly ModelMessageLike[];
  readonly signal?: AbortSignal;
}

/** A stream event the provider yields (the runtime's `ModelStreamEvent`). */
export type GatedStreamEvent =
  | { readonly type: "text"; readonly delta: string }
  | { readonly type: "tool_call"; readonly call: { readonly id: string; readonly name: string; readonly arguments: string } }
  | {
      readonly type: "done";
      readonly stopReason: "end" | "tool_calls" | "max_tokens" | "refusal" | "other";
      readonly usage?: { readonly inputTokens: number; readonly outputTokens: number };
    };

/** A reply part: text, an error to throw, or a raw stream event. */
export type GatedPart = string | Error | GatedStreamEvent;

/**
 * Request n streams what `reply` returns for it — after `release(n)` while gated (the default).
 * Aborts end a request at once. `started(n)` resolves when request n arrives, so tests wait on
 * that instead of sleeping.
 */
export class GatedProvider<Request extends GatedModelRequest = GatedModelRequest> {
  readonly label = "gated (test)";
  readonly requests: Request[] = [];
  private readonly gates: { open: () => void; opened: Promise<void> }[] = [];
  private readonly arrivals = new Set<() => void>();

  constructor(
    private readonly reply: (request: Request, index: number) => GatedPart[],
    /** @default { gated: true, id: "gated" } */
    private readonly options: { readonly gated?: boolean; readonly id?: string } = {},
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

  async *stream(request: Request): AsyncIterable<GatedStreamEvent> {
    const index = this.requests.push(request) - 1;
    for (const check of [...this.arrivals]) check();
    if (this.options.gated ?? true) {
      const aborted = new Promise<never>((_, reject) =>
        request.signal?.addEventListener("abort", () => reject(new Error("aborted by signal")), { once: true }),
      );
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
export const lastUser = (request: GatedModelRequest): string => request.messages.findLast((message) => message.role === "user")?.content ?? "";
