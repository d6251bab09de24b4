import { afterEach, describe, expect, it } from "vitest";
import { startDiscordFake } from "@openclaw/testing";
import { discordChannel } from "../src/index.js";

type Fake = Awaited<ReturnType<typeof startDiscordFake>>;
let fake: Fake | undefined;
afterEach(() => fake?.close());

const check = (config: Record<string, unknown>) =>
  discordChannel.checkCredentials!({ accountId: "default", config, env: {}, stateDir: "/nonexistent" }, { signal: AbortSignal.timeout(10_000) });

describe("the Discord credential check", () => {
  it("names the bot a working token belongs to", async () => {
    fake = await startDiscordFake();
    expect(await check({ token: fake.token, apiRoot: `${fake.url}/api` })).toEqual({ ok: true, identity: fake.username });
  });

  it("says a refused token is refused", async () => {
    fake = await startDiscordFake();
    expect(await check({ token: "not.the.token", apiRoot: `${fake.url}/api` })).toEqual({
      ok: false,
      problem: "the bot token was refused (401 Unauthorized); check token",
    });
  });
});
