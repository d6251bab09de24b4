import { describe, expect, it } from "vitest";
import { SystemEventQueue, formatSystemEvents } from "./system-events.js";

describe("SystemEventQueue", () => {
  it("hands each session's events out once, oldest first, and keeps sessions apart", () => {
    const queue = new SystemEventQueue();
    queue.enqueue("agent:main:main", "first", 1);
    queue.enqueue("other", "elsewhere", 2);
    queue.enqueue("agent:main:main", "second", 3);
    expect(queue.peek("agent:main:main")).toEqual([
      { text: "first", ts: 1 },
      { text: "second", ts: 3 },
    ]);
    expect(queue.drain("agent:main:main").map((event) => event.text)).toEqual(["first", "second"]);
    expect(queue.drain("agent:main:main")).toEqual([]);
    expect(queue.drain("other")).toEqual([{ text: "elsewhere", ts: 2 }]);
  });

  it("drops blanks and a repeat of the newest line, but not an older repeat", () => {
    const queue = new SystemEventQueue();
    expect(queue.enqueue("s", "  ", 1)).toBe(false);
    expect(queue.enqueue("s", " ping ", 1)).toBe(true);
    expect(queue.enqueue("s", "ping", 2)).toBe(false);
    expect(queue.enqueue("s", "pong", 3)).toBe(true);
    expect(queue.enqueue("s", "ping", 4)).toBe(true);
    expect(queue.drain("s").map((event) => event.text)).toEqual(["ping", "pong", "ping"]);
  });

  it("is bounded per session (newest kept) and in sessions (the longest-waiting dropped)", () => {
    const queue = new SystemEventQueue({ maxPerSession: 3, maxSessions: 2 });
    for (let i = 1; i <= 5; i++) queue.enqueue("a", `event ${i}`, i);
    expect(queue.peek("a").map((event) => event.text)).toEqual(["event 3", "event 4", "event 5"]);
    queue.enqueue("b", "b1", 6);
    queue.enqueue("c", "c1", 7);
    expect(queue.peek("a")).toEqual([]);
    expect(queue.peek("b")).toHaveLength(1);
    expect(queue.peek("c")).toHaveLength(1);
  });
});

describe("formatSystemEvents", () => {
  it("writes one System: line per event with its UTC time", () => {
    expect(
      formatSystemEvents([
        { text: "Backup finished", ts: Date.UTC(2026, 0, 2, 3, 4, 5) },
        { text: "Disk 91% full", ts: Date.UTC(2026, 0, 2, 3, 5, 0) },
      ]),
    ).toBe("System: [2026-01-02T03:04:05.000Z] Backup finished\nSystem: [2026-01-02T03:05:00.000Z] Disk 91% full");
  });
});
