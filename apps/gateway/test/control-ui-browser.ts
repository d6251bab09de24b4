import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { WebSocket } from "ws";
import { connect, type GatewayClient } from "@openclaw/client";
import { runGateway, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

/** A gateway run as the binary runs it (config file, live reload, every channel), for the Control UI in Chromium. */

export const UI_TOKEN = "control-ui-browser-token-0123456789";

export function launchChromium(): Promise<Browser> {
  // Debian's chromium, never a downloaded one; root in a container has no sandbox namespaces.
  return chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
}

export interface UiGateway {
  readonly gateway: RunningGateway;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
  readonly configPath: string;
  /** The config file as it is now. */
  config(): Record<string, unknown>;
  /** An operator.admin client, closed by `stop`. */
  client(): Promise<GatewayClient>;
  stop(): Promise<void>;
}

/** Starts `runGateway` in a temp state dir with token auth plus `config`; `stop` removes it all. */
export async function startUiGateway(config: Record<string, unknown> = {}): Promise<UiGateway> {
  const home = mkdtempSync(join(tmpdir(), "openclaw-ui-browser-"));
  const stateDir = join(home, "state");
  mkdirSync(stateDir, { recursive: true });
  const configPath = join(stateDir, "openclaw.json");
  const gatewaySection = (config["gateway"] ?? {}) as Record<string, unknown>;
  const file = { ...config, gateway: { auth: { mode: "token", token: UI_TOKEN }, reload: { debounceMs: 20 }, ...gatewaySection } };
  writeFileSync(configPath, JSON.stringify(file));
  const sink = { write: () => true };
  const gateway = await runGateway({
    io: { stdout: sink, stderr: sink, env: { OPENCLAW_STATE_DIR: stateDir, OPENCLAW_SKIP_CANVAS_HOST: "1" }, homedir: home, cwd: home },
    flags: { port: await freePort() },
    stdout: "off",
  });
  const clients: GatewayClient[] = [];
  return {
    gateway,
    base: gateway.url.replace(/^ws/, "http"),
    configPath,
    config: () => JSON.parse(readFileSync(configPath, "utf8")) as Record<string, unknown>,
    async client() {
      const client = await connect({
        url: gateway.url,
        token: UI_TOKEN,
        WebSocket: WebSocket as never,
        client: { id: "cli", mode: "cli" },
        scopes: ["operator.admin"],
        reconnect: false,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const client of clients.splice(0)) await client.close();
      await gateway.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A fresh browser profile with one page; page errors and CSP refusals are collected. */
export async function newPage(
  browser: Browser,
  options: Parameters<Browser["newContext"]>[0] = {},
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
  });
  return { context, page, errors };
}

/** Opens `url`, pastes `token` and waits until the UI is connected. */
export async function connectPage(page: Page, url: string, token = UI_TOKEN): Promise<void> {
  await page.goto(url);
  await page.getByTestId("token-input").fill(token);
  await page.getByTestId("connect-button").click();
  await page.locator('[data-testid="connection-status"][data-phase="open"]').waitFor();
}

/**
 * Records, in the page itself, the method of every request frame it sends on a WebSocket (call
 * before the page loads). Counted at `send`, so nothing sent can be missed by reading too early.
 */
export async function recordSentMethods(page: Page): Promise<() => Promise<string[]>> {
  await page.addInitScript(() => {
    const sent: string[] = [];
    (globalThis as unknown as { sentMethods: string[] }).sentMethods = sent;
    // Runs in the page; this package's types have no DOM.
    const prototype = (globalThis as unknown as { WebSocket: { prototype: { send(data: unknown): void } } }).WebSocket.prototype;
    const original = prototype.send;
    prototype.send = function (this: unknown, data: unknown) {
      if (typeof data === "string") {
        const frame = JSON.parse(data) as { type?: string; method?: string };
        if (frame.type === "req" && frame.method) sent.push(frame.method);
      }
      original.call(this, data);
    };
  });
  return () => page.evaluate(() => [...(globalThis as unknown as { sentMethods: string[] }).sentMethods]);
}
