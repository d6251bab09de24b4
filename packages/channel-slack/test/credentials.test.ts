import { afterEach, describe, expect, it } from "vitest";
import { startSlackFake } from "@openclaw/testing";
import { slackChannel } from "../src/index.js";

type Fake = Awaited<ReturnType<typeof startSlackFake>>;
let fake: Fake | undefined;
afterEach(() => fake?.close());

const check = (config: Record<string, unknown>) =>
  slackChannel.checkCredentials!({ accountId: "default", config, env: {}, stateDir: "/nonexistent" }, { signal: AbortSignal.timeout(10_000) });

describe("the Slack credential check", () => {
  it("names the bot and workspace when both tokens work", async () => {
    fake = await startSlackFake();
    const answer = await check({ botToken: fake.botToken, appToken: fake.appToken, apiUrl: fake.apiUrl });
    expect(answer).toEqual({ ok: true, identity: expect.stringMatching(/\S+ in \S+/) });
  });

  it("says which token Slack refused", async () => {
    fake = await startSlackFake();
    expect(await check({ botToken: "xoxb-wrong", appToken: fake.appToken, apiUrl: fake.apiUrl })).toEqual({
      ok: false,
      problem: "the bot token was refused (invalid_auth); check botToken",
    });
    expect(await check({ botToken: fake.botToken, appToken: "xapp-wrong", apiUrl: fake.apiUrl })).toEqual({
      ok: false,
      problem: "the app token was refused (invalid_auth); check appToken",
    });
  });
});
