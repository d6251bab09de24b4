import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectNode } from "@openclaw/client/node";
import type { GatewayServer } from "@openclaw/gateway-core";
import { TOKEN, connectUi, createGatewayState, httpBase, launchBrowser, openPage, startWebGateway, type GatewayState } from "./harness.js";

/**
 * `sessions.changed` only reaches connections that called `sessions.subscribe`, so the Control
 * UI must subscribe on each connect for its sessions tab to follow what other clients do.
 */
describe("the Control UI's sessions tab follows sessions.changed", () => {
  let state: GatewayState;
  let server: GatewayServer;
  let browser: Browser;

  beforeAll(async () => {
    state = await createGatewayState();
    server = await startWebGateway(state, { version: "sessions-live-test" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await state?.dispose();
  });

  it("shows a session another client starts, and its new label, without a reload", async () => {
    const { context, page, errors } = await openPage(browser);
    const other = await connectNode({
      url: server.url,
      token: TOKEN,
      client: { id: "cli", mode: "cli" },
      scopes: ["operator.read", "operator.write"],
      reconnect: false,
    });
    try {
      await connectUi(page, httpBase(server), "/sessions");
      await page.locator("oc-sessions").getByText("No sessions yet").waitFor();

      const key = "agent:main:from-the-cli";
      await other.chatSend({ sessionKey: key, message: "hello from elsewhere" }).result;
      const row = page.locator(`[data-testid="session-row"][data-session-key="${key}"]`);
      await row.waitFor({ timeout: 10_000 });

      await other.call("sessions.patch", { key, label: "Renamed elsewhere" });
      await row.getByText("Renamed elsewhere").waitFor({ timeout: 10_000 });
      expect(errors).toEqual([]);
    } finally {
      await other.close();
      await context.close();
    }
  });
});
