// A local npm registry for the install test: it serves our packed `@openclaw/*` tarballs (packuments built
// from each tarball's own package.json) and passes every other request through to the upstream registry,
// so `npm install --registry <url>` resolves our packages exactly as it would once they are published.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";

/** The text of one file inside a .tgz: npm tarballs are gzipped POSIX tar archives of 512-byte blocks. */
export function readTarEntry(tgz, wanted) {
  const tar = gunzipSync(tgz);
  let longName;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const field = (start, length) =>
      header
        .subarray(start, start + length)
        .toString("utf8")
        .replace(/\0.*$/s, "");
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(0, 100)}` : field(0, 100));
    const body = tar.subarray(offset + 512, offset + 512 + size);
    // The next entry's full name: a GNU long-name entry ("L") or a pax header ("x") with a path record.
    if (type === "L") longName = body.toString("utf8").replace(/\0.*$/s, "");
    else if (type === "x") longName = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString("utf8"))?.[1];
    else longName = undefined;
    if ((type === "0" || type === "") && name === wanted) return body.toString("utf8");
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  throw new Error(`${wanted} not found in the tarball`);
}

/** One packed package as the registry serves it: its manifest (from the tarball) and the tarball itself. */
export function loadTarball(file) {
  const data = readFileSync(file);
  const manifest = JSON.parse(readTarEntry(data, "package/package.json"));
  return {
    name: manifest.name,
    version: manifest.version,
    manifest,
    file: basename(file),
    data,
    integrity: `sha512-${createHash("sha512").update(data).digest("base64")}`,
    shasum: createHash("sha1").update(data).digest("hex"),
  };
}

/** The full packument npm asks for at GET /<name>; one version, tagged latest. */
export function packument(pkg, baseUrl) {
  const tarball = `${baseUrl}/${pkg.name}/-/${pkg.file}`;
  const version = { ...pkg.manifest, _id: `${pkg.name}@${pkg.version}`, dist: { tarball, integrity: pkg.integrity, shasum: pkg.shasum } };
  return { _id: pkg.name, name: pkg.name, "dist-tags": { latest: pkg.version }, versions: { [pkg.version]: version } };
}

/** `/@scope%2fname`, `/@scope/name` and `/name` → the package name; tarball paths → name and file. */
function parsePath(pathname) {
  const path = decodeURIComponent(pathname).replace(/^\/+/, "");
  const parts = path.split("/");
  const scoped = parts[0]?.startsWith("@");
  const name = scoped ? parts.slice(0, 2).join("/") : parts[0];
  const rest = parts.slice(scoped ? 2 : 1);
  return { name, file: rest.length === 2 && rest[0] === "-" ? rest[1] : undefined, bare: rest.length === 0 };
}

/** Headers not to copy between hops: they describe one connection, not the resource. */
const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "te", "trailer", "authorization"]);

function forward(request, response, upstream, counts) {
  const target = new URL(request.url.replace(/^\/+/, ""), upstream.endsWith("/") ? upstream : `${upstream}/`);
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([key]) => !HOP_BY_HOP.has(key)));
  const client = target.protocol === "https:" ? https : http;
  counts.proxied++;
  const outgoing = client.request(target, { method: request.method, headers }, (answer) => {
    const copied = Object.fromEntries(Object.entries(answer.headers).filter(([key]) => !HOP_BY_HOP.has(key)));
    response.writeHead(answer.statusCode ?? 502, copied);
    answer.pipe(response);
  });
  outgoing.on("error", (error) => {
    counts.upstreamErrors.push(`${request.method} ${target.href}: ${error.message}`);
    if (!response.headersSent) response.writeHead(502, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: `upstream ${target.origin} unreachable: ${error.message}` }));
  });
  request.pipe(outgoing);
}

/**
 * Starts the registry on 127.0.0.1 (port 0 unless given). `tarballs` are .tgz paths from `pnpm pack`;
 * `upstream` is where everything else goes (`npm config get registry`).
 */
export async function startRegistry({ tarballs, upstream, port = 0 }) {
  const ours = new Map(tarballs.map(loadTarball).map((pkg) => [pkg.name, pkg]));
  const counts = { served: 0, proxied: 0, packuments: new Set(), tarballs: new Set(), upstreamErrors: [] };
  let baseUrl = "";
  const server = http.createServer((request, response) => {
    const { pathname } = new URL(request.url ?? "/", "http://registry.invalid");
    const { name, file, bare } = parsePath(pathname);
    const pkg = name ? ours.get(name) : undefined;
    if (!pkg || request.method !== "GET") return forward(request, response, upstream, counts);
    counts.served++;
    if (bare) {
      counts.packuments.add(pkg.name);
      response.writeHead(200, { "content-type": "application/json" });
      return response.end(JSON.stringify(packument(pkg, baseUrl)));
    }
    if (file === pkg.file) {
      counts.tarballs.add(pkg.name);
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": pkg.data.length });
      return response.end(pkg.data);
    }
    response.writeHead(404, { "content-type": "application/json" });
    response.end(JSON.stringify({ error: `${pathname}: this registry holds only ${pkg.name}@${pkg.version} (${pkg.file})` }));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  return {
    url: baseUrl,
    packages: [...ours.values()].map(({ name, version, file }) => ({ name, version, file })),
    counts,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
