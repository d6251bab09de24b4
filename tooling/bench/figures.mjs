// Figures measured on our gateway and on the raw ws baseline alike: health, handshakes,
// idle connections and event fan-out.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { handshake, newIdentity } from "./client.mjs";
import { CONFIG, quantile } from "./common.mjs";
import { rssBytes } from "./processes.mjs";

/**
 * `health` one call at a time. `replyBytes` (raw ws only) asks the baseline to answer with as many
 * bytes as the gateway's `health` answer, whose size is returned as `answerBytes`.
 */
export async function healthSequential(target, { replyBytes } = {}) {
  const { client } = await handshake(target);
  const params = replyBytes ? { replyBytes } : {};
  for (let i = 0; i < 200; i++) await client.call("health", params); // warm-up
  const answerBytes = client.lastAnswerBytes;
  const n = CONFIG.healthSeq;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await client.call("health", params);
  const seconds = (performance.now() - t0) / 1000;
  client.close();
  return { reqPerSec: n / seconds, answerBytes };
}

export async function healthInflight(target, { replyBytes } = {}) {
  const { client } = await handshake(target);
  const params = replyBytes ? { replyBytes } : {};
  for (let i = 0; i < 200; i++) await client.call("health", params);
  const answerBytes = client.lastAnswerBytes;
  const n = CONFIG.healthInflight;
  const latencies = [];
  const t0 = performance.now();
  await new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    const one = () => {
      const start = performance.now();
      sent++;
      client.call("health", params).then(() => {
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
  return { reqPerSec: n / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99), answerBytes };
}

export async function handshakes(target, { device = false } = {}) {
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
export async function connectionsAndFanout(target) {
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
