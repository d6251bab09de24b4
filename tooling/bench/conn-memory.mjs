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
// (runs per server, each on a fresh process, default 3; the figure is the median),
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
 * One run on a fresh server: a warm-up of a tenth as many connections (opened and closed), then
 * measure, open CONNS, measure. A fresh process each run, because a second cycle in the same one
 * reuses the pages the first committed and its RSS delta says nothing. With `snapshotFiles`, the
 * connections are closed and opened once more between heap snapshots (writing one costs memory
 * that would show in the RSS figure, so it is not the measured cycle).
 */
async function oneRun(start, nodes, snapshotFiles) {
  const server = await start();
  try {
    const identities = Array.from({ length: nodes }, newIdentity);
    await closeConnections(await openConnections(server, Math.max(nodes, Math.ceil(CONNS / 10)), identities));
    const before = await measure(server.child.pid);
    const sockets = await openConnections(server, CONNS, identities);
    const after = await measure(server.child.pid);
    const row = { conns: sockets.length, ...perConn(before, after, sockets.length) };
    if (snapshotFiles !== undefined) {
      await closeConnections(sockets);
      await measure(server.child.pid, snapshotFiles.before);
      const again = await openConnections(server, CONNS, identities);
      await measure(server.child.pid, snapshotFiles.after);
      row.snapshots = { ...snapshotFiles, conns: again.length };
    }
    return row;
  } finally {
    await stopProcess(server.child);
  }
}

/** RUNS runs; the figure is the median of each. With `snapshotDir`, the last run also takes heap snapshots. */
async function runs(label, start, nodes, snapshotDir) {
  const rows = [];
  for (let run = 0; run < RUNS; run++) {
    const name = label === "ours" ? "ours" : "raw";
    const files =
      snapshotDir !== undefined && run === RUNS - 1
        ? {
            before: path.join(snapshotDir, `conn-memory-${name}-before.heapsnapshot`),
            after: path.join(snapshotDir, `conn-memory-${name}-after.heapsnapshot`),
          }
        : undefined;
    const { snapshots, ...row } = await oneRun(start, nodes, files);
    rows.push(row);
    log(`  ${label} run ${run + 1}: ${describe(row)}`);
    if (snapshots) return { ...medians(rows), runs: rows, snapshots };
  }
  return { ...medians(rows), runs: rows };
}

function medians(rows) {
  return Object.fromEntries(Object.keys(rows[0]).map((key) => [key, median(rows.map((row) => row[key]))]));
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
  const snapshotDir = SNAPSHOT ? outDir : undefined;
  results.ours = await runs("ours", () => startGateway({ nodeArgs: NODE_ARGS }), NODES, snapshotDir);
  results.raw = await runs("raw ws", () => startBaseline({ nodeArgs: NODE_ARGS }), 0, snapshotDir);

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
