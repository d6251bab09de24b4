// What every part of the bench shares: where the repository is, `ws` (resolved through
// packages/gateway-core), the CONFIG knobs, statistics and progress output.
import http from "node:http";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
/** The bench's entry file; the TCP echo child is started as `run.mjs --tcp-echo-server`. */
export const ENTRY = path.join(HERE, "run.mjs");
/** The raw ws baseline server, a file of its own so that its process loads nothing but ws. */
export const BASELINE_ENTRY = path.join(HERE, "baseline-server.mjs");
const require = createRequire(path.join(ROOT, "packages/gateway-core/package.json"));
export const WebSocket = require("ws");
export const { WebSocketServer } = WebSocket;

export const int = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : fallback;
};
const count = (name, fallback) => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
};
export const CONFIG = {
  runs: int("BENCH_RUNS", 3),
  healthSeq: int("BENCH_HEALTH_SEQ", 3000),
  healthInflight: int("BENCH_HEALTH_INFLIGHT", 10000),
  inflight: int("BENCH_INFLIGHT", 32),
  handshakes: int("BENCH_HANDSHAKES", 300),
  conns: int("BENCH_CONNS", 1000),
  fanout: int("BENCH_FANOUT", 30),
  chat: int("BENCH_CHAT", 30),
  startRuns: int("BENCH_START_RUNS", 3),
  scaleConns: int("BENCH_SCALE_CONNS", 10000),
  scaleNodes: count("BENCH_SCALE_NODES", 50),
  scaleProcs: int("BENCH_SCALE_PROCS", 4),
  scaleFanout: int("BENCH_SCALE_FANOUT", 10),
};

// ---------------------------------------------------------------------------------------
// Statistics

export const median = (values) => quantile(values, 0.5);
export function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}
/** Run `fn` CONFIG.runs times; each run returns an object of numbers; report the median of each key. */
export async function medianOfRuns(label, fn, runs = CONFIG.runs) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await fn(i));
  return summarizeRuns(label, results);
}

/**
 * The order in which `names` take their turns over `runs` rounds: round 0 in the given order, then
 * reversed every other round. Later rounds run faster on a VM (caches, CPU frequency), so a fixed
 * order would favour whoever always goes second.
 */
export function alternatingTurns(names, runs) {
  const turns = [];
  for (let round = 0; round < runs; round++) for (const name of round % 2 === 0 ? names : [...names].reverse()) turns.push({ round, name });
  return turns;
}

/** Each numeric figure of `results` (one object per run) reduced to its median, and logged. */
export function summarizeRuns(label, results) {
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
export const fmt = (v) =>
  typeof v === "string"
    ? JSON.stringify(v)
    : v === undefined || v === null || Number.isNaN(v)
      ? "n/a"
      : Math.abs(v) >= 100
        ? Math.round(v).toString()
        : v.toFixed(2);
export const log = (...args) => console.error(...args); // progress on stderr; the table goes to stdout

/** A TCP port free on loopback right now (the child servers are told to listen on it). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = http.createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
