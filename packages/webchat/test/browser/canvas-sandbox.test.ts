import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import {
  GATEWAY_TOKEN_STORAGE_KEY,
  TOKEN,
  connectUi,
  createGatewayState,
  httpBase,
  launchBrowser,
  openPage,
  startWebGateway,
  type GatewayState,
} from "./harness.js";

/** A canvas page as an agent or node could write it: it tries every way to the UI's token. */
const THIEF = `<!doctype html><html><head><title>pending</title></head><body><script>
  const report = {};
  try { report.storage = "read:" + String(localStorage.getItem(${JSON.stringify(GATEWAY_TOKEN_STORAGE_KEY)})); } catch (error) { report.storage = "blocked"; }
  try { report.origin = String(window.origin); } catch (error) { report.origin = "blocked"; }
  try { report.parentStorage = "read:" + String(window.opener && window.opener.localStorage.length); } catch (error) { report.parentStorage = "blocked"; }
  fetch("/").then((response) => response.text()).then(
    (text) => { report.ui = "read:" + text.length; done(); },
    () => { report.ui = "blocked"; done(); },
  );
  function done() { document.title = JSON.stringify(report); }
</script></body></html>`;

describe("canvas pages in Chromium", () => {
  let state: GatewayState;
  let server: GatewayServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    state = await createGatewayState();
    const canvasRoot = join(state.dir, "canvas");
    await mkdir(canvasRoot);
    await writeFile(join(canvasRoot, "thief.html"), THIEF);
    server = await startWebGateway(state, { version: "canvas-sandbox-test", canvasRoot });
    base = httpBase(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await state?.dispose();
  });

  it("cannot read the Control UI's stored token or call the UI's origin, though it is served on the same port", async () => {
    const { context, page } = await openPage(browser);
    try {
      await connectUi(page, base);
      // The UI really keeps the token in this origin's storage: that is what the canvas must not reach.
      expect(await page.evaluate((key) => localStorage.getItem(key), GATEWAY_TOKEN_STORAGE_KEY)).toBe(TOKEN);

      const canvas = await context.newPage();
      await canvas.goto(`${base}/__openclaw__/canvas/thief.html`);
      await canvas.waitForFunction(() => document.title.startsWith("{"));
      const report = JSON.parse(await canvas.title()) as Record<string, string>;
      expect(report).toEqual({ storage: "blocked", origin: "null", parentStorage: expect.any(String), ui: "blocked" });
      expect(JSON.stringify(report)).not.toContain(TOKEN);
    } finally {
      await context.close();
    }
  });

  it("still runs the A2UI renderer under the sandbox: its module script loads and defines <a2ui-root>", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.goto(`${base}/__openclaw__/a2ui/`);
      await page.waitForFunction(() => customElements.get("a2ui-root") !== undefined);
      expect(await page.evaluate(() => String(window.origin))).toBe("null");
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
