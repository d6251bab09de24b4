import { describe, expect, it } from "vitest";
import { SendGate } from "./send-gate.js";

describe("SendGate", () => {
  it("makes one key per submitted message and refuses a second submit while it is on its way", () => {
    let made = 0;
    const gate = new SendGate(() => `key-${++made}`);
    const first = gate.begin("hello");
    expect(first).toEqual({ key: "key-1", text: "hello" });
    expect(gate.begin("hello")).toBeUndefined();
    expect(gate.begin("something else")).toBeUndefined();
    expect(made).toBe(1);
    gate.finish(first!);
    expect(gate.begin("next")?.key).toBe("key-2");
  });

  it("ignores blank messages and stale tickets", () => {
    const gate = new SendGate(() => "k");
    expect(gate.begin("   \n")).toBeUndefined();
    const ticket = gate.begin("a")!;
    gate.finish({ key: "other", text: "a" });
    expect(gate.busy).toBe(true);
    gate.finish(ticket);
    expect(gate.busy).toBe(false);
  });
});
