import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWebUiRoute, WEB_UI_ROOT, type WebUiRoute } from "../src/index.js";

const SECRET = "TOP-SECRET-OUTSIDE-THE-UI-ROOT";
const FALLTHROUGH = "no route answered";

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A plain HTTP server running the route first and a marker 404 after it, like the gateway's route chain. */
async function serve(route: WebUiRoute): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (await route(req, res)) return;
      res.writeHead(404, { "content-type": "text/plain" }).end(FALLTHROUGH);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Send the path byte for byte (no URL normalisation), as an attacker would. */
function get(port: number, path: string, method = "GET", headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("createWebUiRoute", () => {
  let dir: string;
  let root: string;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webchat-route-"));
    root = join(dir, "ui");
    await mkdir(join(root, "assets", "nested"), { recursive: true });
    await writeFile(join(root, "index.html"), "<!doctype html><title>ui</title><script type=module src=/assets/app-abc123.js></script>");
    await writeFile(join(root, "assets", "app-abc123.js"), "console.log('app');");
    await writeFile(join(root, "assets", "style-abc123.css"), "body{}");
    await writeFile(join(root, "assets", "logo-abc123.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
    await writeFile(join(root, "assets", "nested", "deep.js"), "nested");
    await writeFile(join(dir, "secret.txt"), SECRET);
    await writeFile(join(root, "secret-in-root.txt"), SECRET);
    ({ server, port } = await serve(createWebUiRoute({ root })));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["/", "/chat", "/devices", "/nodes", "/channels", "/sessions", "/logs", "/cron", "/chat/", "/?gatewayUrl=ws://evil&token=x"])(
    "serves index.html at %s, never cached",
    async (path) => {
      const answer = await get(port, path, "GET", { host: "127.0.0.1:18789" });
      expect(answer.status).toBe(200);
      expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(answer.headers["cache-control"]).toBe("no-store");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
      expect(answer.body).toContain("<title>ui</title>");
    },
  );

  it("sends a strict Content-Security-Policy that only lets the page talk to its own host", async () => {
    const answer = await get(port, "/", "GET", { host: "127.0.0.1:18789" });
    const csp = String(answer.headers["content-security-policy"]);
    const directives = new Map(
      csp.split(";").map((part) => {
        const [name, ...values] = part.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get("default-src")).toEqual(["'self'"]);
    expect(directives.get("script-src")).toEqual(["'self'"]);
    expect(directives.get("connect-src")).toEqual(["'self'", "ws://127.0.0.1:18789", "wss://127.0.0.1:18789"]);
    expect(directives.get("frame-ancestors")).toEqual(["'none'"]);
    expect(directives.get("object-src")).toEqual(["'none'"]);
    expect(csp).not.toContain("unsafe-inline");
    expect(csp).not.toContain("unsafe-eval");
    expect(answer.headers["x-frame-options"]).toBe("DENY");
  });

  it("does not echo a Host header that could inject directives", async () => {
    const answer = await get(port, "/", "GET", { host: "evil.example; script-src *" });
    const csp = String(answer.headers["content-security-policy"]);
    expect(csp).toContain("connect-src 'self';");
    expect(csp).not.toContain("evil");
  });

  it.each([
    ["/assets/app-abc123.js", "text/javascript; charset=utf-8", "console.log('app');"],
    ["/assets/style-abc123.css", "text/css; charset=utf-8", "body{}"],
    ["/assets/logo-abc123.svg", "image/svg+xml", "<svg xmlns='http://www.w3.org/2000/svg'/>"],
  ])("serves %s as %s, cached for a year", async (path, type, body) => {
    const answer = await get(port, path);
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe(type);
    expect(answer.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toContain("default-src 'self'");
    expect(answer.body).toBe(body);
  });

  it("answers HEAD without a body and refuses other methods", async () => {
    const head = await get(port, "/assets/app-abc123.js", "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String("console.log('app');".length));
    expect(head.body).toBe("");
    const post = await get(port, "/chat", "POST");
    expect(post.status).toBe(405);
    expect(post.headers["allow"]).toBe("GET, HEAD");
  });

  it("answers 404 for a missing asset", async () => {
    const answer = await get(port, "/assets/missing-123.js");
    expect(answer.status).toBe(404);
    expect(answer.body).not.toBe(FALLTHROUGH);
  });

  it.each([
    "/assets/../secret-in-root.txt",
    "/assets/../../secret.txt",
    "/assets/..%2f..%2fsecret.txt",
    "/assets/%2e%2e/%2e%2e/secret.txt",
    "/assets/..%5c..%5csecret.txt",
    "/assets/nested/../../secret-in-root.txt",
    "/assets//etc/passwd",
    "/assets/..",
    "/assets/nested",
    "/assets/nested/deep.js",
    "/assets/%00app-abc123.js",
  ])("never escapes assets/ or serves a directory: %s", async (path) => {
    const answer = await get(port, path);
    expect(answer.status).toBe(404);
    expect(answer.body).not.toContain(SECRET);
    expect(answer.body).not.toContain("root:");
  });

  it.each([
    "/secret-in-root.txt",
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/index.html/../secret-in-root.txt",
    "/healthz",
    "/__openclaw__/canvas/",
    "/chatx",
    "/assets",
  ])("leaves %s to the next route", async (path) => {
    const answer = await get(port, path);
    expect(answer.status).toBe(404);
    expect(answer.body).toBe(FALLTHROUGH);
  });

  it("says how to build the UI when the root has no index.html", async () => {
    const empty = await serve(createWebUiRoute({ root: join(dir, "nowhere") }));
    try {
      const answer = await get(empty.port, "/");
      expect(answer.status).toBe(503);
      expect(answer.body).toContain("pnpm --filter @openclaw/webchat build");
    } finally {
      await new Promise<void>((resolve) => empty.server.close(() => resolve()));
    }
  });
});

describe("createWebUiRoute under a base path", () => {
  let dir: string;
  let served: { server: Server; port: number };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "webchat-base-"));
    await mkdir(join(dir, "assets"), { recursive: true });
    await writeFile(
      join(dir, "index.html"),
      '<!doctype html><link rel="icon" href="/assets/icon-abc123.svg"><script type="module" src="/assets/app-abc123.js"></script><p>/assets/ in text</p>',
    );
    await writeFile(join(dir, "assets", "app-abc123.js"), "console.log('app');");
    served = await serve(createWebUiRoute({ root: dir, basePath: "control/" }));
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => served.server.close(() => resolve()));
    await rm(dir, { recursive: true, force: true });
  });

  it.each(["/control", "/control/", "/control/chat", "/control/devices/"])("serves index.html at %s with its asset links under the base", async (path) => {
    const answer = await get(served.port, path);
    expect(answer.status).toBe(200);
    expect(answer.body).toBe(
      '<!doctype html><link rel="icon" href="/control/assets/icon-abc123.svg"><script type="module" src="/control/assets/app-abc123.js"></script><p>/assets/ in text</p>',
    );
  });

  it("serves the bundle below the base", async () => {
    const answer = await get(served.port, "/control/assets/app-abc123.js");
    expect(answer.status).toBe(200);
    expect(answer.body).toBe("console.log('app');");
  });

  it.each(["/", "/chat", "/assets/app-abc123.js", "/controlx/chat", "/control/../assets/app-abc123.js"])(
    "leaves %s, outside the base, to the next route",
    async (path) => {
      const answer = await get(served.port, path);
      expect(answer.status).toBe(404);
      expect(answer.body).toBe(FALLTHROUGH);
    },
  );
});

describe("WEB_UI_ROOT", () => {
  it("holds the Vite build: index.html loading a hashed module from /assets/ with nothing inline", () => {
    const html = readFileSync(join(WEB_UI_ROOT, "index.html"), "utf8");
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/src="\/assets\/[A-Za-z0-9_-]+-[A-Za-z0-9_-]{6,}\.js"/);
      expect(body!.trim()).toBe("");
    }
    expect(html).not.toMatch(/\sstyle=|<style/);
  });
});
