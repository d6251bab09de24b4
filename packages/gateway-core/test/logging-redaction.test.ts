import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger, registerLogSecrets, resolveLogFile, type GatewayLogger } from "../src/logging/index.js";
import { LogRedactor, redactText, redactValue } from "../src/logging/redaction.js";
import { collectAccountSecrets } from "../src/channels/account-secrets.js";

const TELEGRAM = "7654321:AAH-secretpart_abcdefghijklmnopqrstuvw";
const SLACK_BOT = "xoxb-1111-2222-secretbot";
const SLACK_APP = "xapp-1-A0AAA-3333-secretapp";
const DISCORD = "MTIzNDU2Nzg5.GhIjKl.discord-secret-token-value";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("redaction rules", () => {
  it("blanks secret fields by name at any depth, and leaves counts, paths and flags readable", () => {
    const value = redactValue({
      botToken: TELEGRAM,
      nested: { deeper: [{ signingSecret: "s", apiKey: "k", password: "p", authorization: "Bearer abc" }] },
      usage: { inputTokens: 12, outputTokens: 3 },
      tokenFile: "/run/secrets/telegram",
      tokenConfigured: true,
      sessionKey: "agent:main:main",
    });
    expect(value).toEqual({
      botToken: "[redacted]",
      nested: { deeper: [{ signingSecret: "[redacted]", apiKey: "[redacted]", password: "[redacted]", authorization: "[redacted]" }] },
      usage: { inputTokens: 12, outputTokens: 3 },
      tokenFile: "/run/secrets/telegram",
      tokenConfigured: true,
      sessionKey: "agent:main:main",
    });
  });

  it("cuts registered secrets and token-shaped strings out of free text", () => {
    expect(redactText(`GET https://api.telegram.org/bot${TELEGRAM}/getMe failed`)).toBe("GET https://api.telegram.org/bot[redacted]/getMe failed");
    expect(redactText(`slack said invalid_auth for ${SLACK_BOT} / ${SLACK_APP}`)).toBe("slack said invalid_auth for [redacted] / [redacted]");
    expect(redactText("Request cannot be constructed from a URL that includes credentials: http://signal:hunter2-long@127.0.0.1:8080/api/v1/check")).toBe(
      "Request cannot be constructed from a URL that includes credentials: http://[redacted]@127.0.0.1:8080/api/v1/check",
    );
    expect(redactText(`Authorization: Bot ${DISCORD}`)).toBe("Authorization: Bot [redacted]");
    expect(redactText("opaque value s3cr3t-registered here", ["s3cr3t-registered"])).toBe("opaque value [redacted] here");
    // Too short to be a secret worth blanking everywhere (it would eat ordinary words).
    expect(redactText("abc abc", ["abc"])).toBe("abc abc");
  });

  it("redacts a finished JSON line, secrets inside escaped strings included", () => {
    const redactor = new LogRedactor();
    redactor.addSecrets(['quote"secret\\value']);
    const line = `${JSON.stringify({ level: "error", message: 'boom with quote"secret\\value inside', err: { stack: `Error: ${SLACK_BOT}\n    at x` } })}\n`;
    const out = redactor.redactLine(line);
    expect(out.endsWith("\n")).toBe(true);
    expect(JSON.parse(out)).toEqual({ level: "error", message: "boom with [redacted] inside", err: { stack: "Error: [redacted]\n    at x" } });
    expect(redactor.redactLine(`not json ${SLACK_APP}\n`)).toBe("not json [redacted]\n");
  });

  it("blanks a secret field in a line whether or not the line takes the fast path, and leaves other lines as they were", () => {
    const redactor = new LogRedactor();
    const keyed = `${JSON.stringify({ level: 30, config: { channels: { slack: { bot_token: "opaque-value-no-shape" } } }, note: 'a "fake":"key" in text' })}\n`;
    expect(JSON.parse(redactor.redactLine(keyed))).toEqual({
      level: 30,
      config: { channels: { slack: { bot_token: "[redacted]" } } },
      note: 'a "fake":"key" in text',
    });
    // A value that merely mentions a secret-looking word is not a key: the line stays byte for byte.
    const plain = `${JSON.stringify({ level: 30, authMethod: "token", message: 'said "apiKey": nothing' })}\n`;
    expect(redactor.redactLine(plain)).toBe(plain);
  });

  it("collects an account's secrets: secret keys at any depth, token files, URL passwords, Telegram's suffix and env tokens", () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-secrets-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const tokenFile = join(dir, "token");
    writeFileSync(tokenFile, "file-held-token-123456\n");
    const secrets = collectAccountSecrets(
      {
        botToken: TELEGRAM,
        webhook: { secret: "hook-secret-1" },
        tokenFile,
        transport: { url: "http://signal:daemon-pass-99@127.0.0.1:8080" },
        dmPolicy: "open",
        allowFrom: ["*"],
      },
      { SLACK_APP_TOKEN: SLACK_APP, HOME: "/home/user" },
    );
    expect(secrets).toEqual(
      expect.arrayContaining([
        TELEGRAM,
        TELEGRAM.split(":")[1],
        "hook-secret-1",
        "file-held-token-123456",
        "daemon-pass-99",
        "signal:daemon-pass-99",
        SLACK_APP,
      ]),
    );
    expect(secrets).not.toContain("/home/user");
    expect(secrets).not.toContain("open");
  });
});

describe("the gateway logger", () => {
  function open(): GatewayLogger & { read: () => string } {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-log-redaction-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const gatewayLogger = createLogger({ file: resolveLogFile(dir), level: "trace", stdout: "off" });
    cleanups.push(() => gatewayLogger.close());
    return Object.assign(gatewayLogger, { read: () => readFileSync(gatewayLogger.file, "utf8") });
  }

  it("never writes a secret: not in fields, messages, error messages, stacks or causes, nor from child loggers", async () => {
    const log = open();
    const child = log.logger.child({ subsystem: "channels" }).child({ channel: "discord" });
    // A Discord token has no recognisable shape of its own; the channel service registers it.
    registerLogSecrets(child, [DISCORD]);
    const cause = new Error(`fetch https://api.telegram.org/bot${TELEGRAM}/getUpdates failed`);
    child.error(
      { err: new Error(`login with ${DISCORD} refused`, { cause }), config: { botToken: TELEGRAM, appToken: SLACK_APP } },
      `could not connect with ${SLACK_BOT}`,
    );
    child.warn({ headers: { authorization: `Bot ${DISCORD}` } }, "gateway answered 401");
    log.logger.info(`a later line that repeats ${DISCORD} from another child`);
    await log.flush();
    const text = log.read();
    for (const secret of [TELEGRAM, TELEGRAM.split(":")[1]!, SLACK_BOT, SLACK_APP, DISCORD]) expect(text).not.toContain(secret);
    const records = text
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, any>);
    expect(records.map((record) => record["message"])).toEqual([
      "could not connect with [redacted]",
      "gateway answered 401",
      "a later line that repeats [redacted] from another child",
    ]);
    expect(records[0]!["err"].message).toContain("login with [redacted] refused");
    expect(records[0]!["err"].stack).toContain("[redacted]");
    expect(records[0]!["config"]).toEqual({ botToken: "[redacted]", appToken: "[redacted]" });
    expect(records[0]!["channel"]).toBe("discord");
  });
});
