#!/usr/bin/env node
// `pnpm bench`: measures the gateway (apps/gateway/dist/cli.js) side by side with a raw `ws`
// baseline server, both started as child processes; this process is the client. Each figure
// is the median over BENCH_RUNS runs. Prints a table and writes .bench-results/bench.json.
// Never pass/fail on time: the exit code is 0 unless the bench itself could not run.
//
//   node tooling/bench/run.mjs                 # or: pnpm bench
//   node tooling/bench/run.mjs --baseline-server --port P   (internal: the raw ws baseline)
//
// Env knobs (defaults in CONFIG below): BENCH_RUNS, BENCH_HEALTH_SEQ, BENCH_HEALTH_INFLIGHT,
// BENCH_INFLIGHT, BENCH_HANDSHAKES, BENCH_CONNS, BENCH_FANOUT, BENCH_CHAT, BENCH_START_RUNS,
// BENCH_GATEWAY_CPU_PROF=<dir> (run the measured gateway with --cpu-prof into <dir>),
// OPENCLAW_PEER_URL + OPENCLAW_PEER_TOKEN (also measure health and handshake against a peer).
//
// Plain Node ESM on Node 20: node: built-ins plus `ws`, resolved through packages/gateway-core.
import { fork, spawn } from "node:child_process";
import { generateKeyPairSync, createHash, randomBytes, randomUUID, sign } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { createRequire } from "node:module";
import { cpus, freemem, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const require = createRequire(path.join(ROOT, "packages/gateway-core/package.json"));
const WebSocket = require("ws");
const { WebSocketServer } = WebSocket;

const int = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const CONFIG = {
  runs: int("BENCH_RUNS", 3),
  healthSeq: int("BENCH_HEALTH_SEQ", 3000),
  healthInflight: int("BENCH_HEALTH_INFLIGHT", 10000),
  inflight: int("BENCH_INFLIGHT", 32),
  handshakes: int("BENCH_HANDSHAKES", 300),
  conns: int("BENCH_CONNS", 1000),
  fanout: int("BENCH_FANOUT", 30),
  chat: int("BENCH_CHAT", 30),
  startRuns: int("BENCH_START_RUNS", 3),
};

// ---------------------------------------------------------------------------------------
// The raw ws baseline server (a child process). It answers every request with
// {type:"res",id,ok:true,payload:{ok:true}}; method "fanout" first sends params.frame to every
// open socket (the baseline for the event fan-out figure). GET on any path answers 200.

// ---------------------------------------------------------------------------------------
// Statistics

const median = (values) => quantile(values, 0.5);
function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
/** Run `fn` CONFIG.runs times; each run returns an object of numbers; report the median of each key. */
async function medianOfRuns(label, fn, runs = CONFIG.runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await fn(i));
  const out = {};
  for (const key of Object.keys(results[0])) {
    const values = results.map((r) => r[key]);
    // Numbers are summarised by their median; anything else (a close reason) by its distinct values.
    out[key] = values.every((value) => typeof value === "number") ? median(values) : [...new Set(values.map(String))].join(" | ");
  }
  log(
    `  ${label}: ${Object.entries(out)
      .map(([k, v]) => `${k}=${fmt(v)}`)
      .join(" ")}  (runs: ${results.map((r) => fmt(Object.values(r)[0])).join(", ")})`,
  );
  return out;
}
const fmt = (v) =>
  typeof v === "string"
    ? JSON.stringify(v)
    : v === undefined || v === null || Number.isNaN(v)
      ? "n/a"
      : Math.abs(v) >= 100
        ? Math.round(v).toString()
        : v.toFixed(2);
const log = (...args) => console.error(...args); // progress on stderr; the table goes to stdout

// ---------------------------------------------------------------------------------------
// Processes

const children = new Set();
const tempDirs = [];
function cleanup() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

function freePort() {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function httpOk(port, pathname) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: pathname, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("OPENCLAW_")) env[key] = value;
  return { ...env, NO_COLOR: "1", ...extra };
}

/** Spawn a server, poll GET /healthz every 2 ms until 200; returns { child, port, startMs }. */
async function startProcess(args, { port, env = {}, timeoutMs = 20_000 }) {
  let stderr = "";
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], env });
  children.add(child);
  child.stderr.on("data", (d) => (stderr = (stderr + d).slice(-4000)));
  while (performance.now() - t0 < timeoutMs) {
    if (child.exitCode !== null) throw new Error(`${args.join(" ")} exited ${child.exitCode}: ${stderr}`);
    if (await httpOk(port, "/healthz")) return { child, port, startMs: performance.now() - t0 };
    await sleep(2);
  }
  child.kill("SIGKILL");
  throw new Error(`${args.join(" ")} not listening on ${port} after ${timeoutMs} ms: ${stderr}`);
}

async function startGateway({ cpuProfDir, config } = {}) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const dir = mkdtempSync(path.join(tmpdir(), "openclaw-bench-"));
  tempDirs.push(dir);
  const stateDir = path.join(dir, "state");
  mkdirSync(stateDir);
  if (config) writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
  mkdirSync(path.join(dir, "home"));
  const nodeArgs = cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : [];
  const args = [...nodeArgs, "apps/gateway/dist/cli.js", "gateway", "run", "--port", String(port), "--token", token, "--log-format", "off"];
  const env = cleanEnv({ HOME: path.join(dir, "home"), OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: path.join(stateDir, "openclaw.json") });
  const started = await startProcess(args, { port, env });
  return { ...started, token, url: `ws://127.0.0.1:${port}` };
}

async function startBaseline() {
  const port = await freePort();
  const started = await startProcess([fileURLToPath(import.meta.url), "--baseline-server", "--port", String(port)], { port, env: cleanEnv({}) });
  return { ...started, token: "unused", url: `ws://127.0.0.1:${port}`, baseline: true };
}

async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** VmRSS of a pid in bytes (Linux /proc). */
function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

// ---------------------------------------------------------------------------------------
// Client

let protocol; // loaded in main(), so the baseline server process does not carry it
const CLIENT_VERSION = "2026.9.6";
const SPKI_PREFIX_LEN = 12;

function newIdentity() {
  const { publicKey, privateKey } = generateKeyPairSync("ed25519");
  const raw = publicKey.export({ format: "der", type: "spki" }).subarray(SPKI_PREFIX_LEN);
  return { id: createHash("sha256").update(raw).digest("hex"), publicKey: raw.toString("base64url"), privateKey };
}

function connectParams({ token, scopes = ["operator.read"], identity, nonce }) {
  const params = {
    minProtocol: 4,
    maxProtocol: 4,
    client: { id: "cli", version: CLIENT_VERSION, platform: "linux", deviceFamily: "Linux", mode: "cli", instanceId: randomUUID() },
    caps: [],
    auth: { token },
    role: "operator",
    scopes,
  };
  if (identity) {
    const signedAt = Date.now();
    const payload = protocol.buildDeviceAuthPayload({
      version: "v3",
      deviceId: identity.id,
      clientId: params.client.id,
      clientMode: params.client.mode,
      role: params.role,
      scopes: params.scopes,
      signedAtMs: signedAt,
      token,
      nonce,
      platform: params.client.platform,
      deviceFamily: params.client.deviceFamily,
    });
    const signature = sign(null, Buffer.from(payload, "utf8"), identity.privateKey).toString("base64url");
    params.device = { id: identity.id, publicKey: identity.publicKey, signature, signedAt, nonce };
  }
  return params;
}

let nextId = 0;
class Client {
  constructor(ws) {
    this.ws = ws;
    this.pending = new Map();
    this.listeners = new Set();
    ws.on("message", (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "res") {
        const entry = this.pending.get(frame.id);
        if (entry) {
          this.pending.delete(frame.id);
          if (frame.ok) entry.resolve(frame.payload);
          else entry.reject(new Error(`${frame.error?.code}: ${frame.error?.message}`));
        }
      } else for (const listener of this.listeners) listener(frame);
    });
    ws.on("close", () => {
      for (const entry of this.pending.values()) entry.reject(new Error("closed"));
      this.pending.clear();
    });
  }
  call(method, params = {}) {
    const id = `r${++nextId}`;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ type: "req", id, method, params }));
    });
  }
  close() {
    this.ws.terminate();
  }
}

/**
 * One handshake: from `new WebSocket` to the connect answer (TCP + upgrade + challenge +
 * connect + hello-ok). Against the baseline, connect is sent right after `open`.
 */
function handshake(target, { identity, scopes } = {}) {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(target.url, { perMessageDeflate: false });
    const id = `c${++nextId}`;
    let done = false;
    const fail = (error) => {
      if (done) return;
      done = true;
      ws.terminate();
      reject(error);
    };
    const sendConnect = (nonce) =>
      ws.send(JSON.stringify({ type: "req", id, method: "connect", params: connectParams({ token: target.token, scopes, identity, nonce }) }));
    ws.on("error", fail);
    ws.on("close", (code, reason) => fail(new Error(`closed ${code} ${reason}`)));
    if (target.baseline) ws.once("open", () => sendConnect(undefined));
    const onMessage = (data) => {
      const frame = JSON.parse(data.toString());
      if (frame.type === "event" && frame.event === "connect.challenge") sendConnect(frame.payload.nonce);
      else if (frame.type === "res" && frame.id === id) {
        ws.off("message", onMessage);
        if (!frame.ok) return fail(new Error(`connect refused: ${JSON.stringify(frame.error)}`));
        done = true;
        resolve({ ms: performance.now() - t0, client: new Client(ws) });
      }
    };
    ws.on("message", onMessage);
  });
}

// ---------------------------------------------------------------------------------------
// Measurements

async function healthSequential(target) {
  const { client } = await handshake(target);
  for (let i = 0; i < 200; i++) await client.call("health"); // warm-up
  const n = CONFIG.healthSeq;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await client.call("health");
  const seconds = (performance.now() - t0) / 1000;
  client.close();
  return { reqPerSec: n / seconds };
}

async function healthInflight(target) {
  const { client } = await handshake(target);
  for (let i = 0; i < 200; i++) await client.call("health");
  const n = CONFIG.healthInflight;
  const latencies = [];
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const one = () => {
      const start = performance.now();
      sent++;
      client.call("health").then(() => {
        latencies.push(performance.now() - start);
        done++;
        if (sent < n) one();
        else if (done === n) resolve();
      }, reject);
    };
    for (let i = 0; i < Math.min(CONFIG.inflight, n); i++) one();
  });
  const seconds = (performance.now() - t0) / 1000;
  client.close();
  return { reqPerSec: n / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

async function handshakes(target, { device = false } = {}) {
  const identity = device ? newIdentity() : undefined; // one device, connecting repeatedly
  for (let i = 0; i < 20; i++) (await handshake(target, { identity })).client.close(); // warm-up (and first-connect pairing)
  const times = [];
  for (let i = 0; i < CONFIG.handshakes; i++) {
    const { ms, client } = await handshake(target, { identity });
    times.push(ms);
    client.close();
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/** Open `count` token connections, 25 at a time (under the gateway's 32 unauthenticated sockets per address). */
async function openMany(target, count) {
  const clients = [];
  for (let i = 0; i < count; i += 25) {
    const batch = await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => handshake(target)));
    for (const { client } of batch) clients.push(client);
  }
  return clients;
}

/** RSS per idle authenticated connection, and (on the same connections) the event fan-out. */
async function connectionsAndFanout(target) {
  const admin = (await handshake(target, { scopes: ["operator.admin"] })).client;
  await sleep(500);
  const before = rssBytes(target.child.pid);
  const clients = await openMany(target, CONFIG.conns);
  await sleep(2000);
  const after = rssBytes(target.child.pid);
  const perConnBytes = (after - before) / clients.length;

  // Fan-out: time from the call to the moment the last of the clients has the event.
  const instanceId = `bench-${randomUUID()}`;
  let baselineFrame;
  if (target.baseline) {
    // the same frame our gateway sends (captured from a presence event of the same shape)
    baselineFrame = JSON.stringify({
      type: "event",
      event: "presence",
      payload: { presence: [{ instanceId, text: "bench", reason: "system-event", ts: Date.now() }] },
      seq: 1,
      stateVersion: { presence: 1, health: 1 },
    });
  }
  const samples = [];
  for (let i = 0; i < CONFIG.fanout + 3; i++) {
    const marker = `bench fanout ${i}`;
    let remaining = clients.length;
    let resolveAll;
    const all = new Promise((resolve) => (resolveAll = resolve));
    const listener = (frame) => {
      if (frame.event === "presence" && (target.baseline || frame.payload?.presence?.some((p) => p.text === marker))) {
        if (--remaining === 0) resolveAll(performance.now());
      }
    };
    for (const client of clients) client.listeners.add(listener);
    const t0 = performance.now();
    if (target.baseline) admin.call("fanout", { frame: baselineFrame });
    else admin.call("system-event", { text: marker, instanceId });
    const timeout = sleep(10_000).then(() => NaN);
    const end = await Promise.race([all, timeout]);
    for (const client of clients) client.listeners.delete(listener);
    if (i >= 3) samples.push(end - t0); // first 3 are warm-up
    await sleep(20);
  }
  for (const client of clients) client.close();
  admin.close();
  await sleep(500);
  return { perConnBytes, fanoutP50: quantile(samples, 0.5), fanoutP99: quantile(samples, 0.99) };
}

async function chatFirstDelta(target) {
  const { client } = await handshake(target, { scopes: ["operator.admin"] });
  const samples = [];
  for (let i = 0; i < CONFIG.chat + 3; i++) {
    const sessionKey = `bench-chat-${i}`;
    let firstDelta;
    let final;
    const gotDelta = new Promise((resolve) => (firstDelta = resolve));
    const gotFinal = new Promise((resolve) => (final = resolve));
    const listener = (frame) => {
      if (frame.event !== "chat" || frame.payload?.sessionKey !== sessionKey) return;
      if (frame.payload.state === "delta") firstDelta(performance.now());
      else final(performance.now());
    };
    client.listeners.add(listener);
    const t0 = performance.now();
    await client.call("chat.send", { sessionKey, message: "hello from the bench", idempotencyKey: randomUUID() });
    const end = await Promise.race([gotDelta, sleep(10_000).then(() => NaN)]);
    await Promise.race([gotFinal, sleep(10_000)]);
    client.listeners.delete(listener);
    if (i >= 3) samples.push(end - t0);
  }
  client.close();
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

/**
 * A DM injected into the fake Telegram Bot API until the gateway's agent run for it starts (the
 * `agent` lifecycle start event seen by an operator client). The gateway long-polls the fake; the
 * fake answers the held poll as soon as the update is queued.
 */
async function telegramInbound() {
  const testing = await import(pathToFileURL(path.join(ROOT, "packages/testing/dist/index.js")).href);
  const fake = await testing.startTelegramFake();
  const gw = await startGateway({
    config: { channels: { telegram: { botToken: fake.token, apiRoot: fake.apiRoot, dmPolicy: "open", allowFrom: ["*"], polling: { timeoutSeconds: 25 } } } },
  });
  const { client } = await handshake(gw, { scopes: ["operator.admin"] });
  const samples = [];
  try {
    for (let i = 0; i < CONFIG.chat + 3; i++) {
      const until = performance.now() + 10_000;
      while (fake.openPolls() < 1 && performance.now() < until) await sleep(1);
      let started;
      const gotStart = new Promise((resolve) => (started = resolve));
      const listener = (frame) => {
        if (frame.event === "agent" && frame.payload?.stream === "lifecycle" && frame.payload?.data?.phase === "start") started(performance.now());
      };
      client.listeners.add(listener);
      const before = fake.sent.length;
      const t0 = performance.now();
      fake.inject({ chatId: 7000 + i, from: { id: 7000 + i }, text: `bench ${i}` });
      const end = await Promise.race([gotStart, sleep(10_000).then(() => NaN)]);
      client.listeners.delete(listener);
      // Let the reply go out before the next sample, so samples do not overlap.
      while (fake.sent.length === before && performance.now() < until + 10_000) await sleep(1);
      if (i >= 3) samples.push(end - t0);
    }
  } finally {
    client.close();
    await stopProcess(gw.child);
    await fake.close();
  }
  return { p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) };
}

/**
 * `health` p99 on a normal connection while another connection has stopped reading and a
 * broadcast flood fills its buffer until the gateway closes it; against the same p99 measured
 * quietly just before. Reports both and whether the slow consumer was closed.
 */
async function slowConsumer(target) {
  const quiet = await healthInflight(target);
  const { client: slow } = await handshake(target, { scopes: ["operator.read"] });
  const { client: admin } = await handshake(target, { scopes: ["operator.admin"] });
  const closed = new Promise((resolve) => slow.ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  slow.ws._socket.pause(); // stop reading: the gateway's send buffer for it grows
  // ~32 KB presence events, one reported entry rewritten each time, until more than
  // maxBufferedBytes (50 MiB) plus what the kernel buffers could hold went out to every client.
  const text = "x".repeat(32_000);
  const instanceId = randomUUID();
  const floodBytes = 80 * 2 ** 20;
  let sentBytes = 0;
  const flood = (async () => {
    while (sentBytes < floodBytes) {
      await admin.call("system-event", { text, instanceId });
      sentBytes += text.length;
    }
  })();
  let flooding = true;
  void flood.finally(() => (flooding = false));
  // A normal client's p99 while the flood fills the slow one's buffer.
  const loadedP99s = [];
  do loadedP99s.push((await healthInflight(target)).p99);
  while (flooding);
  await flood;
  admin.close();
  // Reading again, the slow client drains what the gateway had queued and then meets its close frame.
  slow.ws._socket.resume();
  const outcome = await Promise.race([closed, sleep(60_000).then(() => ({ code: null, reason: "not closed within 60 s" }))]);
  slow.ws.terminate();
  const loadedP99 = median(loadedP99s);
  return { quietP99: quiet.p99, loadedP99, ratio: loadedP99 / quiet.p99, slowClosedCode: outcome.code, slowClosedReason: outcome.reason };
}

// ---------------------------------------------------------------------------------------

function machine() {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /model name\s*:\s*(.*)/.exec(cpuinfo)?.[1] ?? cpus()[0]?.model ?? "unknown";
  return {
    nproc: cpus().length,
    cpu: model,
    memTotalMB: Math.round(totalmem() / 2 ** 20),
    memFreeMB: Math.round(freemem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

async function main() {
  const began = performance.now();
  protocol = await import(pathToFileURL(path.join(ROOT, "packages/protocol/dist/index.js")).href);
  const info = { ...machine(), loopbackRttMicros: await loopbackRttMicros() };
  log(
    `# bench on ${info.nproc}× ${info.cpu}, ${info.memTotalMB} MB, Node ${info.node}; loopback round trip between two processes ${fmt(info.loopbackRttMicros)} µs; config ${JSON.stringify(CONFIG)}`,
  );
  const results = { machine: info, config: CONFIG, date: new Date().toISOString(), ours: {}, raw: {}, peer: null };

  // BENCH_ONLY=key,key runs just those figures (keys as in bench.json: startMs, healthSeq, …).
  const only = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",").map((key) => key.trim())) : undefined;
  const wanted = (key) => only === undefined || only.has(key);

  // Start-up and idle RSS: fresh state dir each time.
  log("# start-up until listening, RSS idle");
  const starts = { ours: [], raw: [], oursRss: [], rawRss: [] };
  for (let i = 0; i < (wanted("startMs") ? CONFIG.startRuns : 0); i++) {
    const gw = await startGateway();
    await sleep(1000);
    starts.ours.push(gw.startMs);
    starts.oursRss.push(rssBytes(gw.child.pid));
    await stopProcess(gw.child);
    const raw = await startBaseline();
    await sleep(1000);
    starts.raw.push(raw.startMs);
    starts.rawRss.push(rssBytes(raw.child.pid));
    await stopProcess(raw.child);
  }
  results.ours.startMs = median(starts.ours);
  results.raw.startMs = median(starts.raw);
  results.ours.rssIdleMB = median(starts.oursRss) / 2 ** 20;
  results.raw.rssIdleMB = median(starts.rawRss) / 2 ** 20;
  log(`  ours start ${starts.ours.map(fmt).join(", ")} ms; raw ${starts.raw.map(fmt).join(", ")} ms`);

  const cpuProfDir = process.env.BENCH_GATEWAY_CPU_PROF ? path.resolve(process.env.BENCH_GATEWAY_CPU_PROF) : undefined;
  const gw = await startGateway({ cpuProfDir });
  const raw = await startBaseline();
  const targets = { ours: gw, raw };

  const sections = [
    ["health sequential", "healthSeq", (t) => healthSequential(t)],
    ["health in flight", "healthInflight", (t) => healthInflight(t)],
    ["handshake token", "handshakeToken", (t) => handshakes(t)],
    ["handshake device", "handshakeDevice", (t) => handshakes(t, { device: true })],
    ["connections + fan-out", "conns", (t) => connectionsAndFanout(t)],
  ];
  for (const [label, key, fn] of sections.filter(([, key]) => wanted(key))) {
    log(`# ${label}`);
    for (const [name, target] of Object.entries(targets)) {
      if (key === "handshakeDevice" && target.baseline) continue; // the baseline has no device auth
      try {
        results[name][key] = await medianOfRuns(`${name}`, () => fn(target));
      } catch (error) {
        log(`  ${name}: FAILED ${error.message}`);
        results[name][key] = { error: error.message };
      }
    }
  }
  // Figures measured on our gateway only: a failure is recorded in the results, never fatal.
  const oursOnly = [
    ["slow consumer", "slowConsumer", () => slowConsumer(gw)],
    ["chat.send until first delta", "chat", () => chatFirstDelta(gw)],
    ["Telegram-fake inbound until the agent run starts", "telegramInbound", () => telegramInbound()],
  ];
  for (const [label, key, fn] of oursOnly.filter(([, key]) => wanted(key))) {
    log(`# ${label}`);
    try {
      results.ours[key] = await medianOfRuns("ours", fn);
    } catch (error) {
      log(`  ours: FAILED ${error.message}`);
      results.ours[key] = { error: error.message };
    }
  }

  if (process.env.OPENCLAW_PEER_URL && process.env.OPENCLAW_PEER_TOKEN) {
    log(`# peer ${process.env.OPENCLAW_PEER_URL}`);
    const peer = { url: process.env.OPENCLAW_PEER_URL, token: process.env.OPENCLAW_PEER_TOKEN };
    results.peer = {};
    for (const [key, fn] of [
      ["healthSeq", healthSequential],
      ["healthInflight", healthInflight],
      ["handshakeToken", (t) => handshakes(t)],
    ]) {
      try {
        results.peer[key] = await medianOfRuns(`peer ${key}`, () => fn(peer));
      } catch (error) {
        log(`  peer ${key}: FAILED ${error.message}`);
        results.peer[key] = { error: error.message };
      }
    }
  }

  await stopProcess(gw.child);
  await stopProcess(raw.child);
  cleanup();
  results.elapsedSeconds = (performance.now() - began) / 1000;

  printTable(results);
  const outDir = path.join(ROOT, ".bench-results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "bench.json"), `${JSON.stringify(results, null, 2)}\n`);
  log(`# wrote ${path.join(outDir, "bench.json")} in ${fmt(results.elapsedSeconds)} s`);
  process.exit(0); // pending per-sample timeouts would otherwise keep the loop alive
}

function printTable(r) {
  const m = r.machine;
  console.log(`${m.nproc}× ${m.cpu}, ${m.memTotalMB} MB, Node ${m.node}; one-byte TCP round trip between two processes: ${fmt(m.loopbackRttMicros)} µs\n`);
  const o = r.ours;
  const w = r.raw;
  const p = r.peer;
  const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : "n/a");
  const n = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a");
  const pct = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? ` (${Math.round((100 * a) / b)}%)` : "");
  const rows = [
    [
      "`health` req/s, 1 conn, sequential",
      n(o.healthSeq?.reqPerSec) + pct(o.healthSeq?.reqPerSec, w.healthSeq?.reqPerSec),
      n(w.healthSeq?.reqPerSec),
      "≥ 7 000 (≥ 50% of raw ws)",
      p && n(p.healthSeq?.reqPerSec),
    ],
    [
      `\`health\` req/s, 1 conn, ${r.config.inflight} in flight`,
      n(o.healthInflight?.reqPerSec),
      n(w.healthInflight?.reqPerSec),
      "≥ 30 000",
      p && n(p.healthInflight?.reqPerSec),
    ],
    [
      `\`health\` ${r.config.inflight} in flight p50 / p99`,
      `${ms(o.healthInflight?.p50)} / ${ms(o.healthInflight?.p99)}`,
      `${ms(w.healthInflight?.p50)} / ${ms(w.healthInflight?.p99)}`,
      "p99 ≤ 5 ms",
      p && `${ms(p.healthInflight?.p50)} / ${ms(p.healthInflight?.p99)}`,
    ],
    ["handshake, signed device (v3), p50 / p99", `${ms(o.handshakeDevice?.p50)} / ${ms(o.handshakeDevice?.p99)}`, "n/a", "≤ 1.5 ms / ≤ 5 ms", p && "n/a"],
    [
      "handshake, token only, p50 / p99",
      `${ms(o.handshakeToken?.p50)} / ${ms(o.handshakeToken?.p99)}`,
      `${ms(w.handshakeToken?.p50)} / ${ms(w.handshakeToken?.p99)}`,
      "p50 ≤ 0.7 ms",
      p && `${ms(p.handshakeToken?.p50)} / ${ms(p.handshakeToken?.p99)}`,
    ],
    ["start until listening", ms(o.startMs), ms(w.startMs), "≤ 400 ms", p && "n/a"],
    ["RSS idle after start", `${o.rssIdleMB?.toFixed(1)} MB`, `${w.rssIdleMB?.toFixed(1)} MB`, "≤ 70 MB", p && "n/a"],
    [
      `RSS per idle authenticated conn (${r.config.conns})`,
      `${((o.conns?.perConnBytes ?? NaN) / 1024).toFixed(1)} KB`,
      `${((w.conns?.perConnBytes ?? NaN) / 1024).toFixed(1)} KB`,
      "≤ 15 KB",
      p && "n/a",
    ],
    [
      `event fan-out to ${r.config.conns} clients, p50 / p99`,
      `${ms(o.conns?.fanoutP50)} / ${ms(o.conns?.fanoutP99)}`,
      `${ms(w.conns?.fanoutP50)} / ${ms(w.conns?.fanoutP99)}`,
      "p99 ≤ 25 ms",
      p && "n/a",
    ],
    ["`chat.send` → first delta (offline), p50 / p99", `${ms(o.chat?.p50)} / ${ms(o.chat?.p99)}`, "n/a", "p50 ≤ 3 ms", p && "n/a"],
    ["Telegram-fake inbound → agent run starts, p50 / p99", `${ms(o.telegramInbound?.p50)} / ${ms(o.telegramInbound?.p99)}`, "n/a", "p50 ≤ 5 ms", p && "n/a"],
    [
      "`health` p99 beside a slow consumer (closed?) vs quiet",
      `${ms(o.slowConsumer?.loadedP99)} vs ${ms(o.slowConsumer?.quietP99)} (×${Number.isFinite(o.slowConsumer?.ratio) ? o.slowConsumer.ratio.toFixed(2) : "n/a"}; closed ${o.slowConsumer?.slowClosedCode ?? "no"} ${o.slowConsumer?.slowClosedReason ?? ""})`,
      "n/a",
      "≤ 2× quiet; closed",
      p && "n/a",
    ],
  ];
  const header = ["figure", "ours", "raw ws", "target", ...(p ? ["peer"] : [])];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.slice(0, header.length).join(" | ")} |`);
}

function baselineServer() {
  const port = Number(process.argv[process.argv.indexOf("--port") + 1]);
  const server = http.createServer((_req, res) => res.end("ok"));
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on("connection", (ws) => {
    ws.on("message", (data) => {
      let frame;
      try {
        frame = JSON.parse(data.toString());
      } catch {
        return;
      }
      if (frame.method === "fanout") {
        const text = typeof frame.params?.frame === "string" ? frame.params.frame : JSON.stringify(frame.params?.frame ?? {});
        for (const client of wss.clients) client.send(text);
      }
      ws.send(JSON.stringify({ type: "res", id: frame.id, ok: true, payload: { ok: true } }));
    });
  });
  server.listen(port, "127.0.0.1");
  process.on("SIGTERM", () => process.exit(0));
}

/** A bare TCP echo in its own process, for the machine's cross-process loopback round trip. */
function tcpEchoServer() {
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    socket.on("data", (data) => socket.write(data));
  });
  server.listen(Number(process.argv[process.argv.indexOf("--port") + 1]), "127.0.0.1", () => process.send?.("ready"));
  process.on("SIGTERM", () => process.exit(0));
}

/**
 * Median round trip of one byte between this process and a TCP echo in another, in µs. It is the
 * floor under every request figure and varies between hosts and over time (cross-CPU wake-ups),
 * so each run records it.
 */
async function loopbackRttMicros() {
  const port = await freePort();
  const child = fork(fileURLToPath(import.meta.url), ["--tcp-echo-server", "--port", String(port)], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
  children.add(child);
  await new Promise((resolve) => child.once("message", resolve));
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve) => socket.once("connect", resolve));
  socket.setNoDelay(true);
  const samples = [];
  for (let i = 0; i < 5000; i++) {
    const t0 = performance.now();
    socket.write("x");
    await new Promise((resolve) => socket.once("data", resolve));
    if (i >= 500) samples.push((performance.now() - t0) * 1000);
  }
  socket.destroy();
  await stopProcess(child);
  return median(samples);
}

if (process.argv.includes("--baseline-server")) baselineServer();
else if (process.argv.includes("--tcp-echo-server")) tcpEchoServer();
else {
  main().catch((error) => {
    console.error(`bench failed: ${error.stack ?? error}`);
    cleanup();
    process.exit(2);
  });
}
