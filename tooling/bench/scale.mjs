// The scale figure (BENCH_ONLY=scale): BENCH_SCALE_CONNS authenticated connections (default
// 10 000; BENCH_SCALE_NODES of them node hosts with their own device identity) held by
// BENCH_SCALE_PROCS client processes on loopback. Measures the handshake rate while opening,
// the server's RSS per connection, and one event fanned out to all of them.
import { fork } from "node:child_process";
import { randomUUID } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { handshake } from "./client.mjs";
import { CONFIG, log, median, quantile } from "./common.mjs";
import { checkOpenFileLimit } from "./open-files.mjs";
import { rssBytes, trackChild } from "./processes.mjs";

const CLIENT_ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), "scale-client.mjs");
const sharedNow = () => performance.timeOrigin + performance.now();
/** Per client process and source address: under the gateway's 32 pending handshakes per address. */
const CONCURRENCY = 16;

/** VmRSS after the process has been left alone: a short wait, then the median of three samples. */
async function settledRss(pid) {
  await sleep(1500);
  const samples = [];
  for (let i = 0; i < 3; i++) {
    if (i > 0) await sleep(500);
    samples.push(rssBytes(pid));
  }
  return median(samples);
}

function startClients(count) {
  return Array.from({ length: count }, (_, i) => {
    const child = trackChild(fork(CLIENT_ENTRY, [], { stdio: ["ignore", "ignore", "inherit", "ipc"] }));
    // Each process its own loopback source address: its own ephemeral ports and pending-handshake slots.
    return { child, localAddress: `127.0.0.${10 + i}` };
  });
}

const nextMessage = (child, type) =>
  new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message.type !== type) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message);
    };
    const onExit = (code) => reject(new Error(`scale client exited ${code} before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });

/** Handshakes per second over each quarter of the opening, from the sorted completion times. */
function quarterRates(begin, ends) {
  const sorted = [...ends].sort((a, b) => a - b);
  const q = Math.floor(sorted.length / 4);
  if (q === 0) return { first: NaN, last: NaN };
  const first = q / ((sorted[q - 1] - begin) / 1000);
  const last = q / ((sorted[sorted.length - 1] - sorted[sorted.length - 1 - q]) / 1000);
  return { first, last };
}

/**
 * One scale run against `target`. `frame` (from our run) is what the raw ws baseline broadcasts,
 * so both send the same bytes; against our gateway the frame is the `presence` event that
 * `system-event` causes, captured on the admin connection and returned as `frame`.
 */
export async function scale(target, { frame } = {}) {
  const conns = CONFIG.scaleConns;
  const procs = Math.min(CONFIG.scaleProcs, conns);
  const nodes = target.baseline ? 0 : Math.min(CONFIG.scaleNodes, conns);
  checkOpenFileLimit(conns, procs);
  const { client: admin } = await handshake(target, { scopes: ["operator.admin"] });
  const before = await settledRss(target.child.pid);
  const clients = startClients(procs);
  try {
    await Promise.all(clients.map(({ child }) => nextMessage(child, "ready")));
    // Open: each process a share of the nodes, then of the clients.
    const share = (total, i) => Math.floor(total / procs) + (i < total % procs ? 1 : 0);
    const begin = sharedNow();
    const opened = await Promise.all(
      clients.map(({ child, localAddress }, i) => {
        const reply = nextMessage(child, "opened");
        child.send({
          cmd: "open",
          target: { url: target.url, token: target.token, baseline: target.baseline },
          nodes: share(nodes, i),
          clients: share(conns - nodes, i),
          localAddress,
          concurrency: CONCURRENCY,
        });
        return reply;
      }),
    );
    const failures = opened.reduce((sum, o) => sum + o.failures, 0);
    if (failures > 0)
      log(
        `  ${failures} handshakes failed, e.g. ${opened
          .flatMap((o) => o.failureSamples)
          .slice(0, 3)
          .join("; ")}`,
      );
    const starts = opened.flatMap((o) => o.starts);
    const ends = opened.flatMap((o) => o.ends);
    const open = ends.length;
    const durations = ends.map((end, i) => end - starts[i]);
    const openSeconds = (Math.max(...ends) - begin) / 1000;
    const quarters = quarterRates(begin, ends);
    log(`  ${open} open in ${openSeconds.toFixed(1)} s`);
    const after = await settledRss(target.child.pid);

    // Fan-out: arm every process with a marker, send one event, wait until each process has it on all its sockets.
    const instanceId = `bench-scale-${randomUUID()}`;
    let captured;
    admin.listeners.add((f) => {
      if (f.event === "presence" && f.payload?.presence?.some((p) => p.instanceId === instanceId)) captured ??= JSON.stringify(f);
    });
    const samples = [];
    for (let i = 0; i < CONFIG.scaleFanout + 2; i++) {
      const marker = `bench scale ${i} ${randomUUID()}`;
      await Promise.all(clients.map(({ child }) => (child.send({ cmd: "arm", id: i, marker }), nextMessage(child, "armed"))));
      const got = clients.map(({ child }) => nextMessage(child, "got"));
      const t0 = sharedNow();
      if (target.baseline)
        admin.call("fanout", { frame: (frame ?? `{"type":"event","event":"presence","payload":{"text":"MARKER"}}`).replace("MARKER", marker) });
      else admin.call("system-event", { text: marker, instanceId });
      const reports = await Promise.all(got);
      const last = reports.some((r) => r.missing > 0) ? NaN : Math.max(...reports.map((r) => r.last));
      if (i >= 2) samples.push(last - t0); // the first two warm up
      await sleep(200);
    }
    // The frame with its text replaced, for the baseline to send the same bytes.
    const ourFrame = captured && JSON.parse(captured).payload.presence.find((p) => p.instanceId === instanceId)?.text;
    return {
      conns: open,
      nodes,
      failures,
      handshakesPerSec: open / openSeconds,
      firstQuarterPerSec: quarters.first,
      lastQuarterPerSec: quarters.last,
      handshakeP50: quantile(durations, 0.5),
      handshakeP99: quantile(durations, 0.99),
      perConnBytes: (after - before) / open,
      fanoutP50: quantile(samples, 0.5),
      fanoutP99: quantile(samples, 0.99),
      frameBytes: captured ? Buffer.byteLength(captured) : frame ? Buffer.byteLength(frame) : NaN,
      ...(ourFrame ? { frame: captured.replace(ourFrame, "MARKER") } : {}),
    };
  } finally {
    await Promise.all(
      clients.map(async ({ child }) => {
        if (child.exitCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.send({ cmd: "close" });
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }),
    );
    admin.close();
    await sleep(1000);
  }
}
