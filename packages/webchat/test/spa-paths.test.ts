import { describe, expect, it } from "vitest";
import { basePathFromScript, normalizeBasePath, pathBelowBase, pathUnderBase, tabForPath } from "../src/spa-paths.js";

describe("UI paths", () => {
  it.each([
    ["/", "/"],
    ["", "/"],
    ["//", "/"],
    ["/control", "/control/"],
    ["control/", "/control/"],
    ["/a/b/", "/a/b/"],
  ])("normalizes the base path %j to %j", (input, expected) => {
    expect(normalizeBasePath(input)).toBe(expected);
  });

  it("maps paths below a base and back", () => {
    expect(pathBelowBase("/", "/chat")).toBe("/chat");
    expect(pathBelowBase("/ui/", "/ui")).toBe("/");
    expect(pathBelowBase("/ui/", "/ui/")).toBe("/");
    expect(pathBelowBase("/ui/", "/ui/chat")).toBe("/chat");
    expect(pathBelowBase("/ui/", "/uix/chat")).toBeUndefined();
    expect(pathBelowBase("/ui/", "/chat")).toBeUndefined();
    expect(pathUnderBase("/", "/chat")).toBe("/chat");
    expect(pathUnderBase("/ui/", "/chat")).toBe("/ui/chat");
    expect(pathUnderBase("/ui/", "/")).toBe("/ui/");
  });

  it("reads the base from the bundle's own URL", () => {
    expect(basePathFromScript("http://127.0.0.1:18789/assets/index-abc.js")).toBe("/");
    expect(basePathFromScript("http://127.0.0.1:18789/control/assets/index-abc.js")).toBe("/control/");
    expect(basePathFromScript("http://localhost:5173/src/app.ts")).toBe("/");
  });

  it("knows which tab a path shows", () => {
    expect(tabForPath("/")).toBe("overview");
    expect(tabForPath("/overview")).toBe("overview");
    expect(tabForPath("/chat/")).toBe("chat");
    expect(tabForPath("/cron")).toBe("cron");
    expect(tabForPath("/chatx")).toBeUndefined();
  });
});
