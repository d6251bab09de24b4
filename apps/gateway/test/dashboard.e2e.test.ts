import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT, GatewayServer } from "@openclaw/gateway-core";
import { createWebUiRoute } from "@openclaw/webchat";
import { cliOk, cliRefusal, startGatewayIn } from "./helpers.js";

// What a user does: `openclaw dashboard` next to a running gateway, then open what it printed.
const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const GATEWAY_TOKEN_STORAGE_KEY = "openclaw.control-ui.gateway-token.v1";
const CODE_LINE = /^([0-9A-Z]{4}-){7}[0-9A-Z]{4}$/m;
const cleanups: (() => unknown)[] = [];
/** Script errors of every page a test opened; each test ends with none. */
const pageErrors: string[] = [];
let browser: Browser;

beforeAll(async () => {
  // Debian's chromium, never a downloaded one; root in a container has no sandbox namespaces.
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
});
afterAll(() => browser?.close());
afterEach(async () => {
  pageErrors.length = 0;
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempHome(): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-dashboard-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

/** The built binary, as a user's shell runs it: only PATH and HOME, no display. */
function runBinary(home: string, ...args: string[]): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env["PATH"] ?? "", HOME: home } }, (error, stdout, stderr) =>
      resolve({ exitCode: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function startGateway(home: string) {
  const gateway = await startGatewayIn(home);
  cleanups.push(() => gateway.stop());
  const token = JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")).gateway.auth.token as string;
  return { gateway, token, base: `http://127.0.0.1:${gateway.server.port}/` };
}

async function freshPage(): Promise<Page> {
  const context = await browser.newContext();
  cleanups.push(() => context.close());
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  return page;
}

/** This origin's kept gateway token (read in the page; this package's types have no DOM). */
const keptToken = (page: Page) =>
  page.evaluate(
    (key) => (globalThis as unknown as { localStorage: { getItem(name: string): string | null } }).localStorage.getItem(key),
    GATEWAY_TOKEN_STORAGE_KEY,
  );

const phase = (page: Page, kind: string) => page.locator(`[data-testid="connection-status"][data-phase="${kind}"]`).waitFor();

describe("openclaw dashboard", { timeout: 60_000 }, () => {
  it("prints the address with a one-time code and never the token; the link signs a browser in once and leaves the address bar", async () => {
    const home = tempHome();
    const { token, base } = await startGateway(home);

    const printed = await runBinary(home, "dashboard", "--no-open");
    expect(printed.exitCode, printed.stderr).toBe(0);
    expect(printed.stdout + printed.stderr).not.toContain(token);
    const code = printed.stdout.match(CODE_LINE)?.[0];
    expect(code).toBeDefined();
    const url = printed.stdout.match(/^Control UI: (\S+)$/m)?.[1];
    expect(url).toBe(`${base}#code=${code}`);

    const page = await freshPage();
    await page.goto(url!);
    await phase(page, "open");
    expect(page.url()).toBe(base);
    // Connected as if the token had been pasted: this origin keeps it, and a reload needs no code.
    expect(await keptToken(page)).toBe(token);
    await page.reload();
    await phase(page, "open");

    // The same link again, in another browser: the code is spent.
    const again = await freshPage();
    await again.goto(url!);
    await again.getByTestId("connection-problem").filter({ hasText: "already used" }).waitFor();
    expect(again.url()).toBe(base);
    expect(await keptToken(again)).toBeNull();
    expect(pageErrors).toEqual([]);
  });

  it("the printed code can be typed into the connection panel instead; a wrong one is refused with a message", async () => {
    const home = tempHome();
    const { base } = await startGateway(home);
    const page = await freshPage();
    await page.goto(base);
    await page.getByTestId("code-input").fill("AAAA-BBBB");
    await page.getByTestId("code-button").click();
    await page.getByTestId("connection-problem").filter({ hasText: "not valid" }).waitFor();

    const out = await cliOk(home, "dashboard", "--no-open");
    const code = out.match(CODE_LINE)![0];
    // Typed by hand: lower case and spaces for dashes still match.
    await page.getByTestId("code-input").fill(code.toLowerCase().replace(/-/g, " "));
    await page.getByTestId("code-button").click();
    await phase(page, "open");
    expect(pageErrors).toEqual([]);
  });

  it("on a password gateway, the code hands the page the password and it connects with it", async () => {
    const password = "dashboard-password-0123456789";
    const server = new GatewayServer({
      port: 0,
      version: "0.0.0-dashboard",
      auth: { mode: "password", password, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT },
      httpRoutes: [createWebUiRoute()],
      dashboard: { path: "/" },
    });
    await server.start();
    cleanups.push(() => server.stop());
    const out = await cliOk(tempHome(), "dashboard", "--no-open", "--url", server.url, "--password", password);
    expect(out).not.toContain(password);
    const url = out.match(/^Control UI: (\S+)$/m)![1]!;
    const page = await freshPage();
    await page.goto(url);
    await phase(page, "open");
    await page.getByTestId("overview-auth-mode").filter({ hasText: "password" }).waitFor();
    expect(page.url()).toBe(`http://127.0.0.1:${server.port}/`);
    expect(pageErrors).toEqual([]);
  });

  it("with no gateway running, says so and how to start one, and exits non-zero", async () => {
    const home = tempHome();
    expect(await cliRefusal(home, "dashboard", "--no-open")).toMatch(/no gateway is running.*openclaw gateway/);
    const printed = await runBinary(home, "dashboard", "--no-open");
    expect(printed.exitCode).not.toBe(0);
    expect(printed.stderr).toMatch(/no gateway is running.*`openclaw gateway`/);
  });
});
