import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { connectUi, createGatewayState, httpBase, launchBrowser, newChatSession, openPage, startWebGateway, type GatewayState } from "./harness.js";

/** A real 2×1 PNG (red, blue): the thumbnail must decode to exactly this size. */
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d49484452000000020000000108020000007b40e8dd0000000f49444154789c63f8cfc0c0c0f01f00070001ff7e08b1d00000000049454e44ae426082",
  "hex",
);

describe("WebChat attachments in Chromium", () => {
  let state: GatewayState;
  let server: GatewayServer;
  let browser: Browser;

  beforeAll(async () => {
    state = await createGatewayState();
    server = await startWebGateway(state, { version: "attachments-test" });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await state?.dispose();
  });

  it("sends a picked image with the message, then shows it as a thumbnail from the gateway's media store, also after a reload", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await connectUi(page, httpBase(server));
      await newChatSession(page);
      await page.getByTestId("attach-file").setInputFiles([{ name: "dot.png", mimeType: "image/png", buffer: PNG }]);
      await expect(page.getByTestId("picked-files").textContent()).resolves.toContain("dot.png");
      await page.getByTestId("chat-input").fill("what is this?");
      await page.getByTestId("chat-send").click();

      const thumb = page.getByTestId("attachment-thumb");
      await thumb.waitFor();
      // Decoded from the bytes the gateway stored: a broken or truncated file has no natural size.
      await expect
        .poll(() => thumb.evaluate((img: HTMLImageElement) => (img.complete ? [img.naturalWidth, img.naturalHeight] : "loading")), { timeout: 15_000 })
        .toEqual([2, 1]);
      expect(await page.getByTestId("picked-files").count()).toBe(0);
      // The reply came from the agent, which was told about the file.
      await page.getByTestId("chat-message").filter({ hasText: "Echo:" }).waitFor();

      await page.reload();
      await page.getByTestId("attachment-thumb").waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
