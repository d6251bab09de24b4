import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import {
  connectUi,
  createGatewayState,
  httpBase,
  launchBrowser,
  newChatSession,
  openPage,
  recordAssistantStream,
  startWebGateway,
  waitForPhase,
  waitForText,
  type GatewayState,
} from "./harness.js";

describe("Control UI across a gateway restart", () => {
  let state: GatewayState;
  let server: GatewayServer | undefined;
  let browser: Browser;

  beforeAll(async () => {
    state = await createGatewayState();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await state?.dispose();
  });

  it("shows the reconnect banner while the gateway is down and recovers without a reload", async () => {
    server = await startWebGateway(state, { version: "restart-test-1" });
    const port = server.port;
    const { context, page, errors } = await openPage(browser);
    try {
      await connectUi(page, httpBase(server));
      await waitForText(page, "overview-version", "restart-test-1");
      // Survives only if the page is never reloaded.
      await page.evaluate(() => ((window as unknown as { pageMarker: string }).pageMarker = "same page"));
      const sessionKey = await newChatSession(page);

      await server.stop();
      server = undefined;
      await page.getByTestId("reconnect-banner").waitFor();
      await waitForPhase(page, "reconnecting");

      // Same port, same store: a restart as the CLI would do it, in-process.
      server = await startWebGateway(state, { version: "restart-test-2", port });
      await waitForPhase(page, "open");
      await page.getByTestId("reconnect-banner").waitFor({ state: "detached" });
      expect(await page.evaluate(() => (window as unknown as { pageMarker?: string }).pageMarker)).toBe("same page");

      // The chat works on the new gateway, in the same session.
      expect(await page.getByTestId("session-picker").inputValue()).toBe(sessionKey);
      await page.getByTestId("chat-input").fill("still there?");
      const stream = recordAssistantStream(page);
      await page.getByTestId("chat-send").click();
      expect((await stream).final).toBe("Echo: still there?");

      await page.getByTestId("tab-overview").click();
      expect(await waitForText(page, "overview-version", "restart-test-2")).toBe("restart-test-2");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
