import { describe, expect, it } from "vitest";
import {
  detectCapabilities,
  supportsEdits,
  supportsMedia,
  supportsPhonePairing,
  supportsReconcile,
  supportsTyping,
  supportsWebhook,
  type ChannelAdapter,
  type OutboundMessage,
  type Receipt,
  type ReconcileRequest,
  type SupportsReconcile,
  type SupportsTyping,
} from "./adapter.js";

function baseAdapter(): ChannelAdapter {
  return {
    id: "fake",
    start: async () => {},
    stop: async () => {},
    send: async (_message: OutboundMessage): Promise<Receipt> => ({ providerMessageIds: ["1"], sentAtMs: 0 }),
    status: () => ({ accountId: "default", state: "idle" }),
  };
}

describe("capability detection", () => {
  it("reports nothing for a bare adapter", () => {
    expect(detectCapabilities(baseAdapter())).toEqual({
      typing: false,
      reactions: false,
      readReceipts: false,
      edits: false,
      media: false,
      webhook: false,
      reconcile: false,
      phonePairing: false,
    });
  });

  it("detects capabilities by their members and narrows the type", async () => {
    const calls: boolean[] = [];
    const adapter: ChannelAdapter & SupportsTyping = { ...baseAdapter(), setTyping: async (_target, on) => void calls.push(on) };
    const registered: ChannelAdapter = adapter;
    expect(supportsTyping(registered)).toBe(true);
    if (supportsTyping(registered)) await registered.setTyping({ chatId: "c" }, true);
    expect(calls).toEqual([true]);
    expect(supportsEdits(registered)).toBe(false);
  });

  it("requires the data members, not just the method", () => {
    const noLimit = { ...baseAdapter(), sendMedia: async () => ({ providerMessageIds: [], sentAtMs: 0 }) };
    expect(supportsMedia(noLimit)).toBe(false);
    const withLimit = { ...noLimit, mediaMaxBytes: 1024 };
    expect(supportsMedia(withLimit)).toBe(true);
    const noPath = { ...baseAdapter(), handleWebhook: async () => ({ status: 200 }) };
    expect(supportsWebhook(noPath)).toBe(false);
    const withPath = { ...noPath, webhookPath: "/hooks/fake" };
    expect(supportsWebhook(withPath)).toBe(true);
  });

  it("detects reconcile, the optional look-up after an ambiguous send", async () => {
    const asked: ReconcileRequest[] = [];
    const adapter: ChannelAdapter & SupportsReconcile = {
      ...baseAdapter(),
      reconcile: async (request) => {
        asked.push(request);
        return { status: "delivered", providerMessageIds: ["42"] };
      },
    };
    const registered: ChannelAdapter = adapter;
    expect(detectCapabilities(registered).reconcile).toBe(true);
    if (!supportsReconcile(registered)) throw new Error("not detected");
    const request = { channel: "fake", accountId: "default", chatId: "c", text: "hi", idempotencyKey: "k", chunkIndex: 0, attemptStartedAtMs: 1 };
    expect(await registered.reconcile(request)).toEqual({ status: "delivered", providerMessageIds: ["42"] });
    expect(asked).toEqual([request]);
  });

  it("detects phone pairing, so the gateway asks for a code without knowing the channel", async () => {
    const adapter = { ...baseAdapter(), requestPairingCode: async (phone: string) => `code-for-${phone}` };
    const registered: ChannelAdapter = adapter;
    expect(detectCapabilities(registered).phonePairing).toBe(true);
    if (!supportsPhonePairing(registered)) throw new Error("not detected");
    expect(await registered.requestPairingCode("15551234567")).toBe("code-for-15551234567");
    expect(supportsPhonePairing(baseAdapter())).toBe(false);
  });
});
