import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import type { RunningGateway } from "../src/index.js";
import { cliOk, cliRefusal, startGatewayIn } from "./helpers.js";

/** `openclaw channels add|remove`: a Telegram bot set up from the CLI, live, against the Telegram fake. */

let home: string;
let gateway: RunningGateway | undefined;
let fake: TelegramFake | undefined;
afterEach(async () => {
  await gateway?.stop();
  await fake?.close();
  gateway = fake = undefined;
  rmSync(home, { recursive: true, force: true });
});

const cli = (...args: string[]) => cliOk(home, ...args);
const refusal = (...args: string[]) => cliRefusal(home, ...args);

describe("openclaw channels add and remove", () => {
  it("adds a Telegram bot to the running gateway, which answers its DMs at once, and removes it again", { timeout: 30_000 }, async () => {
    home = mkdtempSync(join(tmpdir(), "openclaw-channel-setup-"));
    fake = await startTelegramFake();
    gateway = await startGatewayIn(home);
    const added = await cli(
      "channels",
      "add",
      "--channel",
      "telegram",
      "--token",
      fake.token,
      "--dm-policy",
      "open",
      "--allow-from",
      "*",
      "--set",
      `apiRoot=${fake.apiRoot}`,
      "--set",
      "polling={ timeoutSeconds: 1 }",
    );
    expect(added).toMatch(/^telegram accepted the credentials: @\w+\nadded channels\.telegram: the running gateway applied it\n$/);
    const running = gateway;
    await waitFor("the bot to connect", () => running.server.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
    fake.inject({ chatId: 4242, from: { id: 4242, first_name: "Ada" }, text: "hello there" });
    const reply = await waitFor("the agent's reply", () => fake!.sent.find((sent) => sent.chatId === "4242"));
    expect(reply.text).toContain("hello there");
    expect(running.restarts).toBe(0);

    expect(await cli("channels", "remove", "--channel", "telegram")).toBe("removed channels.telegram: the running gateway applied it\n");
    expect(running.server.channels!.snapshot().order).toEqual([]);
    expect(JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")).channels).toEqual({});
  });

  it("asks the provider first: a token it refuses is never written, unless --no-check says so", { timeout: 30_000 }, async () => {
    home = mkdtempSync(join(tmpdir(), "openclaw-channel-setup-"));
    fake = await startTelegramFake();
    const configFile = join(home, ".openclaw", "openclaw.json");
    const wrong = ["channels", "add", "--channel", "telegram", "--token", "999:wrong", "--set", `apiRoot=${fake.apiRoot}`];
    expect(await refusal(...wrong)).toBe(
      "channels.telegram: the bot token was refused (401 Unauthorized); check botToken; nothing was written (--no-check writes it unchecked)",
    );
    expect(existsSync(configFile)).toBe(false);
    const unchecked = JSON.parse(await cli(...wrong, "--no-check", "--json")) as { credentials: string };
    expect(unchecked.credentials).toBe("not checked");
    expect(JSON.parse(readFileSync(configFile, "utf8")).channels.telegram.botToken).toBe("999:wrong");
    const right = JSON.parse(await cli("channels", "add", "--channel", "telegram", "--token", fake.token, "--json")) as { credentials: unknown };
    expect(right.credentials).toEqual({ identity: expect.stringMatching(/^@\w+$/) });
  });

  it("refuses what the channel's settings refuse, and unknown channels and accounts, writing nothing", async () => {
    home = mkdtempSync(join(tmpdir(), "openclaw-channel-setup-"));
    expect(await refusal("channels", "add", "--channel", "telegram", "--token", "not-a-token")).toMatch(/^config key channels\.telegram\.botToken: /);
    expect(await refusal("channels", "add", "--channel", "fax")).toMatch(/^unknown channel "fax"; this gateway can run: .*telegram/);
    expect(await refusal("channels", "add", "--channel", "signal", "--token", "x")).toMatch(/signal takes no --token/);
    expect(await refusal("channels", "remove", "--channel", "telegram")).toBe("channels.telegram is not configured");
    await cli("channels", "add", "--channel", "discord", "--account", "work", "--token", "abc.def", "--set", "enabled=false");
    await cli("channels", "add", "--channel", "discord", "--account", "home", "--token", "ghi.jkl", "--set", "enabled=false");
    expect(await refusal("channels", "remove", "--channel", "discord", "--account", "play")).toBe(
      'channels.discord has no account "play" (it has: work, home)',
    );
    await cli("channels", "remove", "--channel", "discord", "--account", "work");
    const config = () => JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")) as { channels: Record<string, unknown> };
    expect(config().channels).toEqual({ discord: { accounts: { home: { token: "ghi.jkl", enabled: false } } } });
    await cli("channels", "remove", "--channel", "discord", "--account", "home");
    expect(config().channels).toEqual({});
  });
});
