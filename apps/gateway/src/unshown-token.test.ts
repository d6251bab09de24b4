import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rememberUnshownToken, takeUnshownToken, unshownTokenMarker } from "./unshown-token.js";

let stateDir: string;
beforeEach(() => {
  stateDir = join(mkdtempSync(join(tmpdir(), "openclaw-unshown-")), "state");
});
afterEach(() => rmSync(join(stateDir, ".."), { recursive: true, force: true }));

describe("a generated token that was never shown", () => {
  it("is shown once by the first start that serves it, then never again", () => {
    rememberUnshownToken(stateDir, "tok-1");
    expect(statSync(unshownTokenMarker(stateDir)).mode & 0o777).toBe(0o600);
    expect(takeUnshownToken(stateDir, "tok-1", "tok-1")).toBe(true);
    expect(takeUnshownToken(stateDir, "tok-1", "tok-1")).toBe(false);
    expect(existsSync(unshownTokenMarker(stateDir))).toBe(false);
  });

  it("keeps only a hash of the token, never the token", () => {
    rememberUnshownToken(stateDir, "secret-token-value");
    expect(readFileSync(unshownTokenMarker(stateDir), "utf8")).not.toContain("secret-token-value");
  });

  it("waits while the gateway serves another token (a flag or env), and shows it later", () => {
    rememberUnshownToken(stateDir, "tok-1");
    expect(takeUnshownToken(stateDir, "tok-1", "flag-token")).toBe(false);
    expect(takeUnshownToken(stateDir, "tok-1", "tok-1")).toBe(true);
  });

  it("is forgotten once the config holds another token, and an unreadable marker is dropped", () => {
    rememberUnshownToken(stateDir, "tok-1");
    expect(takeUnshownToken(stateDir, "replaced-by-user", "replaced-by-user")).toBe(false);
    expect(existsSync(unshownTokenMarker(stateDir))).toBe(false);
    writeFileSync(unshownTokenMarker(stateDir), "{not json");
    expect(takeUnshownToken(stateDir, "tok-1", "tok-1")).toBe(false);
    expect(existsSync(unshownTokenMarker(stateDir))).toBe(false);
  });

  it("with no marker, shows nothing", () => {
    expect(takeUnshownToken(stateDir, "tok-1", "tok-1")).toBe(false);
  });
});
