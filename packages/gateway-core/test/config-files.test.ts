import { mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSON5 from "json5";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  REDACTED_SENTINEL,
  applyMergePatch,
  changedKeyPaths,
  redactConfig,
  redactRawText,
  restoreRedacted,
  restoreRedactedRaw,
  planReload,
  reloadRuleFor,
  RELOAD_RULES,
  writeFileAtomic,
} from "../src/config/index.js";
import { ConfigError } from "../src/errors.js";

describe("writeFileAtomic", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "openclaw-config-write-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates parent directories 0700 and the file 0600, leaving no temp files", async () => {
    const path = join(dir, "a", "b", "openclaw.json");
    await writeFileAtomic(path, '{"x":1}\n');
    expect(await readFile(path, "utf8")).toBe('{"x":1}\n');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "a"))).mode & 0o777).toBe(0o700);
    expect(await readdir(join(dir, "a", "b"))).toEqual(["openclaw.json"]);
  });

  it("replaces an existing file and tightens its mode", async () => {
    const path = join(dir, "openclaw.json");
    await writeFile(path, "old", { mode: 0o644 });
    await writeFileAtomic(path, "new");
    expect(await readFile(path, "utf8")).toBe("new");
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
  });

  it("leaves no partial file when the final rename fails", async () => {
    const path = join(dir, "openclaw.json");
    await mkdir(path);
    await writeFile(join(path, "keep"), "untouched");
    await expect(writeFileAtomic(path, "{}")).rejects.toMatchObject({ code: expect.stringMatching(/EISDIR|ENOTEMPTY|EEXIST|EPERM/) });
    expect(await readdir(dir)).toEqual(["openclaw.json"]);
    expect(await readFile(join(path, "keep"), "utf8")).toBe("untouched");
  });
});

describe("applyMergePatch", () => {
  it("merges objects, deletes with null and replaces scalars and arrays (RFC 7386)", () => {
    const target = { a: { b: 1, c: 2 }, keep: true, list: [1, 2] };
    const patch = { a: { b: 9, c: null, d: { e: 1 } }, keep: null, list: [1, 2, 3], s: "x" };
    expect(applyMergePatch(target, patch)).toEqual({ a: { b: 9, d: { e: 1 } }, list: [1, 2, 3], s: "x" });
    expect(target).toEqual({ a: { b: 1, c: 2 }, keep: true, list: [1, 2] });
  });

  it("follows the RFC's edge cases", () => {
    expect(applyMergePatch({ a: "b" }, { a: "c" })).toEqual({ a: "c" });
    expect(applyMergePatch({ a: [{ b: "c" }] }, { a: [1] }, { replacePaths: ["a"] })).toEqual({ a: [1] });
    expect(applyMergePatch(["a"], { a: "b" })).toEqual({ a: "b" });
    expect(applyMergePatch({ a: "foo" }, "bar")).toBe("bar");
    expect(applyMergePatch({}, { a: { bb: { ccc: null } } })).toEqual({ a: { bb: {} } });
    expect(applyMergePatch({ e: null }, { a: 1 })).toEqual({ e: null, a: 1 });
  });

  it("refuses to shrink an array unless its path is in replacePaths", () => {
    const target = { gateway: { trustedProxies: ["10.0.0.1", "10.0.0.2"], nodes: { commands: { allow: ["a", "b", "c"] } } } };
    const patch = { gateway: { trustedProxies: ["10.0.0.9"], nodes: { commands: { allow: ["a"] } } } };
    let error: unknown;
    try {
      applyMergePatch(target, patch);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(["gateway.trustedProxies", "gateway.nodes.commands.allow"]);
    expect((error as ConfigError).message).toContain(
      'config key gateway.trustedProxies: patch shrinks the array from 2 to 1 items; list "gateway.trustedProxies" in replacePaths to replace it',
    );
    const replaced = applyMergePatch(target, patch, { replacePaths: ["gateway.trustedProxies", "gateway.nodes.commands.allow"] });
    expect(replaced).toEqual(patch);
    expect(applyMergePatch(target, { gateway: { trustedProxies: null } })).toEqual({ gateway: { nodes: target.gateway.nodes } });
  });
});

describe("redaction", () => {
  const parsed = {
    gateway: { auth: { mode: "token", token: "tok-123" }, remote: { url: "wss://gw", password: "rpw" } },
    channels: { slack: { botToken: "xoxb-1", appToken: "xapp-1", signingSecret: "sig", name: "team" }, openai: { apiKey: "sk-1" } },
    agents: { defaults: { model: "anthropic/claude" } },
  };

  it("replaces secrets by key name anywhere, and nothing else", () => {
    expect(redactConfig(parsed)).toEqual({
      gateway: { auth: { mode: "token", token: REDACTED_SENTINEL }, remote: { url: "wss://gw", password: REDACTED_SENTINEL } },
      channels: {
        slack: { botToken: REDACTED_SENTINEL, appToken: REDACTED_SENTINEL, signingSecret: REDACTED_SENTINEL, name: "team" },
        openai: { apiKey: REDACTED_SENTINEL },
      },
      agents: { defaults: { model: "anthropic/claude" } },
    });
  });

  it("leaves env references visible: they name a secret without holding it", () => {
    expect(redactConfig({ gateway: { auth: { token: "${OPENCLAW_GATEWAY_TOKEN}" } } })).toEqual({ gateway: { auth: { token: "${OPENCLAW_GATEWAY_TOKEN}" } } });
  });

  it("redacts the raw text keeping comments and layout", () => {
    const raw = `{\n  // auth\n  gateway: { auth: { mode: "token", token: 'tok-123' } },\n  "channels": { "slack": { "botToken": "xoxb-1" /* bot */ } },\n}\n`;
    const redacted = redactRawText(raw, JSON5.parse(raw));
    expect(redacted).toBe(
      `{\n  // auth\n  gateway: { auth: { mode: "token", token: "${REDACTED_SENTINEL}" } },\n  "channels": { "slack": { "botToken": "${REDACTED_SENTINEL}" /* bot */ } },\n}\n`,
    );
  });

  it("redacts by key name when the file does not parse", () => {
    const raw = `{ gateway: { auth: { token: "tok-123", } } oops`;
    expect(redactRawText(raw, undefined)).toBe(`{ gateway: { auth: { token: "${REDACTED_SENTINEL}", } } oops`);
  });

  it("restores stored secrets where the sentinel comes back", () => {
    const next = redactConfig(parsed);
    next.gateway.remote.url = "wss://other";
    const restored = restoreRedacted(next, parsed);
    expect(restored).toEqual({ ...parsed, gateway: { ...parsed.gateway, remote: { url: "wss://other", password: "rpw" } } });
  });

  it("restores the raw text in place, keeping the client's comments", () => {
    const raw = `{\n  // edited\n  gateway: { auth: { mode: "token", token: "${REDACTED_SENTINEL}" }, port: 19001 },\n}`;
    expect(restoreRedactedRaw(raw, parsed)).toBe(`{\n  // edited\n  gateway: { auth: { mode: "token", token: "tok-123" }, port: 19001 },\n}`);
  });

  it("refuses a sentinel with no stored value behind it", () => {
    const raw = `{ channels: { discord: { botToken: "${REDACTED_SENTINEL}" } } }`;
    expect(() => restoreRedactedRaw(raw, parsed)).toThrow(ConfigError);
    expect(() => restoreRedactedRaw(raw, parsed)).toThrow(/config key channels\.discord\.botToken: is __OPENCLAW_REDACTED__ but no stored value exists/);
    expect(() => restoreRedacted({ gateway: { auth: { token: REDACTED_SENTINEL } } }, {})).toThrow(ConfigError);
  });
});

describe("reload plan", () => {
  it("lists changed key paths, looking into a section that appeared or went away", () => {
    expect(changedKeyPaths({ gateway: { port: 1, bind: "lan" }, logging: {} }, { gateway: { port: 2, bind: "lan" }, agents: {} })).toEqual(["gateway.port"]);
    expect(changedKeyPaths({}, { gateway: { nodes: { commands: { deny: ["camera.snap"] } } } })).toEqual(["gateway.nodes.commands.deny"]);
    expect(changedKeyPaths({ logging: { level: "info" } }, {})).toEqual(["logging.level"]);
    expect(changedKeyPaths({ a: [1, 2] }, { a: [1] })).toEqual(["a"]);
  });

  it("classifies every key by the longest rule, and a key no rule covers as restart", () => {
    expect(reloadRuleFor("gateway.port")).toMatchObject({ path: "gateway", kind: "restart" });
    expect(reloadRuleFor("gateway.nodes.commands.allow")).toMatchObject({ kind: "hot", area: "nodes" });
    expect(reloadRuleFor("gateway.remote.url")).toMatchObject({ kind: "none" });
    expect(reloadRuleFor("channels.telegram.accounts.work.botToken")).toMatchObject({ kind: "hot", area: "channels" });
    expect(reloadRuleFor("agents.defaults.heartbeat.every")).toMatchObject({ kind: "hot", area: "heartbeat" });
    expect(reloadRuleFor("unknown.key")).toBeUndefined();
    expect(planReload({}, { unknown: 1 } as never).restart).toEqual(["unknown"]);
    // Every rule of kind "hot" names where it is applied.
    expect(RELOAD_RULES.filter((rule) => rule.kind === "hot" && rule.area === undefined)).toEqual([]);
  });

  it("plans hot areas in place and restart keys apart", () => {
    expect(planReload({}, {})).toEqual({ changed: [], hot: [], restart: [] });
    expect(planReload({ logging: { level: "info" } }, { logging: { level: "debug" }, channels: { x: {} }, $schema: "s" })).toEqual({
      changed: ["logging.level", "$schema"],
      hot: ["logging"],
      restart: [],
    });
    expect(planReload({ gateway: { port: 1 } }, { gateway: { port: 2, nodes: { pairing: { autoApproveLocal: false } } } })).toEqual({
      changed: ["gateway.port", "gateway.nodes.pairing.autoApproveLocal"],
      hot: ["nodes"],
      restart: ["gateway.port"],
    });
    expect(planReload({}, { agents: { defaults: { model: "offline/tool", heartbeat: { every: "5m" } } }, models: { providers: {} } }).hot).toEqual([
      "model",
      "heartbeat",
    ]);
    expect(planReload({ gateway: { remote: { url: "ws://x" } } }, { gateway: { mode: "remote" } })).toEqual({
      changed: ["gateway.remote.url", "gateway.mode"],
      hot: [],
      restart: [],
    });
  });
});
