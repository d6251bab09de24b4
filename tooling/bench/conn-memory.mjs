#!/usr/bin/env node
// What one open connection costs in server memory, measured after a forced full GC, for our
// gateway (apps/gateway/dist/cli.js, started as the bench starts it) and the raw ws baseline side
// by side. Both servers run with `--expose-gc --import memory-preload.mjs`; the preload answers a
// SIGUSR2 with process.memoryUsage() taken after two full collections, so the figures do not
// depend on when V8 last collected.
//
//   node tooling/bench/conn-memory.mjs
//
// Env knobs: BENCH_MEMORY_CONNS (default 2000 connections: operator CLIs with the shared token,
// BENCH_MEMORY_NODES of them node hosts with their own device, default 20), BENCH_MEMORY_RUNS
// (open/measure/close cycles per server, default 3; the figure is the median),
// BENCH_MEMORY_SNAPSHOT=1 (one more cycle on each server with heap snapshots before and after,
// kept as .bench-results/conn-memory-{ours,raw}-{before,after}.heapsnapshot and summarised as
// what each connection adds, by type, and what ours holds beyond raw ws). Writes .bench-results/conn-memory.json.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { handshake, loadProtocol, newIdentity } from "./client.mjs";
import { ROOT, fmt, log, median } from "./common.mjs";
import { perConnectionExcess, perConnectionGrowth, summariseSnapshot } from "./heap-summary.mjs";
import { checkOpenFileLimit } from "./open-files.mjs";
import { cleanup, machine, startBaseline, startGateway, stopProcess } from "./processes.mjs";

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), "memory-preload.mjs");
const NODE_ARGS = ["--expose-gc", "--import", PRELOAD];
const count = (name, fallback) => {
  const value = Number(process.env[name]);
  return process.env[name] !== undefined && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
};
const CONNS = Math.max(1, count("BENCH_MEMORY_CONNS", 2000));
const NODES = Math.min(CONNS, count("BENCH_MEMORY_NODES", 20));
const RUNS = Math.max(1, count("BENCH_MEMORY_RUNS", 3));
const SNAPSHOT = process.env.BENCH_MEMORY_SNAPSHOT === "1";
/** Handshakes in flight at once, per source address: under the gateway's 32 pending per address. */
const CONCURRENCY = 16;
const SOURCE_ADDRESSES = ["127.0.0.21", "127.0.0.22", "127.0.0.23", "127.0.0.24"];
const REPLY_TIMEOUT_MS = 120_000;

const memoryDir = mkdtempSync(path.join(tmpdir(), "openclaw-conn-memory-"));
process.env.BENCH_MEMORY_DIR = memoryDir; // inherited by the servers started below
let seq = 0;

/** Memory of `pid` after two forced full GCs (and a heap snapshot into `snapshot`, if given). */
async function measure(pid, snapshot) {
  const id = ++seq;
  writeFileSync(path.join(memoryDir, `command-${pid}.json`), JSON.stringify({ seq: id, snapshot }));
  process.kill(pid, "SIGUSR2");
  const reply = path.join(memoryDir, `reply-${pid}-${id}.json`);
  for (const began = Date.now(); Date.now() - began < REPLY_TIMEOUT_MS; await sleep(50)) {
    if (existsSync(reply)) return JSON.parse(readFileSync(reply, "utf8")); // written whole, then renamed
  }
  throw new Error(`server ${pid} did not report its memory within ${REPLY_TIMEOUT_MS} ms (is memory-preload.mjs loaded?)`);
}

/**
 * Open `conns` connections, CONCURRENCY per source address; the first `identities.length` are node
 * hosts. The same devices each cycle: paired in the warm-up, so a cycle measures connections, not pairing records.
 */
async function openConnections(target, conns, identities) {
  const sockets = [];
  const failures = [];
  let next = 0;
  const worker = async (localAddress) => {
    while (next < conns) {
      const identity = identities[next++];
      try {
        const { client } = await handshake(target, identity ? { node: true, identity, localAddress } : { localAddress });
        client.ws.removeAllListeners("message");
        client.ws.on("message", () => {});
        sockets.push(client.ws);
      } catch (error) {
        failures.push(error.message);
      }
    }
  };
  await Promise.all(SOURCE_ADDRESSES.flatMap((address) => Array.from({ length: CONCURRENCY }, () => worker(address))));
  if (failures.length > 0) log(`  ${failures.length} handshakes failed, e.g. ${failures.slice(0, 3).join("; ")}`);
  return sockets;
}

async function closeConnections(sockets) {
  await Promise.all(
    sockets.map(
      (ws) =>
        new Promise((resolve) => {
          ws.once("close", resolve);
          ws.close();
        }),
    ),
  );
  await sleep(500); // the server's close handlers run
}

const perConn = (before, after, conns) => Object.fromEntries(Object.keys(after).map((key) => [key, (after[key] - before[key]) / conns]));

/**
 * RUNS cycles of: measure, open CONNS, measure, close; after a warm-up cycle of a tenth as many.
 * With `snapshotDir`, one more cycle takes heap snapshots instead (writing one costs memory that
 * would show in the next RSS figure, so it is not one of the measured cycles).
 */
async function cycles(label, server, nodes, snapshotDir) {
  const runs = [];
  const identities = Array.from({ length: nodes }, newIdentity);
  await closeConnections(await openConnections(server, Math.max(nodes, Math.ceil(CONNS / 10)), identities));
  for (let run = 0; run < RUNS; run++) {
    const before = await measure(server.child.pid);
    const sockets = await openConnections(server, CONNS, identities);
    const after = await measure(server.child.pid);
    const row = { conns: sockets.length, ...perConn(before, after, sockets.length) };
    runs.push(row);
    log(`  ${label} run ${run + 1}: ${describe(row)}`);
    await closeConnections(sockets);
  }
  const result = {};
  for (const key of Object.keys(runs[0])) result[key] = median(runs.map((row) => row[key]));
  if (snapshotDir === undefined) return { ...result, runs };
  const name = server.baseline ? "raw" : "ours";
  const files = {
    before: path.join(snapshotDir, `conn-memory-${name}-before.heapsnapshot`),
    after: path.join(snapshotDir, `conn-memory-${name}-after.heapsnapshot`),
  };
  await measure(server.child.pid, files.before);
  const sockets = await openConnections(server, CONNS, identities);
  await measure(server.child.pid, files.after);
  await closeConnections(sockets);
  log(`  ${label}: heap snapshots in ${files.before} and ${files.after}`);
  return { ...result, runs, snapshots: { ...files, conns: sockets.length } };
}

const kb = (bytes) => `${fmt(bytes / 1024)} KB`;
function describe(row) {
  return `${row.conns} conns; per connection heapUsed ${kb(row.heapUsed)} (heapTotal ${kb(row.heapTotal)}), external ${kb(row.external)} (arrayBuffers ${kb(row.arrayBuffers)}), rss ${kb(row.rss)}`;
}

async function main() {
  checkOpenFileLimit(CONNS, 1);
  await loadProtocol();
  const info = machine();
  log(`# memory per connection on ${info.nproc}× ${info.cpu}, ${info.memTotalMB} MB, Node ${info.node}; ${CONNS} connections (${NODES} nodes), ${RUNS} runs`);
  const results = { machine: info, date: new Date().toISOString(), conns: CONNS, nodes: NODES };

  const outDir = path.join(ROOT, ".bench-results");
  mkdirSync(outDir, { recursive: true });
  const gateway = await startGateway({ nodeArgs: NODE_ARGS });
  try {
    results.ours = await cycles("ours", gateway, NODES, SNAPSHOT ? outDir : undefined);
  } finally {
    await stopProcess(gateway.child);
  }
  const raw = await startBaseline({ nodeArgs: NODE_ARGS });
  try {
    results.raw = await cycles("raw ws", raw, 0, SNAPSHOT ? outDir : undefined);
  } finally {
    await stopProcess(raw.child);
  }

  const grown = {};
  for (const side of ["ours", "raw"]) {
    const snapshots = results[side].snapshots;
    if (snapshots === undefined) continue;
    log(`# reading the ${side} heap snapshots`);
    grown[side] = { before: summariseSnapshot(snapshots.before), after: summariseSnapshot(snapshots.after), conns: snapshots.conns };
  }

  console.log(`\nMemory per connection after a forced GC, median of ${RUNS} (Node ${info.node})`);
  console.log(`  ours    ${describe(results.ours)}`);
  console.log(`  raw ws  ${describe(results.raw)}`);
  if (grown.ours && grown.raw) {
    results.retained = {
      ours: perConnectionGrowth(grown.ours),
      raw: perConnectionGrowth(grown.raw),
      oursOverRaw: perConnectionExcess(grown.ours, grown.raw),
    };
    const { ours, raw, oursOverRaw } = results.retained;
    console.log(
      `\nHeap growth per connection (snapshot self sizes): ours ${fmt(ours.total)} B, raw ws ${fmt(raw.total)} B. What ours holds beyond raw ws, biggest first:`,
    );
    for (const row of oursOverRaw.rows) console.log(`  ${fmt(row.bytesPerConn).padStart(7)} B  ${fmt(row.countPerConn).padStart(6)} ×  ${row.group}`);
  }
  writeFileSync(path.join(outDir, "conn-memory.json"), `${JSON.stringify(results, null, 2)}\n`);
}

try {
  await main();
} finally {
  cleanup();
  rmSync(memoryDir, { recursive: true, force: true });
}
