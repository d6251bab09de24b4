import type { ChatEvent } from "@openclaw/protocol";
import { describe, expect, it } from "vitest";
import { ChatTranscript } from "./transcript.js";

const SESSION = "agent:main:main";

function chat(runId: string, seq: number, state: ChatEvent["state"], extra: Partial<ChatEvent> = {}): ChatEvent {
  return { runId, sessionKey: SESSION, seq, state, ...extra };
}

function assistant(text: string) {
  return { role: "assistant", content: [{ type: "text", text }], timestamp: 1 };
}

describe("ChatTranscript", () => {
  it("streams a reply from deltas and settles on the final text", () => {
    const transcript = new ChatTranscript();
    transcript.addUserMessage("run-1", "hi", 1);
    transcript.markSent("run-1");
    expect(transcript.activeRunId()).toBe("run-1");
    transcript.applyChat(chat("run-1", 1, "delta", { deltaText: "Ec" }));
    transcript.applyChat(chat("run-1", 2, "delta", { deltaText: "ho" }));
    expect(transcript.entries.at(-1)).toMatchObject({ role: "assistant", text: "Echo", status: "streaming" });
    transcript.applyChat(chat("run-1", 3, "final", { message: assistant("Echo: hi") }));
    expect(transcript.entries.map((entry) => [entry.role, entry.text, entry.status])).toEqual([
      ["user", "hi", "sent"],
      ["assistant", "Echo: hi", "final"],
    ]);
    expect(transcript.activeRunId()).toBeUndefined();
  });

  it("prefers the cumulative message over deltas, so a lost delta heals", () => {
    const transcript = new ChatTranscript();
    transcript.applyChat(chat("r", 1, "delta", { deltaText: "A", message: assistant("A") }));
    transcript.applyChat(chat("r", 3, "delta", { deltaText: "C", message: assistant("ABC") }));
    expect(transcript.entries[0]!.text).toBe("ABC");
    transcript.applyChat(chat("r", 4, "delta", { deltaText: "X", replace: true }));
    expect(transcript.entries[0]!.text).toBe("X");
  });

  it("does not reopen a finished reply on a late delta", () => {
    const transcript = new ChatTranscript();
    transcript.applyChat(chat("r", 2, "final", { message: assistant("done") }));
    transcript.applyChat(chat("r", 1, "delta", { deltaText: "late" }));
    expect(transcript.entries).toHaveLength(1);
    expect(transcript.entries[0]).toMatchObject({ text: "done", status: "final" });
  });

  it("marks aborted and failed runs", () => {
    const transcript = new ChatTranscript();
    transcript.applyChat(chat("a", 1, "aborted", { message: assistant("part") }));
    transcript.applyChat(chat("b", 1, "error", { errorMessage: "model down" }));
    expect(transcript.entries.map((entry) => [entry.status, entry.error])).toEqual([
      ["aborted", undefined],
      ["error", "model down"],
    ]);
  });

  it("reports runs it did not start as unknown", () => {
    const transcript = new ChatTranscript();
    transcript.addUserMessage("mine", "x");
    expect(transcript.applyChat(chat("mine", 1, "delta", { deltaText: "y" })).known).toBe(true);
    expect(transcript.applyChat(chat("theirs", 1, "final", { message: assistant("z") }))).toEqual({ known: false, ended: true });
  });

  it("folds tool events and history tool calls into the reply", () => {
    const transcript = new ChatTranscript();
    transcript.applyAgent({
      runId: "r",
      seq: 1,
      stream: "tool",
      ts: 1,
      data: { phase: "start", name: "camera.snap", toolCallId: "t1", args: { facing: "front" } },
    });
    transcript.applyAgent({ runId: "r", seq: 2, stream: "tool", ts: 2, data: { phase: "result", name: "camera.snap", toolCallId: "t1", result: "ok" } });
    transcript.applyAgent({ runId: "r", seq: 3, stream: "assistant", ts: 3, data: { text: "ignored" } });
    expect(transcript.entries[0]!.tools).toEqual([{ id: "t1", name: "camera.snap", phase: "result", args: { facing: "front" }, result: "ok", isError: false }]);

    const fromHistory = new ChatTranscript();
    fromHistory.replaceHistory({
      messages: [
        { role: "user", content: [{ type: "text", text: "snap" }], id: "1" },
        { role: "assistant", content: [{ type: "text", text: "" }, { type: "toolCall", id: "t9", name: "camera.snap", arguments: {} } as never], id: "2" },
        { role: "toolResult", content: [{ type: "text", text: "jpeg" }], id: "3", toolName: "camera.snap" } as never,
        { role: "assistant", content: [{ type: "text", text: "Here it is" }], id: "4" },
      ],
    });
    expect(fromHistory.entries.map((entry) => entry.role)).toEqual(["user", "assistant", "assistant"]);
    expect(fromHistory.entries[1]!.tools).toMatchObject([{ id: "t9", name: "camera.snap", phase: "result", result: "jpeg" }]);
  });

  it("keeps unsent messages and live replies across a history reload, and pages back", () => {
    const transcript = new ChatTranscript();
    transcript.addUserMessage("r2", "second");
    transcript.applyChat(chat("r1", 1, "delta", { deltaText: "stream" }));
    transcript.replaceHistory({ messages: [{ role: "user", content: "first", id: "10", runId: "r1" } as never], hasMore: true, cursor: "10" });
    expect(transcript.entries.map((entry) => entry.text)).toEqual(["first", "second", "stream"]);
    expect(transcript.cursor).toBe("10");
    transcript.prependHistory({ messages: [{ role: "user", content: "zeroth", id: "9" }], hasMore: false });
    expect(transcript.entries.map((entry) => entry.text)).toEqual(["zeroth", "first", "second", "stream"]);
    expect(transcript.hasMore).toBe(false);
  });
});
