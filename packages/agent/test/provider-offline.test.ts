import { describe, expect, it } from "vitest";
import { createOfflineProvider } from "../src/providers/offline.js";
import type { ModelMessage, ModelRequest } from "../src/providers/types.js";
import { collect, textOf } from "./providers/collect.js";

const ask = (text: string, earlier: readonly ModelMessage[] = []): ModelRequest => ({ model: "echo", messages: [...earlier, { role: "user", content: text }] });

describe("offline provider", () => {
  it("says it is offline in its label", () => {
    const provider = createOfflineProvider();
    expect(provider.id).toBe("offline");
    expect(provider.label).toBe("offline (no model: deterministic replies)");
  });

  it("takes no thinking levels, and says why", () => {
    expect(createOfflineProvider().thinking?.("echo")).toEqual({ levels: [], reason: "the offline provider has no thinking control" });
  });

  it("echoes the last user message in small chunks, the same way every time", async () => {
    const provider = createOfflineProvider({ chunkSize: 4 });
    const first = await collect(provider.stream(ask("hello there")));
    const second = await collect(provider.stream(ask("hello there")));
    expect(first.events).toEqual(second.events);
    expect(first.events).toEqual([
      { type: "text", delta: "Echo" },
      { type: "text", delta: ": he" },
      { type: "text", delta: "llo " },
      { type: "text", delta: "ther" },
      { type: "text", delta: "e" },
      { type: "done", stopReason: "end" },
    ]);
  });

  it("plays the script back turn by turn, cycling, based only on the conversation", async () => {
    const provider = createOfflineProvider({ mode: "script", script: ["one", "two"] });
    const turn = (n: number) => {
      const earlier: ModelMessage[] = [];
      for (let index = 0; index < n; index++) earlier.push({ role: "user", content: "q" }, { role: "assistant", content: "a" });
      return provider.stream(ask("q", earlier));
    };
    expect(textOf((await collect(turn(0))).events)).toBe("one");
    expect(textOf((await collect(turn(1))).events)).toBe("two");
    expect(textOf((await collect(turn(2))).events)).toBe("one");
    // A fresh conversation starts at the top again, whatever other sessions did.
    expect(textOf((await collect(turn(0))).events)).toBe("one");
  });

  it("calls the named tool, then summarizes the tool result", async () => {
    const provider = createOfflineProvider({ mode: "tool", tool: { name: "system.run", arguments: { command: "date" } } });
    const tools = [{ name: "system.run", description: "Run a command", parameters: { type: "object" } }];
    const first = await collect(provider.stream({ ...ask("what time is it?"), tools }));
    expect(first.events).toEqual([
      { type: "tool_call", call: { id: "offline_call_0", name: "system.run", arguments: '{"command":"date"}' } },
      { type: "done", stopReason: "tool_calls" },
    ]);
    const call = first.events[0]?.type === "tool_call" ? first.events[0].call : undefined;
    const second = await collect(
      provider.stream({
        model: "tool",
        tools,
        messages: [
          { role: "user", content: "what time is it?" },
          { role: "assistant", content: "", toolCalls: call ? [call] : [] },
          { role: "tool", content: "Tue 09:00", toolCallId: "offline_call_0", name: "system.run" },
        ],
      }),
    );
    expect(textOf(second.events)).toBe("Tool system.run returned: Tue 09:00");
    expect(second.events.at(-1)).toEqual({ type: "done", stopReason: "end" });
  });

  it("explains instead of calling a tool the request does not offer", async () => {
    const provider = createOfflineProvider({ mode: "tool", tool: { name: "send", arguments: {} } });
    const { events } = await collect(provider.stream(ask("hi")));
    expect(events.some((event) => event.type === "tool_call")).toBe(false);
    expect(textOf(events)).toContain('the tool "send" is not available');
  });

  it("stops with an aborted error when the signal aborts mid-reply", async () => {
    const provider = createOfflineProvider({ chunkSize: 2 });
    const controller = new AbortController();
    const { events, error } = await collect(
      (async function* () {
        for await (const event of provider.stream({ ...ask("a long message"), signal: controller.signal })) {
          yield event;
          controller.abort();
        }
      })(),
    );
    expect(events).toEqual([{ type: "text", delta: "Ec" }]);
    expect(error).toMatchObject({ name: "ProviderError", code: "aborted" });
  });

  it("refuses a script mode without a script", () => {
    expect(() => createOfflineProvider({ mode: "script" })).toThrow(/needs a non-empty script/);
  });
});
