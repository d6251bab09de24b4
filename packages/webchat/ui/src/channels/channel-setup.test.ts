import { describe, expect, it } from "vitest";
import { addAccountEdit, channelSetupSpecs, checkDraft, removeAccountEdit, type AccountDraft, type ChannelSetupSpec } from "./channel-setup.js";

// The shape config.schema answers with: channels.<id> sections, secrets marked writeOnly.
const SCHEMA = {
  properties: {
    channels: {
      properties: {
        telegram: {
          properties: {
            dmPolicy: { type: "string", enum: ["pairing", "allowlist", "open", "disabled"] },
            botToken: { type: "string", pattern: "^\\d+:[\\w-]+$", writeOnly: true, description: "a bot token like 123456:ABC…" },
            apiRoot: { type: "string", pattern: "^https?://[^/]+.*[^/]$", description: "an http(s) URL without a trailing slash" },
            polling: { type: "object" },
          },
        },
        slack: {
          properties: {
            botToken: { type: "string", pattern: "^xoxb-", writeOnly: true, description: "a bot token (xoxb-…)" },
            appToken: { type: "string", pattern: "^xapp-", writeOnly: true, description: "an app-level token (xapp-…)" },
          },
        },
        fax: { properties: { secret: { type: "string", writeOnly: true }, speed: { type: "integer" } } },
      },
    },
  },
};

const specs = channelSetupSpecs(SCHEMA);
const spec = (channel: string): ChannelSetupSpec => specs.find((entry) => entry.channel === channel)!;
const draft = (overrides: Partial<AccountDraft> = {}): AccountDraft => ({
  channel: "telegram",
  accountId: "",
  values: { botToken: "123456:ABC-def" },
  dmPolicy: "pairing",
  allowFrom: "",
  ...overrides,
});

describe("the add-account form from config.schema", () => {
  it("asks each channel for its setup keys, secrets as secrets, with the schema's format", () => {
    expect(specs.map((entry) => entry.channel)).toEqual(["telegram", "slack", "fax"]);
    expect(spec("telegram").fields).toEqual([
      { key: "botToken", label: "Bot token", secret: true, required: true, pattern: "^\\d+:[\\w-]+$", description: "a bot token like 123456:ABC…" },
      {
        key: "apiRoot",
        label: "API root",
        secret: false,
        required: false,
        pattern: "^https?://[^/]+.*[^/]$",
        description: "an http(s) URL without a trailing slash",
      },
    ]);
    expect(spec("slack").fields.map((field) => [field.key, field.required])).toEqual([
      ["botToken", true],
      ["appToken", true],
    ]);
    // A channel the UI does not know: its secret strings, optional.
    expect(spec("fax").fields).toEqual([{ key: "secret", label: "secret", secret: true, required: false }]);
  });

  it("refuses a token that is missing or not in the schema's format, and an allowlist without senders", () => {
    const problems = (overrides: Partial<AccountDraft>, channel = "telegram") => checkDraft(spec(channel), draft({ channel, ...overrides }), {});
    expect(problems({})).toEqual([]);
    expect(problems({ values: {} })).toEqual([{ field: "botToken", message: "Bot token is required" }]);
    expect(problems({ values: { botToken: "not-a-token" } })).toEqual([
      { field: "botToken", message: "Bot token does not look right: expected a bot token like 123456:ABC…" },
    ]);
    expect(problems({ values: { botToken: "xoxp-1", appToken: "xapp-1" } }, "slack").map((problem) => problem.field)).toEqual(["botToken"]);
    expect(problems({ dmPolicy: "allowlist" })).toEqual([{ field: "allowFrom", message: "an allowlist needs at least one sender id" }]);
    expect(problems({ accountId: "-bad" }).map((problem) => problem.field)).toEqual(["accountId"]);
    // Optional plain settings are the gateway's to judge (it names the key).
    expect(problems({ values: { botToken: "1:a", apiRoot: "ftp://x/" } })).toEqual([]);
  });

  it("adds the default account as the channel section, and a named one under accounts", () => {
    expect(addAccountEdit(spec("telegram"), draft({ values: { botToken: "1:a", apiRoot: "http://127.0.0.1:9" }, dmPolicy: "open" }), {})).toEqual({
      path: "channels.telegram",
      patch: { channels: { telegram: { botToken: "1:a", apiRoot: "http://127.0.0.1:9", dmPolicy: "open", allowFrom: ["*"] } } },
      replacePaths: ["channels.telegram.allowFrom"],
    });
    const config = { channels: { telegram: { accounts: { work: { botToken: "__OPENCLAW_REDACTED__" } } } } };
    expect(addAccountEdit(spec("telegram"), draft({ accountId: "home", allowFrom: "42, 43" }), config)).toEqual({
      path: "channels.telegram.accounts.home",
      patch: { channels: { telegram: { accounts: { home: { botToken: "123456:ABC-def", dmPolicy: "pairing", allowFrom: ["42", "43"] } } } } },
      replacePaths: ["channels.telegram.accounts.home.allowFrom"],
    });
    expect(addAccountEdit(spec("telegram"), draft(), config).path).toBe("channels.telegram.accounts.default");
  });

  it("will not overwrite an account, or turn a one-account section into shared settings", () => {
    const flat = { channels: { telegram: { botToken: "__OPENCLAW_REDACTED__" } } };
    expect(checkDraft(spec("telegram"), draft(), flat)[0]?.message).toMatch(/already has its default account/);
    expect(checkDraft(spec("telegram"), draft({ accountId: "work" }), flat)[0]?.message).toMatch(/set up as one account/);
    const named = { channels: { telegram: { accounts: { work: {} } } } };
    expect(checkDraft(spec("telegram"), draft({ accountId: "work" }), named)[0]?.message).toBe(
      "channels.telegram.accounts.work already exists; remove it first to set it up again",
    );
  });

  it("removes an account, and the whole section with its last account", () => {
    const two = { channels: { telegram: { accounts: { work: {}, home: {} } } } };
    expect(removeAccountEdit(two, "telegram", "work")).toEqual({
      path: "channels.telegram.accounts.work",
      patch: { channels: { telegram: { accounts: { work: null } } } },
      replacePaths: [],
    });
    expect(removeAccountEdit({ channels: { telegram: { accounts: { work: {} } } } }, "telegram", "work").patch).toEqual({ channels: { telegram: null } });
    expect(removeAccountEdit({ channels: { telegram: { botToken: "x" } } }, "telegram", "default").patch).toEqual({ channels: { telegram: null } });
    expect(() => removeAccountEdit({}, "telegram", "default")).toThrow(/not in the config file/);
    expect(() => removeAccountEdit(two, "telegram", "play")).toThrow('channels.telegram has no account "play" in the config file (it has: work, home)');
  });
});
