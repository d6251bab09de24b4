import { describe, expect, it } from "vitest";
import type { CommandHandler } from "./commands.js";
import { NodeCommandError } from "./errors.js";
import { InvokeRunner, MAX_PROGRESS_CHUNK, splitChunk, type InvokeProgress, type InvokeRequest, type InvokeResult, type InvokeSink } from "./invoke-runner.js";

/** Records what a runner sends, in order. */
function recordingSink(): InvokeSink & { sent: (InvokeResult | InvokeProgress)[] } {
  const sent: (InvokeResult | InvokeProgress)[] = [];
  return {
    sent,
    result: async (result) => sent.push(result),
    progress: async (progress) => sent.push(progress),
  };
}

function request(command: string, params: unknown = {}, extra: Partial<InvokeRequest> = {}): InvokeRequest {
  return { id: `inv-${command}`, nodeId: "node-1", command, paramsJSON: params === null ? null : JSON.stringify(params), ...extra };
}

function runner(handlers: Record<string, CommandHandler>): InvokeRunner {
  return new InvokeRunner(new Map(Object.entries(handlers)));
}

describe("InvokeRunner", () => {
  it("sends the handler's value as payloadJSON, after its progress in order", async () => {
    const sink = recordingSink();
    await runner({
      "my.steps": (params, context) => {
        context.progress("one");
        context.progress("two");
        return { got: params };
      },
    }).run(request("my.steps", { n: 1 }), sink);
    expect(sink.sent).toEqual([
      { invokeId: "inv-my.steps", nodeId: "node-1", seq: 0, chunk: "one" },
      { invokeId: "inv-my.steps", nodeId: "node-1", seq: 1, chunk: "two" },
      { id: "inv-my.steps", nodeId: "node-1", ok: true, payloadJSON: '{"got":{"n":1}}' },
    ]);
  });

  it("passes {} for null paramsJSON and answers null for an undefined result", async () => {
    const sink = recordingSink();
    let seen: unknown;
    await runner({ "system.notify": (params) => void (seen = params) }).run(request("system.notify", null), sink);
    expect(seen).toEqual({});
    expect(sink.sent).toEqual([{ id: "inv-system.notify", nodeId: "node-1", ok: true, payloadJSON: null }]);
  });

  it("maps thrown errors: their code, else COMMAND_FAILED; unknown commands and bad JSON get their own codes", async () => {
    const sink = recordingSink();
    const commands = runner({
      "my.coded": () => {
        throw new NodeCommandError("CAMERA_DISABLED", "camera is off");
      },
      "my.plain": async () => {
        throw new Error("boom");
      },
      "my.cyclic": () => {
        const value: Record<string, unknown> = {};
        value["self"] = value;
        return value;
      },
    });
    await commands.run(request("my.coded"), sink);
    await commands.run(request("my.plain"), sink);
    await commands.run(request("my.cyclic"), sink);
    await commands.run(request("my.missing"), sink);
    await commands.run({ ...request("my.plain"), id: "bad-json", paramsJSON: "{nope" }, sink);
    expect(sink.sent.map((sent) => ("error" in sent ? sent.error.code : "?"))).toEqual([
      "CAMERA_DISABLED",
      "COMMAND_FAILED",
      "INVALID_RESULT",
      "UNKNOWN_COMMAND",
      "INVALID_PARAMS",
    ]);
    expect(sink.sent[1]).toMatchObject({ ok: false, error: { message: "boom" } });
  });

  it("answers TIMEOUT for a handler that never returns and aborts its signal", async () => {
    const sink = recordingSink();
    let signal: AbortSignal | undefined;
    await runner({
      "my.stuck": (_params, context) => {
        signal = context.signal;
        return new Promise(() => undefined);
      },
    }).run(request("my.stuck", {}, { timeoutMs: 20 }), sink);
    expect(sink.sent).toEqual([{ id: "inv-my.stuck", nodeId: "node-1", ok: false, error: { code: "TIMEOUT", message: "my.stuck timed out after 20 ms" } }]);
    expect(signal?.aborted).toBe(true);
  });

  it("answers CANCELLED on cancel, and sends nothing when the connection dropped", async () => {
    const sink = recordingSink();
    const commands = runner({
      "my.wait": (_params, context) => new Promise((_, reject) => context.signal.addEventListener("abort", () => reject(new Error("stopped")))),
    });
    const cancelled = commands.run(request("my.wait", {}, { id: "a" }), sink);
    commands.cancel("a");
    await cancelled;
    const dropped = commands.run(request("my.wait", {}, { id: "b" }), sink);
    expect(commands.size).toBe(1);
    commands.abandonAll(new Error("socket closed"));
    await dropped;
    expect(sink.sent).toEqual([{ id: "a", nodeId: "node-1", ok: false, error: { code: "CANCELLED", message: "my.wait was cancelled by the gateway" } }]);
    expect(commands.size).toBe(0);
  });

  it("ignores progress after the invoke ended", async () => {
    const sink = recordingSink();
    let late: ((chunk: string) => void) | undefined;
    await runner({ "my.quick": (_params, context) => void (late = context.progress) }).run(request("my.quick"), sink);
    late?.("too late");
    await Promise.resolve();
    expect(sink.sent).toHaveLength(1);
  });
});

describe("splitChunk", () => {
  it("splits at the protocol limit without cutting a surrogate pair", () => {
    expect(splitChunk("")).toEqual([]);
    const long = "a".repeat(MAX_PROGRESS_CHUNK + 5);
    expect(splitChunk(long).map((part) => part.length)).toEqual([MAX_PROGRESS_CHUNK, 5]);
    const emoji = `${"a".repeat(3)}😀b`;
    expect(splitChunk(emoji, 4)).toEqual(["aaa", "😀b"]);
  });
});
