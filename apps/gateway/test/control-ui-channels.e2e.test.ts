import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { connectPage, launchChromium, newPage, recordSentMethods, startUiGateway, type UiGateway } from "./control-ui-browser.js";

/** The Channels tab sets up accounts through config.patch on a running gateway, which applies them live. */

let browser: Browser;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{ ui: UiGateway; fake: TelegramFake }> {
  const fake = await startTelegramFake();
  cleanups.push(() => fake.close());
  const ui = await startUiGateway();
  cleanups.push(() => ui.stop());
  return { ui, fake };
}

async function openChannels(ui: UiGateway) {
  const opened = await newPage(browser);
  cleanups.push(() => opened.context.close());
  const methods = await recordSentMethods(opened.page);
  await connectPage(opened.page, `${ui.base}/channels`);
  await opened.page.getByTestId("add-account-form").waitFor();
  return { ...opened, methods };
}

const setting = (key: string) => `[data-testid="add-setting"][data-key="${key}"]`;

describe("the Control UI's Channels tab", { timeout: 150_000 }, () => {
  it("adds a Telegram bot from the form, shows it connected, answers its DMs, and removes it", async () => {
    const { ui, fake } = await setUp();
    const { page, errors } = await openChannels(ui);
    expect(await page.getByTestId("channels-empty").innerText()).toBe(
      "No channel accounts yet. Add one below, or run openclaw channels add --channel telegram --token ….",
    );

    await page.getByTestId("add-channel").selectOption("telegram");
    // The token is a password input: typed, never shown.
    expect(await page.locator(setting("botToken")).getAttribute("type")).toBe("password");
    await page.locator(setting("botToken")).fill(fake.token);
    await page.locator(setting("apiRoot")).fill(fake.apiRoot);
    await page.getByTestId("add-dm-policy").selectOption("open");
    await page.getByTestId("add-account-submit").click();

    const row = page.locator('[data-testid="channel-account"][data-account="telegram/default"]');
    // Telegram counts as connected once the first getUpdates returns: with an idle bot, at the end of
    // its long poll (25 s by default), so this waits longer than Playwright's default.
    await page.locator('[data-testid="channel-account"][data-account="telegram/default"][data-connected="yes"]').waitFor({ timeout: 90_000 });
    expect(await row.getAttribute("data-state")).toBe("connected");
    expect(fake.calls("getMe").length).toBeGreaterThan(0);
    expect(ui.config()["channels"]).toEqual({ telegram: { botToken: fake.token, apiRoot: fake.apiRoot, dmPolicy: "open", allowFrom: ["*"] } });
    expect(ui.gateway.restarts).toBe(0);

    // The default model (offline echo) answers a DM to the bot.
    fake.inject({ chatId: 5151, from: { id: 5151, first_name: "Grace" }, text: "hello from telegram" });
    const reply = await waitFor("the agent's reply on Telegram", () => fake.sent.find((sent) => sent.chatId === "5151"), 30_000);
    expect(reply.text).toBe("Echo: hello from telegram");

    // Remove asks once more, then the account leaves the config and the running gateway.
    await row.getByTestId("remove-account").click();
    await row.getByTestId("remove-account").filter({ hasText: "Confirm remove" }).click();
    await row.waitFor({ state: "detached" });
    await page.getByTestId("channels-empty").waitFor();
    const client = await ui.client();
    expect((await client.call("channels.status", {})).channels).toEqual({});
    expect(ui.config()["channels"]).toEqual({});
    expect(errors).toEqual([]);
  });

  it("refuses a malformed token in the form without asking the gateway, and shows the gateway's own refusal", async () => {
    const { ui, fake } = await setUp();
    const { page, errors, methods } = await openChannels(ui);
    await page.getByTestId("add-channel").selectOption("telegram");
    await page.locator(setting("botToken")).fill("not-a-token");
    const before = (await methods()).length;
    await page.getByTestId("add-account-submit").click();
    const problem = page.locator('[data-testid="field-error"][data-field="botToken"]');
    await problem.waitFor();
    expect(await problem.textContent()).toContain("Bot token does not look right: expected a bot token like 123456:ABC");
    // The check runs before any request, so by the time the problem shows, none was sent.
    expect((await methods()).slice(before).filter((method) => method.startsWith("config."))).toEqual([]);

    // A well-formed token with a setting the schema refuses: the gateway says which key, and the UI shows it.
    await page.locator(setting("botToken")).fill(fake.token);
    await page.locator(setting("apiRoot")).fill("ftp://example.test/");
    await page.getByTestId("add-account-submit").click();
    const refusal = page.getByTestId("add-account-error");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/channels\.telegram\.apiRoot/);
    expect((await methods()).slice(before)).toContain("config.patch");
    expect(ui.config()["channels"]).toBeUndefined();
    expect(errors).toEqual([]);
  });
});
