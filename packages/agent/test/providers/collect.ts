import type { ModelStreamEvent } from "../../src/providers/types.js";

/** Drains a provider stream, keeping the events that arrived before any error. */
export async function collect(stream: AsyncIterable<ModelStreamEvent>): Promise<{ events: ModelStreamEvent[]; error: unknown }> {
  const events: ModelStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

/** The concatenated text deltas. */
export function textOf(events: readonly ModelStreamEvent[]): string {
  return events.map((event) => (event.type === "text" ? event.delta : "")).join("");
}

/** A sleep that records the requested delays and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: (ms) => (delays.push(ms), Promise.resolve()) };
}
