import { EventEmitter } from "node:events";
import type { ChildProcess } from "node:child_process";
import { describe, expect, it } from "vitest";
import { browserLauncher, openBrowser, type SpawnFunction } from "./browser-open.js";

const URL_WITH_CODE = "http://127.0.0.1:18789/#code=ABCD-EFGH";

/** A stand-in for child_process.spawn: records the call, then emits what a real child would. */
function fakeSpawn(outcome: "spawn" | NodeJS.ErrnoException) {
  const calls: { command: string; args: readonly string[] }[] = [];
  let unrefs = 0;
  const spawn: SpawnFunction = (command, args) => {
    calls.push({ command, args });
    const child = Object.assign(new EventEmitter(), { unref: () => void (unrefs += 1) });
    queueMicrotask(() => (outcome === "spawn" ? child.emit("spawn") : child.emit("error", outcome)));
    return child as unknown as ChildProcess;
  };
  return { spawn, calls, unrefs: () => unrefs };
}

describe("browserLauncher", () => {
  it("uses open on macOS and start on Windows", () => {
    expect(browserLauncher(URL_WITH_CODE, "darwin", {})).toEqual({ kind: "launch", command: "open", args: [URL_WITH_CODE] });
    expect(browserLauncher(URL_WITH_CODE, "win32", {})).toEqual({ kind: "launch", command: "cmd", args: ["/c", "start", "", URL_WITH_CODE] });
  });

  it("uses xdg-open elsewhere only with a graphical session", () => {
    expect(browserLauncher(URL_WITH_CODE, "linux", { DISPLAY: ":0" })).toMatchObject({ kind: "launch", command: "xdg-open" });
    expect(browserLauncher(URL_WITH_CODE, "linux", { WAYLAND_DISPLAY: "wayland-0" })).toMatchObject({ kind: "launch", command: "xdg-open" });
    expect(browserLauncher(URL_WITH_CODE, "linux", {})).toEqual({ kind: "skip", reason: expect.stringContaining("DISPLAY") });
    expect(browserLauncher(URL_WITH_CODE, "freebsd", { DISPLAY: "" })).toMatchObject({ kind: "skip" });
  });
});

describe("openBrowser", () => {
  it("starts the opener detached and does not wait for it", async () => {
    const fake = fakeSpawn("spawn");
    expect(await openBrowser(URL_WITH_CODE, { platform: "linux", env: { DISPLAY: ":0" }, spawn: fake.spawn })).toEqual({ opened: true });
    expect(fake.calls).toEqual([{ command: "xdg-open", args: [URL_WITH_CODE] }]);
    expect(fake.unrefs()).toBe(1);
  });

  it("never fails: a missing opener or no display is a reason", async () => {
    const missing = fakeSpawn(Object.assign(new Error("spawn xdg-open ENOENT"), { code: "ENOENT" }));
    expect(await openBrowser(URL_WITH_CODE, { platform: "linux", env: { DISPLAY: ":0" }, spawn: missing.spawn })).toEqual({
      opened: false,
      reason: "xdg-open is not installed",
    });
    const headless = fakeSpawn("spawn");
    expect(await openBrowser(URL_WITH_CODE, { platform: "linux", env: {}, spawn: headless.spawn })).toMatchObject({ opened: false });
    expect(headless.calls).toEqual([]);
  });
});
