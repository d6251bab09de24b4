import { mkdtemp, rm, stat, writeFile, mkdir } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { GatewayServer } from "../src/index.js";
import type { HttpRoute } from "../src/http/routes.js";
import { startGateway } from "./harness.js";

let dir: string;
let server: GatewayServer | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "gateway-host-"));
  await mkdir(join(dir, "canvas"));
  await writeFile(join(dir, "canvas", "a.txt"), "canvas text");
  await writeFile(join(dir, "canvas", "page.html"), "<html><body>page</body></html>");
  await writeFile(join(dir, "canvas", "app.js"), "export const x = 1;");
  await mkdir(join(dir, "a2ui"));
  await writeFile(join(dir, "a2ui", "index.html"), '<html><head><script type="module" src="./a2ui.js"></script></head><body></body></html>');
  await writeFile(join(dir, "a2ui", "a2ui.js"), "export {};");
});

afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Stands in for the Control UI route of the app. */
const uiRoute: HttpRoute = (request, response) => {
  if ((request.url ?? "/") !== "/") return false;
  response.writeHead(200, { "content-type": "text/html" }).end("<html>ui</html>");
  return true;
};

async function start(options: Parameters<typeof startGateway>[0] = {}) {
  server = await startGateway({ canvas: { root: join(dir, "canvas"), a2uiRoot: join(dir, "a2ui"), liveReload: true }, httpRoutes: [uiRoute], ...options });
  return server;
}

function get(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port: server!.port, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    request.on("error", reject);
    request.end();
  });
}

const routes = ["/__openclaw__/canvas/a.txt", "/__openclaw__/a2ui/", "/"];

describe("Host check on HTTP routes", () => {
  it("refuses a DNS-rebinding Host on canvas, A2UI and the Control UI with 421", async () => {
    const gateway = await start();
    for (const path of routes) {
      const rebound = await get(path, { host: `evil.example:${gateway.port}` });
      expect({ path, status: rebound.status }).toEqual({ path, status: 421 });
      expect(rebound.body).not.toContain("canvas text");
      expect(rebound.body).not.toContain("ui");
    }
  });

  it("refuses a rebinding Host on the canvas reload socket", async () => {
    const gateway = await start();
    const ws = new WebSocket(`ws://127.0.0.1:${gateway.port}/__openclaw__/ws`, { headers: { host: `evil.example:${gateway.port}` } });
    const outcome = await new Promise<number | string>((resolve) => {
      ws.once("open", () => resolve("open"));
      ws.once("unexpected-response", (_request, response) => resolve(response.statusCode ?? 0));
      ws.once("error", (error) => resolve(error.message));
    });
    expect(outcome).toBe(421);
  });

  it("answers to names that cannot be rebound: IP literals, localhost, this machine, tailnet names and configured origins", async () => {
    const gateway = await start({ allowedOrigins: ["https://gateway.home.example"] });
    const port = gateway.port;
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`, `localhost:${port}`, `${hostname()}:${port}`, `box.tail1234.ts.net`, `gateway.home.example`]) {
      expect({ host, status: (await get("/__openclaw__/canvas/a.txt", { host })).status }).toEqual({ host, status: 200 });
      expect({ host, status: (await get("/", { host })).status }).toEqual({ host, status: 200 });
    }
    expect((await get("/__openclaw__/canvas/a.txt", { host: "gateway.home.example.evil.example" })).status).toBe(421);
  });

  it("keeps the probes answering whatever the Host, since they reveal nothing", async () => {
    await start();
    expect((await get("/healthz", { host: "evil.example" })).status).toBe(200);
  });
});

describe("canvas and A2UI under a sandboxing CSP", () => {
  it("serves canvas and A2UI pages and files with `sandbox allow-scripts` and without allow-same-origin", async () => {
    await start();
    for (const path of [
      "/__openclaw__/canvas/page.html",
      "/__openclaw__/canvas/a.txt",
      "/__openclaw__/canvas/",
      "/__openclaw__/a2ui/",
      "/__openclaw__/a2ui/a2ui.js",
    ]) {
      const csp = String((await get(path)).headers["content-security-policy"]);
      expect({ path, csp }).toEqual({ path, csp: expect.stringMatching(/^sandbox allow-scripts\b/) });
      expect(csp).not.toContain("allow-same-origin");
    }
    // The Control UI itself is not sandboxed by this header.
    expect((await get("/")).headers["content-security-policy"]).toBeUndefined();
  });

  it("lets a sandboxed page load its module scripts, but gives plain reads no CORS access", async () => {
    await start();
    const script = await get("/__openclaw__/canvas/app.js", { origin: "null", "sec-fetch-dest": "script", "sec-fetch-mode": "cors" });
    expect(script.headers["access-control-allow-origin"]).toBe("null");
    const read = await get("/__openclaw__/canvas/a.txt", { origin: "null", "sec-fetch-dest": "empty", "sec-fetch-mode": "cors" });
    expect(read.headers["access-control-allow-origin"]).toBeUndefined();
    const foreign = await get("/__openclaw__/canvas/app.js", { origin: "https://evil.example", "sec-fetch-dest": "script" });
    expect(foreign.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("creates a missing canvas folder private to the gateway's user", async () => {
    const root = join(dir, "fresh-canvas");
    server = await startGateway({ canvas: { root, a2uiRoot: join(dir, "a2ui"), liveReload: true } });
    expect((await stat(root)).mode & 0o777).toBe(0o700);
  });
});
