import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import WebSocket from "ws";
import { createCanvasHost, LIVE_RELOAD_DEBOUNCE_MS, type CanvasHost, type CanvasHostOptions } from "../src/canvas/index.js";
import { injectClientScript } from "../src/canvas/client-script.js";
import { createDebouncer } from "../src/canvas/live-reload.js";
import { handleHttp } from "../src/http/routes.js";

let root: string;
let host: CanvasHost | undefined;
let server: Server | undefined;
let port = 0;
const clients: WebSocket[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "canvas-reload-"));
  await writeFile(join(root, "index.html"), "<!doctype html><html><body><h1>hi</h1></body></html>");
  await writeFile(join(root, "bare.html"), "<h1>no body tag</h1>");
  await writeFile(join(root, "app.js"), "console.log('</body>');");
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  await host?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  host = undefined;
  server = undefined;
  await rm(root, { recursive: true, force: true });
});

async function start(overrides: Partial<CanvasHostOptions> = {}): Promise<void> {
  host = createCanvasHost({ root, isAuthorized: () => true, ...overrides });
  const canvas = host;
  const routes = [canvas.route];
  server = createServer((req, res) => void handleHttp(routes, req, res));
  // The wiring server.ts needs: offer each upgrade to the canvas host before refusing it.
  server.on("upgrade", (request, socket, head) => {
    if (!canvas.handleUpgrade(request, socket, head)) socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  await canvas.ready;
}

function text(path: string): Promise<string> {
  return fetch(`http://127.0.0.1:${port}${path}`).then((response) => response.text());
}

/** Connects and records every message; resolves once the socket is open. */
async function connect(path = "/__openclaw__/ws"): Promise<{ ws: WebSocket; messages: string[]; next(count: number): Promise<void> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  clients.push(ws);
  const messages: string[] = [];
  const waiters: (() => void)[] = [];
  ws.on("message", (data: Buffer) => {
    messages.push(data.toString("utf8"));
    for (const wake of waiters.splice(0)) wake();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  const next = async (count: number) => {
    while (messages.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { ws, messages, next };
}

describe("live-reload script", () => {
  it("is injected into HTML just before </body>, or appended, and never into other types", async () => {
    await start();
    const page = await text("/__openclaw__/canvas/");
    expect(page).toMatch(/<script data-openclaw-canvas>[\s\S]*<\/script>\n<\/body><\/html>$/);
    for (const name of [
      "globalThis.OpenClaw.postMessage",
      "globalThis.OpenClaw.sendUserAction",
      "openclawPostMessage",
      "openclawSendUserAction",
      "openclawCanvasA2UIAction",
      "messageHandlers",
      "/__openclaw__/ws",
      '"reload"',
    ]) {
      expect(page).toContain(name);
    }
    expect(await text("/__openclaw__/canvas/bare.html")).toMatch(/^<h1>no body tag<\/h1>\n<script data-openclaw-canvas>/);
    expect(await text("/__openclaw__/canvas/app.js")).toBe("console.log('</body>');");
  });

  it("keeps the bridge but drops the socket when live reload is off", async () => {
    await start({ liveReload: false });
    const page = await text("/__openclaw__/canvas/");
    expect(page).toContain("openclawSendUserAction");
    expect(page).not.toContain("WebSocket");
    await expect(connect()).rejects.toThrow(/404/);
  });

  it("injects before the last </body> only", () => {
    expect(injectClientScript("<body>a</body><!-- </BODY> -->", "<s>")).toBe("<body>a</body><!-- <s>\n</BODY> -->");
  });
});

describe("reload socket", () => {
  it("sends exactly one reload for a burst of writes, after the debounce", async () => {
    await start();
    const client = await connect();
    const burstStartedAt = performance.now();
    // Distinct files, so the watcher reports each write instead of folding them per path.
    for (let index = 0; index < 5; index += 1) await writeFile(join(root, `page-${index}.html`), `<body>page ${index}</body>`);
    await writeFile(join(root, "index.html"), "<body>edited</body>");
    await client.next(1);
    // Undebounced, the first event would reload at once.
    expect(performance.now() - burstStartedAt).toBeGreaterThanOrEqual(LIVE_RELOAD_DEBOUNCE_MS);
    // A later, separate change reloads again; any straggler from the burst would have arrived by then.
    await mkdir(join(root, "assets"));
    await client.next(2);
    expect(client.messages).toEqual(["reload", "reload"]);
  });

  it("creates a missing root so the scaffold reloads into the first index.html", async () => {
    const fresh = join(root, "fresh");
    await start({ root: fresh });
    expect(await text("/__openclaw__/canvas/")).toContain("The canvas is empty");
    const client = await connect();
    await writeFile(join(fresh, "index.html"), "<body>first page</body>");
    await client.next(1);
    expect(await text("/__openclaw__/canvas/")).toContain("first page");
  });

  it("reaches every connected page and ignores dotfiles", async () => {
    await start();
    const first = await connect();
    const second = await connect();
    await writeFile(join(root, ".swap"), "editor noise");
    await writeFile(join(root, "app.js"), "console.log(2);");
    await Promise.all([first.next(1), second.next(1)]);
    expect([first.messages, second.messages]).toEqual([["reload"], ["reload"]]);
  });

  it("leaves other upgrade paths to the server", async () => {
    await start();
    await expect(connect("/other")).rejects.toThrow(/404/);
    await expect(connect("/__openclaw__/ws/extra")).rejects.toThrow(/404/);
  });

  it("close() drops connected sockets and refuses new ones", async () => {
    await start();
    const client = await connect();
    const closed = new Promise<void>((resolve) => client.ws.once("close", () => resolve()));
    await host!.close();
    await closed;
    await expect(connect()).rejects.toThrow(/503/);
  });
});

describe("debounce timer", () => {
  afterEach(() => vi.useRealTimers());

  it("keeps one timer, runs once after the quiet period, and cancel leaves none", () => {
    vi.useFakeTimers();
    const run = vi.fn();
    const debouncer = createDebouncer(run, LIVE_RELOAD_DEBOUNCE_MS);
    debouncer.trigger();
    debouncer.trigger();
    vi.advanceTimersByTime(LIVE_RELOAD_DEBOUNCE_MS - 1);
    debouncer.trigger();
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(LIVE_RELOAD_DEBOUNCE_MS);
    expect(run).toHaveBeenCalledTimes(1);
    debouncer.trigger();
    debouncer.cancel();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(LIVE_RELOAD_DEBOUNCE_MS * 2);
    expect(run).toHaveBeenCalledTimes(1);
  });
});
