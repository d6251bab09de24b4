import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readTarEntry, startRegistry } from "../install-test/registry.mjs";

// The install test's registry against a fake upstream (a real HTTP server) and a real npm client.

const LONG_NAME = `docs/${"deeply-nested-folder/".repeat(6)}notes.txt`;
let work: string;
let tarball: string;
let upstream: http.Server;
let upstreamUrl: string;
const upstreamRequests: { method: string; url: string; body: string }[] = [];
let registry: Awaited<ReturnType<typeof startRegistry>>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "openclaw-registry-test-"));
  const pkg = join(work, "src", "package");
  mkdirSync(join(pkg, "docs", ...Array(6).fill("deeply-nested-folder")), { recursive: true });
  writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "@fixture/hello", version: "1.2.3", type: "module", main: "index.js", license: "MIT" }));
  writeFileSync(join(pkg, "index.js"), 'export const hello = "hi";\n');
  writeFileSync(join(pkg, LONG_NAME), "a path over 100 characters, stored with a GNU long-name entry\n");
  tarball = join(work, "fixture-hello-1.2.3.tgz");
  execFileSync("tar", ["-czf", tarball, "-C", join(work, "src"), "package"]);

  upstream = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      upstreamRequests.push({ method: request.method!, url: request.url!, body });
      response.writeHead(request.url === "/missing" ? 404 : 200, { "content-type": "application/json", "x-upstream": "yes" });
      response.end(JSON.stringify({ from: "upstream", url: request.url }));
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
  registry = await startRegistry({ tarballs: [tarball], upstream: upstreamUrl });
});

afterAll(async () => {
  await registry?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

describe("the install test's local registry", () => {
  it("reads files out of a .tgz, long names included", () => {
    const data = readFileSync(tarball);
    expect(JSON.parse(readTarEntry(data, "package/package.json"))).toMatchObject({ name: "@fixture/hello", version: "1.2.3" });
    expect(readTarEntry(data, `package/${LONG_NAME}`)).toContain("GNU long-name entry");
    expect(() => readTarEntry(data, "package/nope.js")).toThrow("package/nope.js not found in the tarball");
  });

  it("serves a packument built from the tarball's own package.json, and the tarball it names", async () => {
    const bytes = readFileSync(tarball);
    for (const path of ["/@fixture%2fhello", "/@fixture/hello"]) {
      const response = await fetch(`${registry.url}${path}`);
      expect(response.status).toBe(200);
      const packument = (await response.json()) as any;
      expect(packument).toMatchObject({ name: "@fixture/hello", "dist-tags": { latest: "1.2.3" } });
      expect(packument.versions["1.2.3"]).toMatchObject({
        name: "@fixture/hello",
        version: "1.2.3",
        main: "index.js",
        dist: {
          tarball: `${registry.url}/@fixture/hello/-/fixture-hello-1.2.3.tgz`,
          integrity: `sha512-${createHash("sha512").update(bytes).digest("base64")}`,
          shasum: createHash("sha1").update(bytes).digest("hex"),
        },
      });
    }
    const download = await fetch(`${registry.url}/@fixture/hello/-/fixture-hello-1.2.3.tgz`);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
    const wrongFile = await fetch(`${registry.url}/@fixture/hello/-/fixture-hello-9.9.9.tgz`);
    expect(wrongFile.status).toBe(404);
    expect(((await wrongFile.json()) as any).error).toContain("holds only @fixture/hello@1.2.3");
    expect(registry.counts.packuments.has("@fixture/hello")).toBe(true);
    expect(registry.counts.tarballs.has("@fixture/hello")).toBe(true);
  });

  it("passes every other request through to the upstream registry, status, headers and body", async () => {
    const other = await fetch(`${registry.url}/left-pad`);
    expect(other.status).toBe(200);
    expect(other.headers.get("x-upstream")).toBe("yes");
    expect(await other.json()).toEqual({ from: "upstream", url: "/left-pad" });
    expect((await fetch(`${registry.url}/missing`)).status).toBe(404);
    const audit = await fetch(`${registry.url}/-/npm/v1/security/advisories/bulk`, { method: "POST", body: '{"ws":["8.0.0"]}' });
    expect(audit.status).toBe(200);
    expect(upstreamRequests).toContainEqual({ method: "POST", url: "/-/npm/v1/security/advisories/bulk", body: '{"ws":["8.0.0"]}' });
    expect(upstreamRequests.some((request) => request.url.includes("fixture"))).toBe(false);
  });

  it("answers 502 with the reason when the upstream registry cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const orphan = await startRegistry({ tarballs: [], upstream: deadUrl });
    try {
      const response = await fetch(`${orphan.url}/left-pad`);
      expect(response.status).toBe(502);
      expect(((await response.json()) as any).error).toContain(`upstream ${deadUrl} unreachable`);
      expect(orphan.counts.upstreamErrors).toEqual([expect.stringContaining(`GET ${deadUrl}/left-pad`)]);
    } finally {
      await orphan.close();
    }
  });

  it("is a registry npm installs from", { timeout: 60_000 }, async () => {
    const project = join(work, "project");
    mkdirSync(project);
    writeFileSync(join(project, "package.json"), '{ "private": true }');
    // A cache of its own, so the tarball really comes from the registry.
    const npmArgs = ["install", "@fixture/hello", "--registry", registry.url, "--cache", join(work, "npm-cache"), "--no-audit", "--no-fund"];
    // Asynchronously: the registry answers from this process's event loop.
    await promisify(execFile)("npm", npmArgs, { cwd: project, env: { ...process.env, npm_config_update_notifier: "false" } });
    expect(readFileSync(join(project, "node_modules/@fixture/hello/index.js"), "utf8")).toBe('export const hello = "hi";\n');
    expect(JSON.parse(readFileSync(join(project, "package.json"), "utf8")).dependencies).toEqual({ "@fixture/hello": "^1.2.3" });
  });
});
