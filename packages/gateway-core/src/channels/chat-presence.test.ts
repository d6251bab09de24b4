import { describe, expect, it } from "vitest";
import { ackReactionApplies } from "./chat-presence.js";

describe("ackReactionApplies", () => {
  it("all: every chat; direct: DMs only; group-all: every group message; group-mentions: group messages that mention the bot", () => {
    const table = (["all", "direct", "group-all", "group-mentions"] as const).map((scope) => [
      scope,
      ackReactionApplies(scope, "dm", false),
      ackReactionApplies(scope, "group", false),
      ackReactionApplies(scope, "group", true),
      ackReactionApplies(scope, "channel", true),
    ]);
    expect(table).toEqual([
      ["all", true, true, true, true],
      ["direct", true, false, false, false],
      ["group-all", false, true, true, true],
      ["group-mentions", false, false, true, true],
    ]);
  });
});
