import { afterEach, describe, expect, it } from "vitest";
import { startTelegramFake, type TelegramFake } from "@openclaw/testing";
import { telegramChannel } from "../src/index.js";

let fake: TelegramFake | undefined;
afterEach(() => fake?.close());

const check = (config: Record<string, unknown>) =>
  telegramChannel.checkCredentials!({ accountId: "default", config, env: {}, stateDir: "/nonexistent" }, { signal: AbortSignal.timeout(10_000) });

describe("the Telegram credential check", () => {
  it("names the bot a working token belongs to", async () => {
    fake = await startTelegramFake();
    expect(await check({ botToken: fake.token, apiRoot: fake.apiRoot })).toEqual({ ok: true, identity: expect.stringMatching(/^@\w+$/) });
  });

  it("says a refused token is refused, and an unreachable server is unreachable", async () => {
    fake = await startTelegramFake();
    expect(await check({ botToken: "123:wrong", apiRoot: fake.apiRoot })).toEqual({
      ok: false,
      problem: "the bot token was refused (401 Unauthorized); check botToken",
    });
    const apiRoot = fake.apiRoot;
    await fake.close();
    fake = undefined;
    const unreachable = await check({ botToken: "123:abc", apiRoot });
    expect(unreachable.ok).toBe(false);
    expect(unreachable.ok === false && unreachable.problem).toMatch(/^Telegram could not be asked \(getMe\): /);
  });
});
