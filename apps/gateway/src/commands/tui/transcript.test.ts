import { describe, expect, it } from "vitest";
import { transcriptRows, visibleRows } from "./layout.js";
import { applyChatEvent, EMPTY_TRANSCRIPT, fromHistory, type Transcript } from "./transcript.js";

const text = (value: string) => ({ role: "assistant", content: [{ type: "text", text: value }] });

describe("the transcript", () => {
  it("streams a run's deltas and settles it into one entry", () => {
    let transcript: Transcript = EMPTY_TRANSCRIPT;
    transcript = applyChatEvent(transcript, { runId: "r", sessionKey: "s", seq: 1, state: "delta", deltaText: "Hel" });
    transcript = applyChatEvent(transcript, { runId: "r", sessionKey: "s", seq: 2, state: "delta", deltaText: "lo", message: text("Hello") });
    expect(transcript.live).toEqual([{ runId: "r", text: "Hello" }]);
    transcript = applyChatEvent(transcript, { runId: "r", sessionKey: "s", seq: 3, state: "final", message: text("Hello!") });
    expect(transcript).toEqual({ entries: [{ role: "assistant", text: "Hello!" }], live: [] });
  });

  it("keeps what an aborted or failed run wrote, and says how it ended", () => {
    const streaming = applyChatEvent(EMPTY_TRANSCRIPT, { runId: "r", sessionKey: "s", seq: 1, state: "delta", deltaText: "par" });
    expect(applyChatEvent(streaming, { runId: "r", sessionKey: "s", seq: 2, state: "aborted" }).entries).toEqual([
      { role: "assistant", text: "par" },
      { role: "notice", text: "(run aborted)" },
    ]);
    expect(applyChatEvent(EMPTY_TRANSCRIPT, { runId: "r", sessionKey: "s", seq: 1, state: "error", errorMessage: "429" }).entries).toEqual([
      { role: "error", text: "run failed: 429" },
    ]);
  });

  it("reads history messages, naming tool calls and leaving out empty turns", () => {
    expect(
      fromHistory([
        { role: "user", content: "hi" },
        { role: "assistant", content: [{ type: "toolCall", name: "search" } as { type: string }] },
        { role: "toolResult", content: [{ type: "text", text: "" }] },
      ]),
    ).toEqual([
      { role: "user", text: "hi" },
      { role: "assistant", text: "[tool search]" },
    ]);
  });

  it("wraps entries to the width and shows the newest rows that fit", () => {
    const transcript = { entries: [{ role: "user" as const, text: "one two three four five six" }], live: [{ runId: "r", text: "" }] };
    const rows = transcriptRows(transcript, 24);
    expect(rows.map((row) => row.text)).toEqual(["one two three", "four five six", "", "…"]);
    expect(rows[0]).toMatchObject({ label: "you" });
    expect(visibleRows(rows, 2, 0).rows.map((row) => row.text)).toEqual(["", "…"]);
    expect(visibleRows(rows, 2, 99)).toMatchObject({ scroll: 2, above: 0 });
  });
});
