import { afterEach, describe, expect, it } from "vitest";
import { startTelegramFake, waitFor } from "@openclaw/testing";
import { TelegramAdapter } from "../src/index.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sendThree(keepAliveTimeoutMs: number) {
  const fake = await startTelegramFake({ keepAliveTimeoutMs });
  cleanups.push(() => fake.close());
  const adapter = new TelegramAdapter({ accountId: "default", token: fake.token, apiRoot: fake.apiRoot });
  cleanups.push(() => adapter.stop());
  for (const text of ["one", "two", "three"]) {
    await adapter.send({ channel: "telegram", accountId: "default", chatId: "42", text, idempotencyKey: text });
  }
  expect(fake.sent.map((sent) => sent.text)).toEqual(["one", "two", "three"]);
  return fake;
}

describe("keep-alive sockets to the Bot API", () => {
  it("are reused while the server keeps them", async () => {
    const fake = await sendThree(30_000);
    expect(fake.server.connectionsOpened()).toBe(1);
  });

  it("are closed by the adapter a second before the server's announced Keep-Alive timeout, so a send never races the server's close", async () => {
    // The server announces `timeout=2` and would close the idle socket after 2 s; the adapter closes
    // it after 1 s. An agent that ignores the hint keeps it until the server closes it (no FIN from the
    // client), and a send at that moment fails with ECONNRESET, which the outbox must treat as ambiguous.
    const fake = await sendThree(2_000);
    await waitFor("the adapter to close its idle socket", () => fake.server.connectionsEndedByClient() === 1, 10_000);
    expect(fake.server.connectionsOpened()).toBe(1);
  });
});
