import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ReconnectConfigSchema, Type } from "@openclaw/channel-kit";
import { configJsonSchema, loadConfigFile, validateConfig, type ChannelConfigSchemas, type ConfigIssue } from "../src/config/index.js";
import { createConfigHandlers } from "../src/methods/config.js";
import { requestContext } from "./request-context.js";

/** A channel's settings schema shaped like an adapter's `configSchema`. */
const MemoryConfigSchema = Type.Object(
  {
    botToken: Type.Optional(Type.String({ pattern: "^\\d+:\\w+$", secret: true, description: "a bot token like 123:abc" })),
    apiRoot: Type.String({ pattern: "^https?://", description: "an http(s) URL" }),
    polling: Type.Optional(
      Type.Object({ timeoutSeconds: Type.Optional(Type.Integer({ minimum: 0 })) }, { additionalProperties: false, description: "{ timeoutSeconds? }" }),
    ),
    reconnect: Type.Optional(ReconnectConfigSchema),
  },
  { additionalProperties: false },
);
const channels: ChannelConfigSchemas = { memory: MemoryConfigSchema, other: Type.Object({}, { additionalProperties: false }) };

function issuesOf(config: unknown): readonly ConfigIssue[] {
  const result = validateConfig(config, {}, { channels });
  return result.ok ? [] : result.issues;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "openclaw-config-channels-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("channel sections checked against the installed channels' schemas", () => {
  it("loads a config whose channel sections and accounts use only their channel's keys", async () => {
    const path = join(dir, "openclaw.json");
    const memory = {
      apiRoot: "http://127.0.0.1:9",
      dmPolicy: "open",
      allowFrom: ["*"],
      reconnect: { initialMs: 200 },
      accounts: { work: { botToken: "123:abc", polling: { timeoutSeconds: 1 }, groups: { "*": { requireMention: true } } } },
      defaultAccount: "work",
    };
    await writeFile(path, JSON.stringify({ channels: { memory } }));
    const loaded = await loadConfigFile(path, {}, { channels });
    expect(loaded.config.channels).toEqual({ memory });
  });

  it("refuses a misspelled key under a channel account at load, naming its path", async () => {
    const path = join(dir, "openclaw.json");
    await writeFile(path, JSON.stringify({ channels: { memory: { apiRoot: "http://x", accounts: { work: { botTokn: "123:abc" } } } } }));
    await expect(loadConfigFile(path, {}, { channels })).rejects.toThrow(
      `invalid config file ${path}: config key channels.memory.accounts.work.botTokn: unknown key`,
    );
  });

  it("refuses unknown keys and wrong values at every depth of a section, as the loader words them elsewhere", () => {
    expect(issuesOf({ channels: { memory: { pollling: {} } } })).toEqual([{ path: "channels.memory.pollling", message: "unknown key" }]);
    expect(issuesOf({ channels: { memory: { polling: { timeoutSeconds: "25" } } } })).toEqual([
      { path: "channels.memory.polling.timeoutSeconds", message: 'expected integer >= 0, got "25"' },
    ]);
    expect(issuesOf({ channels: { memory: { polling: { every: 1 } } } })).toEqual([{ path: "channels.memory.polling.every", message: "unknown key" }]);
    expect(issuesOf({ channels: { memory: { reconnect: { initialMs: 0 } } } })).toEqual([
      { path: "channels.memory.reconnect.initialMs", message: "expected number > 0, got 0" },
    ]);
    expect(issuesOf({ channels: { memory: { apiRoot: "ftp://x" } } })).toEqual([
      { path: "channels.memory.apiRoot", message: 'expected an http(s) URL, got "ftp://x"' },
    ]);
    expect(issuesOf({ channels: { memory: { dmPolicy: "opne" } } })).toEqual([
      { path: "channels.memory.dmPolicy", message: 'expected one of "pairing", "allowlist", "open", "disabled", got "opne"' },
    ]);
    expect(issuesOf({ channels: { memory: { accounts: { work: { textChunkLimit: 0 } } } } })).toEqual([
      { path: "channels.memory.accounts.work.textChunkLimit", message: "expected integer >= 1, got 0" },
    ]);
    expect(issuesOf({ channels: { memory: { groups: { "*": { requireMentions: true } } } } })).toEqual([
      { path: "channels.memory.groups.*.requireMentions", message: "unknown key" },
    ]);
  });

  it("takes readReceipts as a boolean on a section or an account, and refuses anything else with its path", () => {
    expect(issuesOf({ channels: { memory: { apiRoot: "http://x", readReceipts: true, accounts: { work: { readReceipts: false } } } } })).toEqual([]);
    const issues = issuesOf({ channels: { memory: { apiRoot: "http://x", accounts: { work: { readReceipts: "yes" } } } } });
    expect(issues.map((issue) => issue.path)).toEqual(["channels.memory.accounts.work.readReceipts"]);
  });

  it("leaves keys the adapter requires to the adapter, since an account may inherit them or read them from the environment", () => {
    expect(issuesOf({ channels: { memory: { accounts: { work: {} } } } })).toEqual([]);
  });

  it("never echoes a secret the schema marks, whatever its key is called", () => {
    expect(issuesOf({ channels: { memory: { botToken: "not-a-token" } } })).toEqual([
      { path: "channels.memory.botToken", message: "expected a bot token like 123:abc, got a secret string" },
    ]);
  });

  it("refuses a channel this gateway cannot run, naming the ones it can", () => {
    expect(issuesOf({ channels: { matrix: { token: "x" } } })).toEqual([
      { path: "channels.matrix", message: "unknown channel; this gateway can run: memory, other" },
    ]);
  });

  it("keeps channel sections open when no channel schemas are given", () => {
    expect(validateConfig({ channels: { matrix: { anything: [1] } } }, {}).ok).toBe(true);
  });
});

describe("config.schema with the installed channels", () => {
  it("serves each channel's properties, secrets as writeOnly, in a schema strict JSON Schema tools compile", async () => {
    const handlers = createConfigHandlers({ configPath: join(dir, "openclaw.json"), env: {}, channels });
    const { schema } = await handlers["config.schema"]({}, requestContext());
    const memory = (schema as { properties: { channels: { properties: Record<string, { properties: Record<string, Record<string, unknown>> }> } } }).properties
      .channels.properties["memory"]!;
    expect(Object.keys(memory.properties)).toEqual(expect.arrayContaining(["botToken", "apiRoot", "polling", "reconnect", "dmPolicy", "accounts"]));
    expect(memory.properties["botToken"]).toMatchObject({ type: "string", writeOnly: true });
    expect(JSON.stringify(schema)).not.toContain('"secret"');
    const validate = new Ajv({ strict: true }).compile(schema as object);
    expect(validate({ channels: { memory: { apiRoot: "http://x", accounts: { work: { botToken: "1:a" } } } } })).toBe(true);
    expect(validate({ channels: { memory: { botTokn: "1:a" } } })).toBe(false);
    expect(validate({ channels: { matrix: {} } })).toBe(false);
    expect(configJsonSchema()).not.toHaveProperty("properties.channels.properties");
  });
});
