import { describe, expect, it } from "vitest";
import { editLine, emptyLine, readChunk, submitLine, visibleLine, type LineEdit, type LineState } from "./line-editor.js";

const apply = (state: LineState, ...edits: LineEdit[]) => edits.reduce(editLine, state);

describe("the line editor", () => {
  it("inserts at the cursor, deletes around it, and drops control characters", () => {
    const state = apply(
      emptyLine(),
      { kind: "insert", text: "helo" },
      { kind: "left" },
      { kind: "insert", text: "l" },
      { kind: "end" },
      { kind: "insert", text: "\u0015!" },
    );
    expect(state).toMatchObject({ text: "hello!", cursor: 6 });
    expect(apply(state, { kind: "backspace" }, { kind: "home" }, { kind: "delete" })).toMatchObject({ text: "ello", cursor: 0 });
    expect(apply(editLine(emptyLine(), { kind: "insert", text: "one two" }), { kind: "deleteWord" })).toMatchObject({ text: "one ", cursor: 4 });
  });

  it("recalls sent lines with Up and Down, keeping the draft", () => {
    let state = emptyLine();
    for (const text of ["first", "second"]) state = submitLine(editLine(state, { kind: "insert", text })).next;
    state = apply(state, { kind: "insert", text: "draft" }, { kind: "up" });
    expect(state.text).toBe("second");
    expect(apply(state, { kind: "up" }, { kind: "up" }).text).toBe("first");
    expect(apply(state, { kind: "down" }).text).toBe("draft");
  });

  it("reads a chunk's trailing Enter or Tab as a key, and inner line breaks as spaces", () => {
    expect(readChunk("hello\r")).toEqual({ text: "hello", then: "submit" });
    expect(readChunk("/mo\t")).toEqual({ text: "/mo", then: "complete" });
    expect(readChunk("a\nb\r\nc")).toEqual({ text: "a b c" });
  });

  it("shows the part of a long line around the cursor", () => {
    const state = editLine(emptyLine(), { kind: "insert", text: "abcdefghij" });
    expect(visibleLine(state, 5)).toEqual({ before: "ghij", at: " ", after: "" });
    expect(visibleLine(editLine(state, { kind: "home" }), 5)).toEqual({ before: "", at: "a", after: "bcde" });
  });
});
