import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { GatewayServer } from "@openclaw/gateway-core";
import { createWhatsAppChannel, type SocketFactory } from "@openclaw/channel-whatsapp";
import { createWebUiRoute } from "@openclaw/webchat";
import { startWhatsAppFake } from "@openclaw/testing";
import { GATEWAY_VERSION } from "../src/version.js";
import { freePort } from "./free-port.js";
import { tokenAuth } from "./helpers.js";
import { printed as printedBy } from "./printed.js";

// A new user's path: run the gateway binary, open the URL it prints, paste the token it printed.
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const cleanups: (() => unknown)[] = [];
let browser: Browser;

beforeAll(async () => {
  // Debian's chromium, never a downloaded one; root in a container has no sandbox namespaces.
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
});
afterAll(() => browser?.close());
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Gateway {
  readonly child: ChildProcess;
  output(): string;
  readonly exited: Promise<unknown>;
}

function startGateway(home: string, port: number): Gateway {
  const child = spawn(process.execPath, [CLI, "gateway", "--port", String(port)], {
    env: { PATH: process.env["PATH"] ?? "", HOME: home },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    return exited;
  });
  return { child, output: () => output, exited };
}

const printed = (gateway: Gateway, pattern: RegExp) => printedBy(gateway.child, gateway.output, pattern);

async function openPage(): Promise<{ page: Page; errors: string[] }> {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
  });
  return { page, errors };
}

async function sendAndWaitForReply(page: Page, text: string): Promise<void> {
  await page.getByTestId("chat-input").fill(text);
  await page.getByTestId("chat-send").click();
  await page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="final"]').filter({ hasText: text }).waitFor();
}

describe("the Control UI served by `openclaw gateway`", { timeout: 60_000 }, () => {
  it("a new user opens the printed URL, pastes the printed token, chats, reads logs, and the page rides out a kill -9 and restart", async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-ui-e2e-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const port = await freePort();
    const gateway = startGateway(home, port);
    const [, url] = await printed(gateway, /Control UI and WebChat: (http:\/\/\S+)/);
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    const [, token] = await printed(gateway, /--token (\S+)\n/);
    expect(JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")).gateway.auth.token).toBe(token);

    const { page, errors } = await openPage();
    await page.goto(url!);
    await page.getByTestId("token-input").fill(token!);
    await page.getByTestId("connect-button").click();
    await page.getByTestId("overview-version").filter({ hasText: GATEWAY_VERSION }).waitFor();
    await page.getByTestId("overview-auth-mode").filter({ hasText: "token" }).waitFor();

    await page.getByTestId("tab-chat").click();
    await sendAndWaitForReply(page, "hello from the browser");
    expect(await page.locator('[data-testid="chat-message"][data-role="user"]').filter({ hasText: "hello from the browser" }).count()).toBe(1);

    // The gateway's own log file, tailed through logs.tail.
    await page.getByTestId("tab-logs").click();
    await page.getByTestId("log-line").filter({ hasText: "listening" }).first().waitFor();

    await page.evaluate(() => ((globalThis as unknown as { pageMarker: string }).pageMarker = "never reloaded"));
    gateway.child.kill("SIGKILL");
    await gateway.exited;
    await page.getByTestId("reconnect-banner").waitFor();

    const restarted = startGateway(home, port);
    await printed(restarted, /listening on/);
    await page.locator('[data-testid="connection-status"][data-phase="open"]').waitFor();
    await page.getByTestId("reconnect-banner").waitFor({ state: "detached" });
    expect(await page.evaluate(() => (globalThis as unknown as { pageMarker?: string }).pageMarker)).toBe("never reloaded");

    // The transcript survived the kill, and the chat goes on in it.
    await page.getByTestId("tab-chat").click();
    await page.locator('[data-testid="chat-message"][data-role="assistant"]').filter({ hasText: "hello from the browser" }).waitFor();
    await sendAndWaitForReply(page, "still here after the restart");
    expect(errors).toEqual([]);
  });

  it("serves nothing on / when gateway.controlUi.enabled is false, and moves under gateway.controlUi.basePath", async () => {
    for (const [controlUi, path, expected] of [
      [{ enabled: false }, "/", 404],
      [{ basePath: "/control" }, "/", 404],
      [{ basePath: "/control" }, "/control/chat", 200],
    ] as const) {
      const home = mkdtempSync(join(tmpdir(), "openclaw-ui-e2e-"));
      cleanups.push(() => rmSync(home, { recursive: true, force: true }));
      const configDir = join(home, ".openclaw");
      mkdirSync(configDir, { recursive: true });
      writeFileSync(join(configDir, "openclaw.json"), JSON.stringify({ gateway: { auth: { token: "ui-e2e-token-0123456789" }, controlUi } }), { mode: 0o600 });
      const port = await freePort();
      const gateway = startGateway(home, port);
      await printed(gateway, controlUi.enabled === false ? /listening on/ : /Control UI and WebChat:/);
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(response.status).toBe(expected);
      if (controlUi.enabled === false) {
        // Everything it printed has arrived once its output is closed.
        const closed = new Promise((resolve) => gateway.child.once("close", resolve));
        gateway.child.kill("SIGTERM");
        await closed;
        expect(gateway.output()).not.toContain("Control UI and WebChat:");
      }
      if (expected === 200) {
        const html = await response.text();
        const script = html.match(/src="(\/control\/assets\/[^"]+\.js)"/)?.[1];
        expect(script).toBeDefined();
        expect((await fetch(`http://127.0.0.1:${port}${script}`)).headers.get("content-type")).toBe("text/javascript; charset=utf-8");
        expect(gateway.output()).toContain(`Control UI and WebChat: http://127.0.0.1:${port}/control/`);
      }
      gateway.child.kill("SIGTERM");
      await gateway.exited;
    }
  });

  it("under a base path, tabs and deep links stay below it", async () => {
    const server = new GatewayServer({
      port: 0,
      version: "0.0.0-base-path",
      auth: tokenAuth("base-path-token-0123456789"),
      httpRoutes: [createWebUiRoute({ basePath: "/control/" })],
    });
    await server.start();
    cleanups.push(() => server.stop());
    const { page, errors } = await openPage();
    const base = `http://127.0.0.1:${server.port}/control/`;
    await page.goto(`${base}cron`);
    await page.getByTestId("token-input").fill("base-path-token-0123456789");
    await page.getByTestId("connect-button").click();
    // The deep link opened its tab (this bare gateway has no scheduler, and says so).
    await page.locator("oc-cron").getByText("This gateway has no scheduler").waitFor();
    expect(await page.getByTestId("tab-cron").getAttribute("aria-current")).toBe("page");
    expect(await page.getByTestId("tab-chat").getAttribute("href")).toBe("/control/chat");
    await page.getByTestId("tab-devices").click();
    expect(new URL(page.url()).pathname).toBe("/control/devices");
    await page.reload();
    await page.locator("oc-devices").getByText("this browser").waitFor();
    expect(errors).toEqual([]);
  });

  it("links a WhatsApp account: the QR as a scannable image, redrawn as it rotates, then its state once the phone links", async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-ui-qr-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    // QRs rotate every few seconds, and the socket never runs out of them while the test looks.
    const fake = startWhatsAppFake({ linked: false, firstQrMs: 3000, qrRotateMs: 3000, qrRefs: 1000 });
    const server = new GatewayServer({
      port: 0,
      version: "0.0.0-qr",
      auth: tokenAuth("qr-test-token-0123456789"),
      httpRoutes: [createWebUiRoute()],
      channels: {
        loaders: {
          whatsapp: async () => createWhatsAppChannel({ socketFactory: ((options: unknown) => fake.factory(options as never)) as unknown as SocketFactory }),
        },
        config: { whatsapp: { authDir: join(home, "wa"), reconnect: { initialMs: 50, maxMs: 100 } } },
        env: {},
        stateDir: home,
      },
    });
    await server.start();
    cleanups.push(() => server.stop());

    const { page, errors } = await openPage();
    await page.goto(`http://127.0.0.1:${server.port}/channels`);
    await page.getByTestId("token-input").fill("qr-test-token-0123456789");
    await page.getByTestId("connect-button").click();
    // The QR is shown once an admin asks to link, and then follows the gateway's rotations.
    await page.getByTestId("link-device").click();
    const qr = page.getByTestId("channel-qr");
    await qr.waitFor();
    const first = await qr.getAttribute("data-qr");
    expect(first).toMatch(/^2@fake-qr-\d+,/);
    // The gateway's next QR replaces the one on screen without a click.
    await page.locator(`[data-testid="channel-qr"]:not([data-qr="${first}"])`).waitFor();
    expect(fake.qrs).toContain(await qr.getAttribute("data-qr"));
    const image = page.getByTestId("channel-qr-image");
    await image.waitFor();
    expect(await image.getAttribute("src")).toMatch(/^data:image\/svg\+xml/);
    // The image really decoded: a browser reports a natural size only for a valid picture.
    expect(
      await image.evaluate((element) => {
        // Runs in the page; this package's types have no DOM.
        const img = element as unknown as { decode(): Promise<void>; naturalWidth: number };
        return img.decode().then(() => img.naturalWidth);
      }),
    ).toBeGreaterThan(0);

    fake.link();
    await page.getByTestId("channel-account").filter({ hasText: "connected" }).waitFor();
    await qr.waitFor({ state: "detached" });
    expect(errors).toEqual([]);
  });
});
