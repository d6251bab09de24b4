import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AgentRuntime, MemoryTranscriptStore, type ModelProvider, type ModelRequest, type ModelStreamEvent } from "@openclaw/agent";
import type { HeartbeatEvent } from "@openclaw/protocol";
import { Heartbeat, type HeartbeatOptions } from "./heartbeat.js";

/** A fake of the remote model: records each request and answers `reply`, or waits while `hold` is set. */
class RecordingProvider implements ModelProvider {
  readonly id = "recording";
  readonly label = "recording (test)";
  readonly requests: ModelRequest[] = [];
  hold: Promise<void> | undefined;
  constructor(private readonly reply = "NO_REPLY") {}

  async *stream(request: ModelRequest): AsyncIterable<ModelStreamEvent> {
    this.requests.push(request);
    if (this.hold) await this.hold;
    yield { type: "text", delta: this.reply };
    yield { type: "done", stopReason: "end" };
  }
}

const MINUTE = 60_000;

function setup(options: Partial<HeartbeatOptions> = {}, reply?: string) {
  const provider = new RecordingProvider(reply);
  const agentEvents: string[] = [];
  const runtime = new AgentRuntime({
    store: new MemoryTranscriptStore(),
    resolveModel: () => ({ provider, model: "m" }),
    onEvent: (event) => agentEvents.push(event.runId),
  });
  const events: HeartbeatEvent[] = [];
  const heartbeat = new Heartbeat(runtime, { everyMs: 30 * MINUTE, enabled: true, prompt: "Anything to do?", ...options }, (event) => events.push(event));
  return { provider, runtime, heartbeat, events, agentEvents };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("Heartbeat timer (fake clock)", () => {
  it("beats every `everyMs` with the configured prompt, and not before", async () => {
    const { provider, heartbeat, events } = setup({ everyMs: 45 * MINUTE, prompt: "Check the inbox" });
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(45 * MINUTE - 1);
    expect(provider.requests).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(events).toEqual([expect.objectContaining({ status: "ok-empty" })]);
    expect(provider.requests[0]!.messages.at(-1)).toEqual({ role: "user", content: "Check the inbox" });
    await vi.advanceTimersByTimeAsync(2 * 45 * MINUTE);
    expect(events).toHaveLength(3);
    heartbeat.stop();
    expect(heartbeat.armed).toBe(false);
    await vi.advanceTimersByTimeAsync(10 * 45 * MINUTE);
    expect(events).toHaveLength(3);
  });

  it("disabled by config arms no timer; set-heartbeats on arms it, off clears it", async () => {
    const { provider, heartbeat, events } = setup({ enabled: false });
    heartbeat.start();
    expect(heartbeat.armed).toBe(false);
    await vi.advanceTimersByTimeAsync(5 * 30 * MINUTE);
    // Disabled means silent: no turn and no stream of "skipped" events either.
    expect(events).toEqual([]);

    heartbeat.setEnabled(true);
    expect(heartbeat.armed).toBe(true);
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(provider.requests).toHaveLength(1);

    heartbeat.setEnabled(false);
    expect(heartbeat.armed).toBe(false);
    await vi.advanceTimersByTimeAsync(5 * 30 * MINUTE);
    expect(provider.requests).toHaveLength(1);
    expect(heartbeat.view()).toMatchObject({ enabled: false, every: "disabled", everyMs: null });
    heartbeat.stop();
  });

  it("a zero interval never arms, even when enabled", async () => {
    const { heartbeat } = setup({ everyMs: 0 });
    heartbeat.start();
    heartbeat.setEnabled(true);
    expect(heartbeat.armed).toBe(false);
    expect(heartbeat.enabled).toBe(false);
    heartbeat.stop();
  });

  it("skips a beat while the previous one still runs, and marks only its own runs", async () => {
    const { provider, heartbeat, events, agentEvents } = setup({ everyMs: MINUTE }, "Your 3pm moved");
    let release!: () => void;
    provider.hold = new Promise((resolve) => (release = resolve));
    heartbeat.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    const runId = agentEvents[0]!;
    expect(heartbeat.owns(runId)).toBe(true);
    expect(heartbeat.owns("someone-else")).toBe(false);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(events).toEqual([{ ts: expect.any(Number), status: "skipped", reason: "previous heartbeat still running" }]);
    provider.hold = undefined;
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.at(-1)).toMatchObject({ status: "ok-token", preview: "Your 3pm moved", indicatorType: "alert" });
    // Its events all went out before the run settled, so the id is dropped.
    expect(heartbeat.owns(runId)).toBe(false);
    expect(provider.requests).toHaveLength(1);
    heartbeat.stop();
  });

  it("a wake beat runs while periodic beats are disabled, and says why it ran", async () => {
    const { provider, heartbeat, events } = setup({ enabled: false });
    heartbeat.start();
    expect((await heartbeat.beat()).status).toBe("skipped");
    const woken = await heartbeat.beat({ reason: "wake", sessionKey: "agent:ops:main" });
    expect(woken).toMatchObject({ status: "ok-empty", reason: "wake" });
    expect(provider.requests).toHaveLength(1);
    expect(events.map((event) => event.status)).toEqual(["skipped", "ok-empty"]);
    heartbeat.stop();
  });

  it("a beat racing shutdown fails as a beat instead of throwing", async () => {
    const { runtime, heartbeat } = setup();
    await runtime.close();
    expect(await heartbeat.beat({ reason: "wake" })).toMatchObject({ status: "failed", reason: "agent runtime is shut down", indicatorType: "error" });
  });
});
