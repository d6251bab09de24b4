import { createServer, type Server } from "node:http";
import { mkdtempSync } from "node:fs";
import { appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayRequestError } from "@openclaw/client";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import type { GatewayServer } from "@openclaw/gateway-core";
import {
  GATEWAY_TOKEN_STORAGE_KEY,
  REMOTE_HOST,
  TOKEN,
  connectUi,
  createGatewayState,
  httpBase,
  launchBrowser,
  newChatSession,
  openPage,
  recordAssistantStream,
  startWebGateway,
  waitForText,
  type GatewayState,
} from "./harness.js";

const VERSION = "2026.11.24-webchat-test";
/**
 * Where the screenshots go: a temp folder, so a test run writes no tracked file. The README's
 * pictures are refreshed on purpose with OPENCLAW_SCREENSHOT_DIR=docs (relative to the repo root).
 */
const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const SHOTS = `${resolve(REPO_ROOT, process.env["OPENCLAW_SCREENSHOT_DIR"] ?? mkdtempSync(join(tmpdir(), "openclaw-shots-")))}/`;

describe("Control UI and WebChat in Chromium", () => {
  let state: GatewayState;
  let server: GatewayServer;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    state = await createGatewayState();
    server = await startWebGateway(state, { version: VERSION });
    base = httpBase(server);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await state?.dispose();
  });

  it("connects with a pasted token and shows the gateway's real version and auth mode", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await page.goto(`${base}/`);
      await page.getByTestId("connection-panel").waitFor();
      await page.getByTestId("token-input").fill(TOKEN);
      await page.getByTestId("connect-button").click();
      expect(await waitForText(page, "overview-version", VERSION)).toBe(VERSION);
      expect(await waitForText(page, "overview-auth-mode", "token")).toBe("token");
      expect(await waitForText(page, "overview-health", "ok")).toBe("ok");
      expect(await page.getByTestId("overview-tls").textContent()).toContain("off");
      // The token is kept for this origin only, and the page keeps working after a reload.
      expect(await page.evaluate((key) => localStorage.getItem(key), GATEWAY_TOKEN_STORAGE_KEY)).toBe(TOKEN);
      await page.screenshot({ path: `${SHOTS}control-ui.png`, fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("streams a WebChat reply in pieces and shows the same history after a reload", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await connectUi(page, base);
      const sessionKey = await newChatSession(page);
      const message = "Tell me something long enough to arrive in several streamed pieces, please.";
      await page.getByTestId("chat-input").fill(message);
      const stream = recordAssistantStream(page);
      await page.getByTestId("chat-send").click();
      const { partials, final, status } = await stream;

      expect(status).toBe("final");
      expect(final).toBe(`Echo: ${message}`);
      // Every text shown while streaming is a prefix of the reply (the last delta may complete
      // it before the final event), and at least two of them were still incomplete.
      const distinct = [...new Set(partials.filter((text) => text.length > 0))];
      for (const partial of distinct) expect(final.startsWith(partial)).toBe(true);
      expect(distinct.filter((partial) => partial.length < final.length).length).toBeGreaterThanOrEqual(2);

      await page.reload();
      await page.locator('[data-testid="connection-status"][data-phase="open"]').waitFor();
      const bubbles = page.getByTestId("chat-message");
      await bubbles.filter({ hasText: final }).waitFor();
      expect(await page.evaluate(() => location.pathname)).toBe("/chat");
      expect(await page.getByTestId("session-picker").inputValue()).toBe(sessionKey);
      expect(
        await bubbles.evaluateAll((nodes) =>
          nodes.map((node) => [node.getAttribute("data-role"), node.querySelector('[data-testid="message-text"]')?.textContent]),
        ),
      ).toEqual([
        ["user", message],
        ["assistant", final],
      ]);

      // A second exchange makes the screenshot show a conversation.
      await page.getByTestId("chat-input").fill("And a short follow-up.");
      const second = recordAssistantStream(page);
      await page.getByTestId("chat-send").click();
      expect((await second).final).toBe("Echo: And a short follow-up.");
      await page.screenshot({ path: `${SHOTS}webchat.png` });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("answers a slash command typed in WebChat in the chat, without a model turn", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await connectUi(page, base);
      await newChatSession(page);
      const bubbles = page.getByTestId("chat-message");
      await page.getByTestId("chat-input").fill("/status");
      await page.getByTestId("chat-send").click();
      await bubbles.filter({ hasText: "Uptime:" }).waitFor();
      await page.getByTestId("chat-input").fill("/think");
      await page.getByTestId("chat-send").click();
      await bubbles.filter({ hasText: "takes no thinking levels" }).waitFor();
      const texts = await bubbles.evaluateAll((nodes) =>
        nodes.map((node) => [node.getAttribute("data-role"), node.querySelector('[data-testid="message-text"]')?.textContent ?? ""]),
      );
      expect(texts.map(([role, text]) => [role, text!.split("\n")[0]])).toEqual([
        ["user", "/status"],
        ["assistant", `OpenClaw Gateway ${VERSION}`],
        ["user", "/think"],
        ["assistant", expect.stringMatching(/^Thinking: off\. .* takes no thinking levels/)],
      ]);
      expect(texts.some(([, text]) => text!.startsWith("Echo:"))).toBe(false);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("starts exactly one run when Send is double-clicked", async () => {
    const { context, page } = await openPage(browser);
    const observer = await connectNode({ url: server.url, token: TOKEN, reconnect: false });
    try {
      await connectUi(page, base);
      const sessionKey = await newChatSession(page);
      await page.getByTestId("chat-input").fill("only once");
      const stream = recordAssistantStream(page);
      await page.getByTestId("chat-send").dblclick();
      expect((await stream).final).toBe("Echo: only once");

      const sessions = await observer.call("sessions.list", {});
      expect(sessions.sessions.find((session) => session.key === sessionKey)?.activeRunIds ?? []).toEqual([]);
      const history = await observer.call("chat.history", { sessionKey });
      expect(history.messages.map((entry) => entry.role)).toEqual(["user", "assistant"]);
      expect(await page.getByTestId("chat-message").count()).toBe(2);
    } finally {
      await observer.close();
      await context.close();
    }
  });

  it("treats two submits in the same task as one message", async () => {
    const { context, page } = await openPage(browser);
    const observer = await connectNode({ url: server.url, token: TOKEN, reconnect: false });
    try {
      await connectUi(page, base);
      const sessionKey = await newChatSession(page);
      await page.getByTestId("chat-input").fill("submitted twice");
      const stream = recordAssistantStream(page);
      // No render can run between these two, so only the send gate stands in the way.
      await page.locator("oc-chat form.composer").evaluate((form: HTMLFormElement) => {
        form.requestSubmit();
        form.requestSubmit();
      });
      expect((await stream).final).toBe("Echo: submitted twice");
      const history = await observer.call("chat.history", { sessionKey });
      expect(history.messages.map((entry) => entry.role)).toEqual(["user", "assistant"]);
    } finally {
      await observer.close();
      await context.close();
    }
  });

  it("stops a streaming reply with the abort button", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await connectUi(page, base);
      await newChatSession(page);
      const message = `A long message to stop halfway: ${"la ".repeat(120)}`;
      await page.getByTestId("chat-input").fill(message);
      await page.getByTestId("chat-send").click();
      const reply = page.locator('[data-testid="chat-message"][data-role="assistant"]');
      await reply.and(page.locator('[data-status="streaming"]')).waitFor();
      await page.getByTestId("chat-abort").click();
      await reply.and(page.locator('[data-status="aborted"]')).waitFor();
      await page.getByTestId("chat-abort").waitFor({ state: "detached" });
      const text = (await reply.getByTestId("message-text").textContent()) ?? "";
      expect(text.length).toBeGreaterThan(0);
      // Stopped part-way: a prefix of the reply, never all of it.
      expect(`Echo: ${message}`.startsWith(text)).toBe(true);
      expect(text.length).toBeLessThan(`Echo: ${message}`.length);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("approves a remote device's pairing request from the devices tab", async () => {
    const { context, page, errors } = await openPage(browser);
    const identity = createNodeIdentity();
    const remoteUrl = `ws://${REMOTE_HOST}:${server.port}`;
    const remoteOptions = {
      url: remoteUrl,
      token: TOKEN,
      identity,
      client: { id: "cli", mode: "cli", displayName: "Remote laptop" },
      reconnect: false,
    } as const;
    try {
      await connectUi(page, base);
      await page.getByTestId("tab-devices").click();
      await page.getByTestId("pending-devices").getByText("No device is waiting for approval.").waitFor();

      const refused = await connectNode(remoteOptions).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refused).toBeInstanceOf(GatewayRequestError);
      expect((refused as GatewayRequestError).detailCode).toBe("PAIRING_REQUIRED");

      // The request arrives as a device.pair.requested event; no reload needed.
      const row = page.locator(`[data-testid="pending-device"][data-device-id="${identity.id}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain("Remote laptop");
      await row.getByTestId("approve-device").click();
      await row.waitFor({ state: "detached" });
      await page.locator(`[data-testid="paired-device"][data-device-id="${identity.id}"]`).waitFor();

      const remote = await connectNode(remoteOptions);
      try {
        expect(remote.hello?.auth.scopes).toEqual(expect.arrayContaining(["operator.read", "operator.write"]));
        expect((await remote.call("health", {})).ok).not.toBe(false);
      } finally {
        await remote.close();
      }
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it("ignores a gateway URL and token in the link: no foreign socket, nothing stored", async () => {
    let foreignAttempts = 0;
    const evil: Server = createServer((_request, response) => {
      foreignAttempts += 1;
      response.end();
    });
    evil.on("upgrade", (_request, socket) => {
      foreignAttempts += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => evil.listen(0, "127.0.0.1", resolve));
    const evilUrl = `ws://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    const { context, page } = await openPage(browser);
    const sockets: string[] = [];
    page.on("websocket", (socket) => sockets.push(socket.url()));
    try {
      // The planted token is the real one: if the page used it, it would connect on its own.
      const link = `${base}/?gatewayUrl=${encodeURIComponent(evilUrl)}&token=${TOKEN}#gatewayUrl=${encodeURIComponent(evilUrl)}&token=${TOKEN}`;
      await page.goto(link);
      await page.getByTestId("connection-panel").waitFor();
      await page.getByTestId("link-notice").waitFor();
      expect(await page.getByTestId("token-input").inputValue()).toBe("");
      expect(page.url()).not.toContain(TOKEN);
      expect(page.url()).not.toContain("gatewayUrl");
      expect(await page.evaluate(() => Object.entries(localStorage))).toEqual([]);
      expect(await page.getByTestId("connection-status").getAttribute("data-phase")).toBe("needs-token");

      // Entering the token by hand connects to the serving gateway, and only there.
      await page.getByTestId("token-input").fill(TOKEN);
      await page.getByTestId("connect-button").click();
      await page.locator('[data-testid="connection-status"][data-phase="open"]').waitFor();
      expect(sockets).toEqual([`ws://127.0.0.1:${server.port}/`]);
      expect(foreignAttempts).toBe(0);
    } finally {
      await context.close();
      await new Promise<void>((resolve) => evil.close(() => resolve()));
    }
  });

  it("tails the gateway log live with its cursor", async () => {
    await appendFile(state.logFile, `${JSON.stringify({ level: 30, time: Date.now(), msg: "first line before the page" })}\n`);
    const { context, page } = await openPage(browser);
    try {
      await connectUi(page, base, "/logs");
      const lines = page.getByTestId("log-line");
      await lines.filter({ hasText: "first line before the page" }).waitFor();
      await appendFile(state.logFile, `${JSON.stringify({ level: 50, time: Date.now(), msg: "second line while watching" })}\n`);
      await lines.filter({ hasText: "second line while watching" }).waitFor();
      expect(await lines.filter({ hasText: "first line before the page" }).count()).toBe(1);
    } finally {
      await context.close();
    }
  });

  it("approves a node's commands, showing which stay refused and why, and invokes a custom one from the nodes tab", async () => {
    const { context, page, errors } = await openPage(browser);
    const identity = createNodeIdentity();
    // Not in the gateway's allow list: the approval alone opens it.
    const custom = "garden.moisture";
    // A node made from the client SDK: it answers each invoke with the params it got.
    const node = await connectNode({
      url: server.url,
      token: TOKEN,
      identity,
      role: "node",
      client: { id: "node-host", mode: "node", displayName: "Test node" },
      commands: [custom, "camera.snap"],
      reconnect: false,
    });
    node.on("node.invoke.request", (request) => {
      void node.call("node.invoke.result", {
        id: request.id,
        nodeId: request.nodeId,
        ok: true,
        payload: { command: request.command, params: JSON.parse(request.paramsJSON ?? "null") },
      });
    });
    try {
      await connectUi(page, base, "/nodes");
      const pending = page.locator(`[data-testid="pending-node"][data-node-id="${identity.id}"]`);
      await pending.waitFor();
      expect(await pending.getByTestId("withheld-command").textContent()).toContain(
        "camera.snap stays refused (not-allowlisted): add it to gateway.nodes.commands.allow",
      );
      await pending.getByTestId("approve-node").click();
      await pending.waitFor({ state: "detached" });
      expect(await page.getByTestId("approved-review").textContent()).toMatch(
        /Approved Test node: garden\.moisture[\s\S]*camera\.snap not approved \(not-allowlisted\)/,
      );
      await page.locator(`[data-testid="node-row"][data-node-id="${identity.id}"]`).filter({ hasText: custom }).waitFor();

      await page.getByTestId("invoke-node").selectOption(identity.id);
      await page.getByTestId("invoke-command").fill(custom);
      await page.getByTestId("invoke-params").fill('{"text":"ping"}');
      await page.getByTestId("invoke-submit").click();
      const result = page.getByTestId("invoke-result");
      await result.waitFor();
      expect(JSON.parse((await result.textContent()) ?? "")).toEqual({ command: custom, params: { text: "ping" } });
      expect(errors).toEqual([]);
    } finally {
      await node.close();
      await context.close();
    }
  });

  it("renders every tab against a real gateway without page errors", async () => {
    const { context, page, errors } = await openPage(browser);
    try {
      await connectUi(page, base);
      const checks: [tab: string, path: string, ready: () => Promise<void>][] = [
        ["sessions", "/sessions", () => page.getByTestId("session-row").or(page.locator("oc-sessions").getByText("No sessions yet")).first().waitFor()],
        ["devices", "/devices", () => page.locator("oc-devices").getByText("this browser").waitFor()],
        ["nodes", "/nodes", () => page.getByTestId("node-list").waitFor()],
        ["channels", "/channels", () => page.locator("oc-channels").getByText("no messaging channels configured").waitFor()],
        ["logs", "/logs", () => page.getByTestId("log-lines").waitFor()],
        ["cron", "/cron", () => page.locator("oc-cron").getByText("No cron jobs").waitFor()],
        ["chat", "/chat", () => page.getByTestId("chat-input").waitFor()],
        ["overview", "/", () => page.getByTestId("overview-version").waitFor()],
      ];
      for (const [tab, path, ready] of checks) {
        await page.getByTestId(`tab-${tab}`).click();
        await ready();
        expect(new URL(page.url()).pathname).toBe(path);
        expect(await page.getByTestId("view-error").count()).toBe(0);
      }
      // Deep links land on their tab.
      await page.goto(`${base}/cron`);
      await page.locator("oc-cron").getByText("No cron jobs").waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
