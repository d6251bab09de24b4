import { describe, expect, it } from "vitest";
import { AmbiguousIdError, CliError, UnknownIdError } from "./errors.js";
import { matchIdPrefix } from "./id-prefix.js";

const DEVICES = { kind: "paired device", listWith: "openclaw devices list" };
const ids = (...list: string[]) => list.map((id) => ({ id }));

describe("matchIdPrefix: ids by unique prefix, as git resolves short hashes", () => {
  it("takes the 12 characters a table shows, or any longer unique prefix", () => {
    const candidates = ids("3f9a0c1d2e4b5a6978", "77aa00bb11cc22dd33");
    expect(matchIdPrefix("3f9a0c1d2e4b", candidates, DEVICES)).toBe("3f9a0c1d2e4b5a6978");
    expect(matchIdPrefix("77aa", candidates, DEVICES)).toBe("77aa00bb11cc22dd33");
  });

  it("refuses a prefix that matches two ids, listing both", () => {
    let error: unknown;
    try {
      matchIdPrefix("3f9a", ids("3f9a0c1d", "3f9a7777", "aaaa0000"), DEVICES);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AmbiguousIdError);
    expect((error as AmbiguousIdError).message).toBe('"3f9a" matches 2 paired devices (3f9a0c1d, 3f9a7777); give more characters');
    expect((error as AmbiguousIdError).details).toEqual({ kind: "paired device", input: "3f9a", matches: ["3f9a0c1d", "3f9a7777"] });
  });

  it("says so when nothing matches", () => {
    expect(() => matchIdPrefix("beef", ids("3f9a0c1d"), DEVICES)).toThrow(UnknownIdError);
    expect(() => matchIdPrefix("beef", ids("3f9a0c1d"), DEVICES)).toThrow('no paired device matches "beef"; see openclaw devices list');
  });

  it("takes a whole id even when it is short or the prefix of another", () => {
    expect(matchIdPrefix("n1", ids("n1", "n10"), DEVICES)).toBe("n1");
  });

  it("refuses a prefix under 4 characters that is not a whole id, even when only one id matches", () => {
    expect(() => matchIdPrefix("3f", ids("3f9a0c1d"), DEVICES)).toThrow(CliError);
    expect(() => matchIdPrefix("3f", ids("3f9a0c1d"), DEVICES)).toThrow(
      '"3f" is too short for a paired device id; give at least 4 characters (or the whole id)',
    );
  });

  it("selects a pending request by its device id too, and counts one request once", () => {
    const requests = [
      { id: "b6e1c9d0-0000-4000-8000-000000000001", aliases: ["3f9a0c1d2e4b5a6978"] },
      { id: "c0ffee00-0000-4000-8000-000000000002", aliases: ["77aa00bb11cc22dd33"] },
    ];
    const kind = { kind: "pending device pairing request", listWith: "openclaw devices list" };
    expect(matchIdPrefix("3f9a0c1d2e4b", requests, kind)).toBe("b6e1c9d0-0000-4000-8000-000000000001");
    expect(matchIdPrefix("c0ffee", requests, kind)).toBe("c0ffee00-0000-4000-8000-000000000002");
  });
});
