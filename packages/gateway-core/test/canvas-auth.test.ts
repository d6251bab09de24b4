import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { CANVAS_CAPABILITY_TTL_MS, CanvasCapabilities, canvasCapabilityUrl, createCanvasHost, type CanvasHost } from "../src/canvas/index.js";
import { handleHttp } from "../src/http/routes.js";

const TOKEN = "operator-token";
let root: string;
let host: CanvasHost | undefined;
let server: Server | undefined;
let base = "";
let clock = 1_000_000;
let capabilities: CanvasCapabilities;

// Stands in for the gateway's rule on a non-loopback bind: a Bearer token is required.
const bearerOnly = (request: IncomingMessage) => request.headers.authorization === `Bearer ${TOKEN}`;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "canvas-auth-"));
  await writeFile(join(root, "x.html"), "<body>node page</body>");
  clock = 1_000_000;
  capabilities = new CanvasCapabilities({ now: () => clock });
  host = createCanvasHost({ root, isAuthorized: bearerOnly, capabilities, a2uiRoot: join(root, "missing-bundle") });
  const canvas = host;
  server = createServer((req, res) => void handleHttp([canvas.route], req, res));
  server.on("upgrade", (request, socket, head) => {
    if (!canvas.handleUpgrade(request, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await canvas.ready;
});

afterEach(async () => {
  await host?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await rm(root, { recursive: true, force: true });
});

const status = (path: string, init?: RequestInit) => fetch(`${base}${path}`, init).then((response) => response.status);

function openSocket(path: string): Promise<WebSocket> {
  const ws = new WebSocket(`${base.replace("http", "ws")}${path}`);
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(ws));
    ws.once("error", reject);
  });
}

describe("gateway auth on canvas routes", () => {
  it("answers 401 without details unless isAuthorized says yes", async () => {
    const refused = await fetch(`${base}/__openclaw__/canvas/x.html`);
    expect(refused.status).toBe(401);
    expect(await refused.text()).toBe("Unauthorized");
    expect(await status("/__openclaw__/canvas/missing.html")).toBe(401);
    expect(await status("/__openclaw__/a2ui/")).toBe(401);
    expect(await status("/__openclaw__/canvas/x.html", { method: "POST" })).toBe(401);
    const headers = { authorization: `Bearer ${TOKEN}` };
    expect(await status("/__openclaw__/canvas/x.html", { headers })).toBe(200);
    expect(await status("/__openclaw__/a2ui/", { headers })).toBe(503);
    await expect(openSocket("/__openclaw__/ws")).rejects.toThrow(/401/);
  });
});

describe("node capabilities", () => {
  it("issues 18 random bytes base64url with a 10 minute expiry", () => {
    const grant = capabilities.issue("node-1");
    expect(Buffer.from(grant.capability, "base64url")).toHaveLength(18);
    expect(grant.capability).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(grant.expiresAtMs).toBe(clock + CANVAS_CAPABILITY_TTL_MS);
    expect(canvasCapabilityUrl("https://gw.example:18789/", grant.capability)).toBe(`https://gw.example:18789/__openclaw__/cap/${grant.capability}`);
  });

  it("a capability URL works without other auth, as a prefix or as oc_cap", async () => {
    const { capability } = capabilities.issue("node-1");
    const prefix = `/__openclaw__/cap/${capability}`;
    const page = await fetch(`${base}${prefix}/__openclaw__/canvas/x.html`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("node page");
    expect(await status(`/__openclaw__/canvas/x.html?oc_cap=${capability}`)).toBe(200);
    expect(await status(`${prefix}/__openclaw__/a2ui/`)).toBe(503);
    expect(await status(`${prefix}/__openclaw__/elsewhere`)).toBe(404);
    expect(await status(`${prefix}/__openclaw__/canvas/x.html`, { method: "PUT" })).toBe(405);
    const ws = await openSocket(`${prefix}/__openclaw__/ws`);
    ws.close();
    (await openSocket(`/__openclaw__/ws?oc_cap=${capability}`)).close();
  });

  it("refuses unknown, revoked and replaced capabilities", async () => {
    expect(await status("/__openclaw__/cap/not-a-capability/__openclaw__/canvas/x.html")).toBe(401);
    expect(await status("/__openclaw__/cap/not.base64url/__openclaw__/canvas/x.html")).toBe(401);
    const first = capabilities.issue("node-1");
    const second = capabilities.issue("node-1");
    expect(await status(`/__openclaw__/cap/${first.capability}/__openclaw__/canvas/x.html`)).toBe(401);
    expect(await status(`/__openclaw__/cap/${second.capability}/__openclaw__/canvas/x.html`)).toBe(200);
    expect(capabilities.revokeNode("node-1")).toBe(true);
    expect(await status(`/__openclaw__/cap/${second.capability}/__openclaw__/canvas/x.html`)).toBe(401);
    await expect(openSocket(`/__openclaw__/cap/${second.capability}/__openclaw__/ws`)).rejects.toThrow(/401/);
  });

  it("expires after 10 idle minutes, each use sliding the expiry", async () => {
    const { capability } = capabilities.issue("node-1");
    const url = `/__openclaw__/cap/${capability}/__openclaw__/canvas/x.html`;
    clock += CANVAS_CAPABILITY_TTL_MS - 1;
    expect(await status(url)).toBe(200);
    clock += CANVAS_CAPABILITY_TTL_MS - 1;
    expect(await status(url)).toBe(200);
    clock += CANVAS_CAPABILITY_TTL_MS;
    expect(await status(url)).toBe(401);
    expect(await status(url)).toBe(401);
  });

  it("refresh keeps a live capability and renews its expiry, or mints a new one", () => {
    const issued = capabilities.issue("node-1");
    clock += 60_000;
    const refreshed = capabilities.refresh("node-1");
    expect(refreshed).toEqual({ capability: issued.capability, expiresAtMs: clock + CANVAS_CAPABILITY_TTL_MS });
    clock += CANVAS_CAPABILITY_TTL_MS;
    const renewed = capabilities.refresh("node-1");
    expect(renewed.capability).not.toBe(issued.capability);
    expect(capabilities.authorize(issued.capability)).toBe(false);
    expect(capabilities.authorize(renewed.capability)).toBe(true);
    expect(capabilities.refresh("node-2").capability).toMatch(/^[A-Za-z0-9_-]{24}$/);
  });

  it("sweep forgets lapsed capabilities only", () => {
    const stale = capabilities.issue("node-1");
    clock += CANVAS_CAPABILITY_TTL_MS / 2;
    const fresh = capabilities.issue("node-2");
    clock += CANVAS_CAPABILITY_TTL_MS / 2;
    expect(capabilities.sweep()).toBe(1);
    expect(capabilities.authorize(stale.capability)).toBe(false);
    expect(capabilities.authorize(fresh.capability)).toBe(true);
  });
});
