import { describe, expect, it } from "vitest";
import { planReload, validateConfig, withDefaults, type ConfigIssue } from "../src/config/index.js";

function issuesOf(parsed: unknown): readonly ConfigIssue[] {
  const result = validateConfig(parsed, {});
  return result.ok ? [] : result.issues;
}

describe("the messages section", () => {
  it("takes ackReaction and ackReactionScope, and refuses other keys and values by name", () => {
    expect(issuesOf({ messages: { ackReaction: "👀", ackReactionScope: "direct" } })).toEqual([]);
    expect(issuesOf({ messages: { ackReaction: "" } })).toEqual([]);
    expect(issuesOf({ messages: { ackReactionScope: "dm" } })).toEqual([
      { path: "messages.ackReactionScope", message: 'expected one of "all", "direct", "group-all", "group-mentions", got "dm"' },
    ]);
    expect(issuesOf({ messages: { ackReaction: true } })).toEqual([{ path: "messages.ackReaction", message: "expected string, got true" }]);
    expect(issuesOf({ messages: { typingReaction: "⌛" } })).toEqual([{ path: "messages.typingReaction", message: "unknown key" }]);
  });

  it("defaults to no reaction, scoped to group mentions", () => {
    expect(withDefaults({}).messages).toEqual({ ackReaction: "", ackReactionScope: "group-mentions" });
    expect(withDefaults({ messages: { ackReaction: "👀" } }).messages).toEqual({ ackReaction: "👀", ackReactionScope: "group-mentions" });
  });

  it("applies in place, with the channels", () => {
    expect(planReload({}, { messages: { ackReaction: "👀" } })).toEqual({ changed: ["messages.ackReaction"], hot: ["channels"], restart: [] });
  });
});
