import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createCanvasHost, defaultA2uiRoot, type CanvasHost, type CanvasHostOptions } from "../src/canvas/index.js";
import { CANVAS_HOST_PATH, safeSegments } from "../src/canvas/paths.js";
import { handleHttp } from "../src/http/routes.js";

let dir: string;
let root: string;
let host: CanvasHost | undefined;
let server: Server | undefined;
let base = "";

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "canvas-static-"));
  root = join(dir, "canvas");
  await mkdir(join(root, "sub", "empty"), { recursive: true });
  await mkdir(join(dir, "outside"));
  await writeFile(join(dir, "secret.txt"), "TOP SECRET");
  await writeFile(join(dir, "outside", "secret.txt"), "TOP SECRET");
  await writeFile(join(root, "index.html"), "<html><body><h1>canvas home</h1></body></html>");
  await writeFile(join(root, "sub", "index.html"), "<p>sub index</p>");
  await writeFile(join(root, "app.js"), "console.log('app');");
  await writeFile(join(root, "note.txt"), "hello note");
});

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await host?.close();
  host = undefined;
  server = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(overrides: Partial<CanvasHostOptions> = {}): Promise<void> {
  host = createCanvasHost({ root, liveReload: false, isAuthorized: () => true, ...overrides });
  const routes = [host.route];
  server = createServer((req, res) => void handleHttp(routes, req, res));
  await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A raw request: fetch would normalize `..` and `%2e%2e` before they reach the server. */
function rawGet(path: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}/`, { path }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("canvas static files", () => {
  it("serves files with their content type and no-store", async () => {
    await start();
    const js = await fetch(`${base}/__openclaw__/canvas/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toBe("no-store");
    expect(await js.text()).toBe("console.log('app');");
    const txt = await fetch(`${base}/__openclaw__/canvas/note.txt`);
    expect(txt.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    for (const [name, type] of [
      ["a.png", "image/png"],
      ["a.svg", "image/svg+xml"],
      ["a.wasm", "application/wasm"],
      ["a.json", "application/json; charset=utf-8"],
      ["a.bin", "application/octet-stream"],
    ] as const) {
      await writeFile(join(root, name), "x");
      expect((await fetch(`${base}/__openclaw__/canvas/${name}`)).headers.get("content-type")).toBe(type);
    }
  });

  it("serves a directory's index.html, redirecting to the slash form first", async () => {
    await start();
    const home = await fetch(`${base}/__openclaw__/canvas/`);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await home.text()).toContain("canvas home");
    const bare = await fetch(`${base}/__openclaw__/canvas/sub`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/__openclaw__/canvas/sub/");
    expect(await (await fetch(`${base}/__openclaw__/canvas/sub`)).text()).toContain("sub index");
    expect((await fetch(`${base}/__openclaw__/canvas/sub/empty/`)).status).toBe(404);
  });

  it("serves the scaffold when the root has no index.html, even before the root exists", async () => {
    await rm(join(root, "index.html"));
    await start();
    const page = await fetch(`${base}/__openclaw__/canvas/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("The canvas is empty");
    await rm(root, { recursive: true });
    expect(await (await fetch(`${base}/__openclaw__/canvas/`)).text()).toContain("The canvas is empty");
    expect((await fetch(`${base}/__openclaw__/canvas/app.js`)).status).toBe(404);
  });

  it("answers HEAD with headers only, 405 with Allow for other methods, 404 for missing files", async () => {
    await start();
    const head = await fetch(`${base}/__openclaw__/canvas/note.txt`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String("hello note".length));
    expect(await head.text()).toBe("");
    const post = await fetch(`${base}/__openclaw__/canvas/note.txt`, { method: "POST", body: "x" });
    expect(post.status).toBe(405);
    expect(post.headers.get("allow")).toBe("GET, HEAD");
    expect((await fetch(`${base}/__openclaw__/canvas/nope.html`)).status).toBe(404);
    expect((await fetch(`${base}/elsewhere`)).status).toBe(404);
  });
});

describe("path traversal", () => {
  const attempts = [
    "/__openclaw__/canvas/../secret.txt",
    "/__openclaw__/canvas/../../secret.txt",
    "/__openclaw__/canvas/sub/../../secret.txt",
    "/__openclaw__/canvas/%2e%2e/secret.txt",
    "/__openclaw__/canvas/%2E%2E/secret.txt",
    "/__openclaw__/canvas/%2e%2e%2fsecret.txt",
    "/__openclaw__/canvas/..%2fsecret.txt",
    "/__openclaw__/canvas/..%5csecret.txt",
    "/__openclaw__/canvas/..\\secret.txt",
    "/__openclaw__/canvas/%252e%252e/secret.txt",
    "/__openclaw__/canvas/%252e%252e%252fsecret.txt",
    "/__openclaw__/canvas/note.txt%00.html",
    "/__openclaw__/canvas/%00",
    "/__openclaw__/canvas/%e0%a4%a",
  ];

  it.each(attempts)("refuses %s", async (path) => {
    // Refused by spelling, not merely because no such file exists.
    expect(safeSegments(path.slice(CANVAS_HOST_PATH.length))).toBeUndefined();
    await start();
    const response = await rawGet(path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain("TOP SECRET");
  });

  it("treats absolute paths as relative to the root", async () => {
    await start();
    for (const path of [
      `/__openclaw__/canvas/${join(dir, "secret.txt")}`,
      `/__openclaw__/canvas/${encodeURIComponent(join(dir, "secret.txt"))}`,
      "/__openclaw__/canvas//etc/passwd",
    ]) {
      const response = await rawGet(path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain("TOP SECRET");
    }
  });

  it("refuses symlinks out of the root and follows the ones inside it", async () => {
    await symlink(join(dir, "secret.txt"), join(root, "leak.txt"));
    await symlink(join(dir, "outside"), join(root, "leakdir"));
    await symlink(join(root, "note.txt"), join(root, "alias.txt"));
    await symlink(join(root, "sub"), join(root, "subalias"));
    await start();
    for (const path of ["/__openclaw__/canvas/leak.txt", "/__openclaw__/canvas/leakdir/secret.txt", "/__openclaw__/canvas/leakdir/"]) {
      const response = await rawGet(path);
      expect(response.status).toBe(404);
      expect(response.body).not.toContain("TOP SECRET");
    }
    expect(await (await fetch(`${base}/__openclaw__/canvas/alias.txt`)).text()).toBe("hello note");
    expect(await (await fetch(`${base}/__openclaw__/canvas/subalias/`)).text()).toContain("sub index");
  });
});

describe("A2UI bundle", () => {
  const packageRoot = fileURLToPath(new URL("..", import.meta.url));

  beforeAll(async () => {
    const bundle = defaultA2uiRoot();
    if (bundle !== undefined && existsSync(join(bundle, "a2ui.js"))) return;
    await promisify(execFile)(process.execPath, [join(packageRoot, "a2ui", "build.mjs")]);
  }, 60_000);

  it("serves the renderer built from @a2ui/lit, with the bridge in its page", async () => {
    await start();
    expect(defaultA2uiRoot()).toBe(join(packageRoot, "dist-a2ui"));
    const page = await fetch(`${base}/__openclaw__/a2ui/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('src="./a2ui.js"');
    expect(html).toContain("openclawSendUserAction");
    const bundle = await fetch(`${base}/__openclaw__/a2ui/a2ui.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const code = await bundle.text();
    expect(code).toContain("a2ui-surface");
    expect(code).toContain("openclawA2UI");
    expect((await rawGet("/__openclaw__/a2ui/../package.json")).status).toBe(404);
  });

  it("answers 503 when the bundle is absent", async () => {
    await start({ a2uiRoot: join(dir, "no-bundle") });
    const response = await fetch(`${base}/__openclaw__/a2ui/`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe("A2UI assets not found");
  });
});
