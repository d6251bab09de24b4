import { describe, expect, it } from "vitest";
import { PendingHandshakes } from "../src/transport/pending-handshakes.js";

describe("PendingHandshakes.acquire", () => {
  it("returns a release that gives the slot back once, however often it is called", () => {
    const pending = new PendingHandshakes({ perAddress: 2, total: 3 });
    const first = pending.acquire("10.0.0.1");
    const second = pending.acquire("10.0.0.1");
    expect(first).toBeTypeOf("function");
    expect(second).toBeTypeOf("function");
    expect(pending.acquire("10.0.0.1")).toBeUndefined();
    first!();
    first!();
    expect(pending.size).toBe(1);
    expect(pending.acquire("10.0.0.1")).toBeTypeOf("function");
    expect(pending.acquire("10.0.0.2")).toBeTypeOf("function");
    expect(pending.acquire("10.0.0.3")).toBeUndefined();
  });
});
