// The processes the bench starts (our gateway, the raw ws baseline, a TCP echo) and what it
// reads about them and about the machine.
import { fork, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { cpus, freemem, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { BASELINE_ENTRY, ENTRY, ROOT, freePort, median } from "./common.mjs";

const children = new Set();
const tempDirs = [];
export function cleanup() {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

/** Register a child this module did not start, so cleanup() kills it too. */
export function trackChild(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
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

/** `nodeArgs` go before the entry file (conn-memory.mjs passes --expose-gc and its preload). */
export async function startGateway({ cpuProfDir, config, nodeArgs: extraNodeArgs = [] } = {}) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const dir = mkdtempSync(path.join(tmpdir(), "openclaw-bench-"));
  tempDirs.push(dir);
  const stateDir = path.join(dir, "state");
  mkdirSync(stateDir);
  if (config) writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
  mkdirSync(path.join(dir, "home"));
  const nodeArgs = [...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : []), ...extraNodeArgs];
  const args = [...nodeArgs, "apps/gateway/dist/cli.js", "gateway", "run", "--port", String(port), "--token", token, "--log-format", "off"];
  const env = cleanEnv({ HOME: path.join(dir, "home"), OPENCLAW_STATE_DIR: stateDir, OPENCLAW_CONFIG_PATH: path.join(stateDir, "openclaw.json") });
  const started = await startProcess(args, { port, env });
  return { ...started, token, url: `ws://127.0.0.1:${port}` };
}

export async function startBaseline({ nodeArgs = [] } = {}) {
  const port = await freePort();
  const started = await startProcess([...nodeArgs, BASELINE_ENTRY, "--port", String(port)], { port, env: cleanEnv({}) });
  return { ...started, token: "unused", url: `ws://127.0.0.1:${port}`, baseline: true };
}

export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}

/** VmRSS of a pid in bytes (Linux /proc). */
export function rssBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
}

export function machine() {
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

/**
 * Median round trip of one byte between this process and a TCP echo in another, in µs. It is the
 * floor under every request figure and varies between hosts and over time (cross-CPU wake-ups),
 * so each run records it.
 */
export async function loopbackRttMicros() {
  const port = await freePort();
  const child = fork(ENTRY, ["--tcp-echo-server", "--port", String(port)], { stdio: ["ignore", "ignore", "ignore", "ipc"] });
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
