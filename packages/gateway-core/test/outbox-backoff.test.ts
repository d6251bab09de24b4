import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ChannelSendError, type Receipt } from "@openclaw/channel-kit";
import { Outbox, type OutboxItem, type OutboxTransport } from "../src/channels/outbox.js";
import { openMemoryStore, type Store } from "../src/store/index.js";

// The README promises retries at 5 s / 25 s / 120 s. These tests run the outbox with its default
// schedule on a fake clock and read the attempt times the outbox itself recorded.

let store: Store;
let outbox: Outbox | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000_000 });
  store = openMemoryStore();
});

afterEach(async () => {
  await outbox?.close();
  outbox = undefined;
  store.close();
  vi.useRealTimers();
});

/** A provider that is down: every send fails before anything was delivered. */
function downTransport(): OutboxTransport & { sends: number[] } {
  const sends: number[] = [];
  return {
    sends,
    chunks: (item: OutboxItem) => [item.text],
    ready: () => true,
    send: async (): Promise<Receipt> => {
      sends.push(Date.now());
      throw new ChannelSendError("transient", "503 service unavailable");
    },
  };
}

function start(random: () => number, idempotencyKey = "k") {
  const transport = downTransport();
  outbox = new Outbox({ db: store.db, transport, random });
  outbox.start();
  const { item } = outbox.enqueue({ idempotencyKey, channel: "memory", accountId: "default", chatId: "c", text: "hello" });
  return { transport, id: item.id, outbox };
}

describe("outbox retry schedule", () => {
  it("retries a transient failure exactly at 5 s, 25 s and 120 s, and not a moment before; then dead-letters", async () => {
    // random 0.5 puts the ±20% jitter at its centre, so the boundaries are exact.
    const { transport, id, outbox: box } = start(() => 0.5);
    await vi.advanceTimersByTimeAsync(0);
    expect(transport.sends).toHaveLength(1);
    const first = transport.sends[0]!;
    let elapsed = 0;
    for (const [index, boundary] of [5_000, 30_000, 150_000].entries()) {
      await vi.advanceTimersByTimeAsync(boundary - 1 - elapsed);
      expect(transport.sends, `no retry before ${boundary} ms`).toHaveLength(index + 1);
      await vi.advanceTimersByTimeAsync(1);
      elapsed = boundary;
      expect(transport.sends, `retry ${index + 1} at ${boundary} ms`).toHaveLength(index + 2);
    }
    expect(transport.sends.map((at) => at - first)).toEqual([0, 5_000, 30_000, 150_000]);
    // The outbox's own attempt log says the same.
    const recorded = box.attempts(id).map((attempt) => attempt.startedAtMs - first);
    expect(recorded).toEqual([0, 5_000, 30_000, 150_000]);
    expect(box.get(id)).toMatchObject({ status: "dead", attempts: 4, deadReason: "gave up after 4 attempts: 503 service unavailable" });
    // Dead means dead: no further attempt however long we wait.
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(transport.sends).toHaveLength(4);
  });

  it("jitters each wait within ±20% of its boundary", async () => {
    for (const [random, factor] of [
      [0, 0.8],
      [0.999_999, 1.2],
    ] as const) {
      const { transport, outbox: box } = start(() => random, `jitter-${random}`);
      await vi.advanceTimersByTimeAsync(200_000);
      const gaps = transport.sends.slice(1).map((at, index) => at - transport.sends[index]!);
      expect(gaps).toEqual([5_000, 25_000, 120_000].map((delay) => Math.round(delay * (0.8 + 0.4 * random))));
      for (const [index, gap] of gaps.entries()) expect(Math.abs(gap - [5_000, 25_000, 120_000][index]! * factor)).toBeLessThanOrEqual(1);
      await box.close();
    }
  });

  it("a wall-clock jump (resume from suspend) does not stall new messages behind the armed retry timer", async () => {
    const transport = downTransport();
    const sent: string[] = [];
    outbox = new Outbox({
      db: store.db,
      random: () => 0.5,
      transport: {
        ...transport,
        send: async (item, chunk) =>
          item.chatId === "down" ? transport.send(item, chunk, 0) : (sent.push(chunk), { providerMessageIds: ["p1"], sentAtMs: Date.now() }),
      },
    });
    outbox.start();
    outbox.enqueue({ idempotencyKey: "down", channel: "memory", accountId: "default", chatId: "down", text: "retrying" });
    await vi.advanceTimersByTimeAsync(0);
    // The retry timer is armed for 5 s of monotonic time; the wall clock now jumps 10 minutes ahead.
    vi.setSystemTime(Date.now() + 600_000);
    outbox.enqueue({ idempotencyKey: "up", channel: "memory", accountId: "default", chatId: "up", text: "new message" });
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual(["new message"]);
  });
});
