import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { RELOAD_RULES } from "../src/config/reload-plan.js";

describe("docs/CONFIG-RELOAD.md", () => {
  it("lists every reload rule with its kind and reason, and no other", () => {
    const doc = readFileSync(new URL("../../../docs/CONFIG-RELOAD.md", import.meta.url), "utf8");
    const table = doc.slice(doc.indexOf("## The rules"));
    const rows = [...table.matchAll(/^\| `([^`]+)` \| (\w+) \| (.+) \|$/gm)].map(([, path, kind, why]) => ({ path, kind, why }));
    expect(rows).toEqual(RELOAD_RULES.map(({ path, kind, why }) => ({ path, kind, why })));
  });
});
