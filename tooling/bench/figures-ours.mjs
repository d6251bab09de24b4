// Figures measured on our gateway only: chat, Telegram-fake inbound, a slow consumer.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { handshake } from "./client.mjs";
import { CONFIG, ROOT, median, quantile } from "./common.mjs";
import { healthInflight } from "./figures.mjs";
import { startGateway, stopProcess } from "./processes.mjs";

export async function chatFirstDelta(target) {
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
export async function telegramInbound() {
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
export async function slowConsumer(target) {
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
