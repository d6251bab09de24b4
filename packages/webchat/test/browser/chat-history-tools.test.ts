import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOfflineProvider } from "@openclaw/agent";
import { connectNode, createNodeIdentity } from "@openclaw/client/node";
import type { GatewayServer } from "@openclaw/gateway-core";
import {
  NODE_COMMAND,
  TOKEN,
  connectUi,
  createGatewayState,
  httpBase,
  launchBrowser,
  newChatSession,
  openPage,
  startWebGateway,
  type GatewayState,
} from "./harness.js";

/** The UI asks for history in pages of this many entries. */
const HISTORY_PAGE = 50;

describe("WebChat history paging and tool activity in Chromium", () => {
  let state: GatewayState;
  let server: GatewayServer;
  let browser: Browser;

  beforeAll(async () => {
    state = await createGatewayState();
    // Every turn calls the node command's tool, then answers with what it returned.
    const provider = createOfflineProvider({ mode: "tool", tool: { name: "node_test_echo", arguments: { params: { text: "from the agent" } } } });
    server = await startWebGateway(state, { version: "history-tools-test", provider });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await state?.dispose();
  });

  it("pages back through a long transcript with Load older, oldest first", async () => {
    const { context, page, errors } = await openPage(browser);
    const operator = await connectNode({ url: server.url, token: TOKEN, scopes: ["operator.admin"], reconnect: false });
    try {
      await connectUi(page, httpBase(server));
      const sessionKey = await newChatSession(page);
      const count = HISTORY_PAGE + 12;
      for (let i = 1; i <= count; i++) await operator.call("chat.inject", { sessionKey, message: `note ${String(i).padStart(3, "0")}` });
      await page.reload();
      const bubbles = page.getByTestId("chat-message");
      await bubbles.filter({ hasText: `note ${String(count).padStart(3, "0")}` }).waitFor();
      expect(await bubbles.count()).toBe(HISTORY_PAGE);

      await page.getByTestId("load-older").click();
      await bubbles.filter({ hasText: "note 001" }).waitFor();
      const texts = await page.getByTestId("message-text").allTextContents();
      expect(texts).toEqual(Array.from({ length: count }, (_, i) => `note ${String(i + 1).padStart(3, "0")}`));
      await page.getByTestId("load-older").waitFor({ state: "detached" });
      expect(errors).toEqual([]);
    } finally {
      await operator.close();
      await context.close();
    }
  });

  it("folds the agent's node tool call and its result into the reply", async () => {
    const { context, page, errors } = await openPage(browser);
    const operator = await connectNode({ url: server.url, token: TOKEN, scopes: ["operator.admin"], reconnect: false });
    const node = await connectNode({
      url: server.url,
      token: TOKEN,
      identity: createNodeIdentity(),
      role: "node",
      client: { id: "node-host", mode: "node", displayName: "Tool node" },
      commands: [NODE_COMMAND],
      reconnect: false,
    });
    node.on("node.invoke.request", (request) => {
      void node.call("node.invoke.result", { id: request.id, nodeId: request.nodeId, ok: true, payload: { echoed: JSON.parse(request.paramsJSON ?? "null") } });
    });
    try {
      const pending = (await operator.call("node.pair.list", {})).pending;
      for (const request of pending) await operator.call("node.pair.approve", { requestId: request.requestId });
      await connectUi(page, httpBase(server));
      await newChatSession(page);
      await page.getByTestId("chat-input").fill("use the device");
      await page.getByTestId("chat-send").click();
      const reply = page.locator('[data-testid="chat-message"][data-role="assistant"][data-status="final"]');
      await reply.waitFor();
      expect(await reply.getByTestId("message-text").textContent()).toContain('{"echoed":{"text":"from the agent"}}');
      const tool = reply.getByTestId("tool-activity");
      expect(await tool.count()).toBe(1);
      expect(await tool.locator("summary").textContent()).toContain("node_test_echo · done");
      await tool.locator("summary").click();
      expect(await tool.textContent()).toContain('"from the agent"');
      expect(errors).toEqual([]);
    } finally {
      await node.close();
      await operator.close();
      await context.close();
    }
  });
});
