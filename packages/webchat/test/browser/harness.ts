import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { createOfflineProvider, type ModelProvider } from "@openclaw/agent";
import { DEFAULT_RATE_LIMIT, GatewayServer, createLogsTailHandler, directLocality, openStore, type Store } from "@openclaw/gateway-core";
import { createWebUiRoute } from "../../src/index.js";

export const TOKEN = "webchat-test-token-0123456789";
/** Debian's chromium; never a downloaded one. */
export const CHROMIUM = "/usr/bin/chromium";
/** The gateway also listens here; connections that arrive on this host count as remote (LAN). */
export const REMOTE_HOST = "127.0.0.2";
export const NODE_COMMAND = "test.echo";
export const CHAT_SESSION_STORAGE_KEY = "openclaw.control-ui.chat-session.v1";
export const GATEWAY_TOKEN_STORAGE_KEY = "openclaw.control-ui.gateway-token.v1";

export function launchBrowser(): Promise<Browser> {
  // Root in a container has no user namespaces for the sandbox.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
}

/** A temp dir with a SQLite store and a log file; `dispose` closes and removes them. */
export interface GatewayState {
  readonly dir: string;
  readonly store: Store;
  readonly logFile: string;
  dispose(): Promise<void>;
}

export async function createGatewayState(): Promise<GatewayState> {
  const dir = await mkdtemp(join(tmpdir(), "webchat-browser-"));
  const store = openStore(join(dir, "state", "openclaw.sqlite"));
  const logFile = join(dir, "gateway.log");
  await writeFile(logFile, "");
  return {
    dir,
    store,
    logFile,
    async dispose() {
      store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A real gateway serving the built UI: token auth, the offline echo model streaming slowly
 * enough for deltas to be seen, and a second listening host whose peers count as remote.
 */
export async function startWebGateway(
  state: GatewayState,
  options: { version: string; port?: number; provider?: ModelProvider; canvasRoot?: string },
): Promise<GatewayServer> {
  const provider = options.provider ?? createOfflineProvider({ chunkSize: 4, chunkDelayMs: 40 });
  const server = new GatewayServer({
    hosts: ["127.0.0.1", REMOTE_HOST],
    port: options.port ?? 0,
    auth: { mode: "token", token: TOKEN, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT },
    version: options.version,
    store: state.store,
    // Files sent from the chat are kept here (the media store).
    stateDir: join(state.dir, "state"),
    agent: { resolveModel: () => ({ provider, model: "echo" }), listModels: async () => [] },
    heartbeat: { enabled: false },
    httpRoutes: [createWebUiRoute()],
    // The remote address of a 127.0.0.2 connection is still 127.0.0.1, so the host it dialled decides.
    isLocal: (address, headers) => directLocality(address, headers) && !(headers.host ?? "").startsWith(`${REMOTE_HOST}:`),
    handlers: { "logs.tail": createLogsTailHandler({ file: state.logFile }) },
    // A custom node command needs the allowlist, like gateway.nodes.commands.allow.
    nodeCommands: { allow: [NODE_COMMAND] },
    statusExtras: () => ({ auth: { mode: "token" }, tls: { enabled: false } }),
    ...(options.canvasRoot ? { canvas: { root: options.canvasRoot, liveReload: false } } : {}),
  });
  await server.start();
  return server;
}

export function httpBase(server: GatewayServer): string {
  return `http://127.0.0.1:${server.port}`;
}

/** A fresh browser profile (its own localStorage and IndexedDB) with one page. */
export async function openPage(browser: Browser): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  // CSP violations are reported on the console; the page must cause none.
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy|Refused to/i.test(message.text())) errors.push(message.text());
  });
  return { context, page, errors };
}

/** Wait for the connection status pill to show a phase. */
export async function waitForPhase(page: Page, phase: string): Promise<void> {
  await page.locator(`[data-testid="connection-status"][data-phase="${phase}"]`).waitFor();
}

/** Open the UI, paste the token, and wait until connected. */
export async function connectUi(page: Page, base: string, path = "/"): Promise<void> {
  await page.goto(`${base}${path}`);
  await page.getByTestId("token-input").fill(TOKEN);
  await page.getByTestId("connect-button").click();
  await waitForPhase(page, "open");
}

/** Wait until a locator's text is exactly `expected`. */
export async function waitForText(page: Page, testId: string, expected: string): Promise<string> {
  const locator = page.getByTestId(testId).filter({ hasText: expected });
  await locator.first().waitFor();
  return (await locator.first().textContent())?.trim() ?? "";
}

/** Start a fresh chat session in the UI and return its key. */
export async function newChatSession(page: Page): Promise<string> {
  await page.getByTestId("tab-chat").click();
  await page.getByTestId("new-session").click();
  const key = await page.evaluate((storageKey) => localStorage.getItem(storageKey), CHAT_SESSION_STORAGE_KEY);
  if (!key) throw new Error("the chat did not switch to a new session");
  await page.locator("oc-chat").getByText("No messages in this session yet.").waitFor();
  return key;
}

/**
 * In the page, watch the next new assistant bubble until it is final, recording every text it
 * showed while streaming. Polls every few ms (deltas are at least 150 ms apart).
 */
export function recordAssistantStream(page: Page): Promise<{ partials: string[]; final: string; status: string }> {
  return page.evaluate(
    () =>
      new Promise<{ partials: string[]; final: string; status: string }>((resolve, reject) => {
        const partials: string[] = [];
        const started = performance.now();
        const assistantBubbles = () => {
          const chat = document.querySelector("openclaw-app")?.shadowRoot?.querySelector("oc-chat")?.shadowRoot;
          return chat ? [...chat.querySelectorAll<HTMLElement>('[data-testid="chat-message"][data-role="assistant"]')] : [];
        };
        // Replies already on screen are not the one we are waiting for.
        const before = assistantBubbles().length;
        const timer = setInterval(() => {
          const bubble = assistantBubbles()[before];
          if (bubble) {
            const text = bubble.querySelector('[data-testid="message-text"]')?.textContent ?? "";
            const status = bubble.dataset["status"] ?? "";
            if (status === "streaming" && partials.at(-1) !== text) partials.push(text);
            if (status !== "streaming") {
              clearInterval(timer);
              resolve({ partials, final: text, status });
              return;
            }
          }
          // A hang guard for the test, not a timing assertion.
          if (performance.now() - started > 30_000) {
            clearInterval(timer);
            reject(new Error(`no final reply; saw ${JSON.stringify(partials)}`));
          }
        }, 4);
      }),
  );
}
