import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startIdentityProxy, startOpenAiFake } from "@openclaw/testing";
import { connectPage, launchChromium, newPage, startUiGateway } from "./control-ui-browser.js";

/** The Overview's default model: shown to everyone, changed by an admin through config.patch, used by the next run. */

let browser: Browser;
const cleanups: (() => unknown)[] = [];
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("the Control UI's model picker", { timeout: 90_000 }, () => {
  it("an admin picks another model from models.list; the config names it and the next chat run uses it", async () => {
    const fake = await startOpenAiFake({ script: [{ kind: "text", chunks: ["Answered by ", "the fake model."] }], models: ["fake-model"] });
    cleanups.push(() => fake.close());
    const ui = await startUiGateway({
      models: { providers: { fake: { api: "openai-compatible", baseUrl: `${fake.url}/v1`, models: [{ id: "fake-model" }] } } },
    });
    cleanups.push(() => ui.stop());
    const { context, page, errors } = await newPage(browser);
    cleanups.push(() => context.close());
    await connectPage(page, `${ui.base}/`);

    await page.getByTestId("overview-model").filter({ hasText: "offline/echo" }).waitFor();
    const select = page.getByTestId("model-select");
    await select.locator('option[value="fake/fake-model"]').waitFor({ state: "attached" });
    await select.selectOption("fake/fake-model");
    await page.getByTestId("model-save").click();
    await page.getByTestId("overview-model").filter({ hasText: "fake/fake-model" }).waitFor();
    await page.getByTestId("model-saved").waitFor();

    const client = await ui.client();
    const { config } = await client.call("config.get", {});
    expect((config as { agents?: { defaults?: { model?: string } } }).agents?.defaults?.model).toBe("fake/fake-model");
    expect(ui.gateway.restarts).toBe(0);

    await page.getByTestId("tab-chat").click();
    await page.getByTestId("chat-input").fill("who answers now?");
    await page.getByTestId("chat-send").click();
    const reply = page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="final"]');
    await reply.filter({ hasText: "Answered by the fake model." }).waitFor();
    expect(fake.requests.filter((request) => request.path.endsWith("/chat/completions"))).toHaveLength(1);
    expect(errors).toEqual([]);
  });

  it("a connection with operator.read sees the model but no picker, and no channel setup", async () => {
    const ui = await startUiGateway({
      gateway: {
        auth: {
          mode: "trusted-proxy",
          trustedProxy: {
            userHeader: "x-forwarded-user",
            allowUsers: ["reader@example.com"],
            allowLoopback: true,
            // A new browser of this user is paired for reading only.
            deviceAutoApprove: { enabled: true, scopes: ["operator.read"] },
          },
        },
        trustedProxies: ["127.0.0.3"],
      },
    });
    cleanups.push(() => ui.stop());
    const proxy = await startIdentityProxy({
      target: ui.base,
      localAddress: "127.0.0.3",
      sessions: { "reader-session": "reader@example.com" },
      // The client as a proxy in front of a load balancer reports it: not on loopback.
      clientAddress: "203.0.113.10",
    });
    cleanups.push(() => proxy.close());
    const { context, page, errors } = await newPage(browser, { extraHTTPHeaders: { authorization: "Bearer reader-session" } });
    cleanups.push(() => context.close());
    // The page asks for a token; behind the proxy any text does, the proxy's user is what counts.
    await connectPage(page, `${proxy.url.replace(/^ws/, "http")}/`, "unused-behind-the-proxy");

    expect(await page.locator("oc-overview").getByText("operator.read", { exact: true }).count()).toBe(1);
    await page.getByTestId("overview-model").filter({ hasText: "offline/echo" }).waitFor();
    expect(await page.getByTestId("model-select").count()).toBe(0);
    expect(await page.getByTestId("model-save").count()).toBe(0);

    await page.getByTestId("tab-channels").click();
    await page.getByTestId("channels-read-only").waitFor();
    expect(await page.getByTestId("add-account-form").count()).toBe(0);
    expect(await page.getByTestId("channels-empty").innerText()).toContain("An admin can add one here");
    expect(errors).toEqual([]);
  });
});
