import { describe, expect, it } from "vitest";
import { CallGate } from "./call-gate.js";
import { ChannelSendError } from "./errors.js";

describe("CallGate", () => {
  it("classifies a failure and holds the chat back for a 429's delay", async () => {
    const gate = new CallGate({ accountId: "a", channel: "fake", perChat: { capacity: 5, refillPerSecond: 5 } });
    const refused = gate.run(
      "chat",
      async () => {
        throw new Error("429 Too Many Requests");
      },
      (error) => new ChannelSendError("rate_limited", String(error), { status: 429, retryAfterMs: 60_000 }),
    );
    await expect(refused).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 60_000 });
    let ran = false;
    const next = gate.run("chat", async () => {
      ran = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(ran).toBe(false);
    // Other chats are not held back by one chat's penalty.
    await expect(gate.run("other", async () => "sent")).resolves.toBe("sent");
    gate.close();
    await expect(next).rejects.toMatchObject({ kind: "transient", message: "fake account a is stopping" });
  });

  it("settles only after every call in flight has settled", async () => {
    const gate = new CallGate({ accountId: "a", channel: "fake" });
    let release!: () => void;
    const held = gate.run("chat", () => new Promise<string>((resolve) => (release = () => resolve("done"))));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(gate.size).toBe(1);
    let settled = false;
    const settling = gate.settle().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    release();
    await settling;
    await expect(held).resolves.toBe("done");
    expect(gate.size).toBe(0);
    gate.close();
  });

  it("takes calls again after reopen", async () => {
    const gate = new CallGate({ accountId: "a", channel: "fake" });
    gate.close();
    await expect(gate.run("chat", async () => 1)).rejects.toBeInstanceOf(ChannelSendError);
    gate.reopen();
    await expect(gate.run("chat", async () => 2)).resolves.toBe(2);
    gate.close();
  });
});
