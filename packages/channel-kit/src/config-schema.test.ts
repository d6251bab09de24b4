import { Type } from "@sinclair/typebox";
import { describe, expect, it } from "vitest";
import type { ChannelAccountContext } from "./adapter.js";
import { accountSecret, configKeysOf, defineChannel, missingSettingError, parseAccountConfig } from "./config-schema.js";
import { InvalidOptionError } from "./errors.js";
import { ReconnectConfigSchema } from "./reconnect-policy.js";

const Schema = Type.Object(
  {
    token: Type.String({ minLength: 1, secret: true, description: "a bot token (or FAKE_TOKEN for the default account)" }),
    apiRoot: Type.Optional(Type.String({ pattern: "^https?://", description: "an http(s) URL" })),
    reconnect: Type.Optional(ReconnectConfigSchema),
  },
  { additionalProperties: false },
);

function account(config: Record<string, unknown>, accountId = "default"): ChannelAccountContext {
  return { accountId, config, env: {}, stateDir: "/tmp" };
}

describe("parseAccountConfig", () => {
  it("reads only the adapter's keys, with values resolved elsewhere taking part in the check", () => {
    const parsed = parseAccountConfig(Schema, "fake", account({ apiRoot: "http://x", dmPolicy: "open" }), { token: "t" });
    expect(parsed).toEqual({ token: "t", apiRoot: "http://x" });
  });

  it("names the full key path and the expectation, and never echoes a secret", () => {
    expect(() => parseAccountConfig(Schema, "fake", account({}, "work"))).toThrow(
      "option channels.fake.accounts.work.token: expected a bot token (or FAKE_TOKEN for the default account), got undefined",
    );
    expect(() => parseAccountConfig(Schema, "fake", account({ token: "" }))).toThrow(
      'option channels.fake.token: expected a bot token (or FAKE_TOKEN for the default account), got "(hidden: not valid)"',
    );
    expect(() => parseAccountConfig(Schema, "fake", account({ token: "t", apiRoot: "ftp://x" }))).toThrow(
      'option channels.fake.apiRoot: expected an http(s) URL, got "ftp://x"',
    );
    expect(() => parseAccountConfig(Schema, "fake", account({ token: "t", reconnect: { initialMs: 0 } }))).toThrow(
      "option channels.fake.reconnect.initialMs: expected milliseconds > 0, got 0",
    );
    expect(() => parseAccountConfig(Schema, "fake", account({ token: "t", reconnect: { every: 1 } }))).toThrow(
      "option channels.fake.reconnect.every: expected no other keys than initialMs, maxMs, maxRestartsPerHour, got 1",
    );
    expect(() => parseAccountConfig(Schema, "fake", account({ token: "t", reconnect: 5 }))).toThrow(InvalidOptionError);
  });

  it("derives the keys the gateway accepts from the schema", () => {
    expect(configKeysOf(Schema)).toEqual(["token", "apiRoot", "reconnect"]);
    const definition = defineChannel({
      id: "fake",
      label: "Fake",
      textChunkLimit: 10,
      maxTextLength: 10,
      configSchema: Schema,
      create: () => {
        throw new Error("not used");
      },
    });
    expect(definition.configKeys).toEqual(["token", "apiRoot", "reconnect"]);
  });
});

describe("missingSettingError", () => {
  it("says what the missing setting expects in the words of its schema description", () => {
    expect(missingSettingError(Schema, "fake", "work", "token").message).toBe(
      "option channels.fake.accounts.work.token: expected a bot token (or FAKE_TOKEN for the default account), got undefined",
    );
  });
});

describe("accountSecret", () => {
  const sources = { fileKey: "tokenFile", readFile: (path: string) => ` from ${path}\n`, env: "FAKE_TOKEN" };
  const withEnv = (config: Record<string, unknown>, accountId = "default"): ChannelAccountContext => ({
    ...account(config, accountId),
    env: { FAKE_TOKEN: "from env" },
  });

  it("prefers the configured value, then the token file, then the environment", () => {
    expect(accountSecret(withEnv({ token: "configured", tokenFile: "/t" }), "token", sources)).toBe("configured");
    expect(accountSecret(withEnv({ tokenFile: "/t" }), "token", sources)).toBe("from /t");
    expect(accountSecret(withEnv({}), "token", sources)).toBe("from env");
  });

  it("reads the environment for the default account only", () => {
    expect(accountSecret(withEnv({}, "work"), "token", sources)).toBeUndefined();
  });
});
