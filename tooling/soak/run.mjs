#!/usr/bin/env node
// `pnpm soak`: the real gateway binary under steady mixed traffic for SOAK_MINUTES, from this
// process, on loopback. It samples the gateway's RSS (/proc) and, through tooling/soak/preload.mjs,
// its heap and event-loop delay; after warm-up it prints the RSS and heap slopes in MB per hour.
// Exits 1 only on what is wrong, not slow: a Telegram message lost or answered twice, a failed
// call, an error line in the gateway's log, cron runs off by more than one, a failed node invoke.
// Writes .bench-results/soak.json.
//
// On Linux it also reads /proc/<pid>/smaps once a minute and prints the RSS slope of each kind of
// mapping (smaps.mjs), and the RSS slope over the last third of the run: whether growth levels off.
//
// Env knobs: SOAK_MINUTES (2), SOAK_SAMPLE_MS (2000), SOAK_CHAT_SESSIONS (3, offline provider; one
// more runs on the OpenAI-compatible fake), SOAK_TELEGRAM_USERS (3), SOAK_RECONNECTORS (2),
// SOAK_PAUSE_MS (500, between one loop's steps).
//
// Layout: gateway.mjs (the child process and what is read about it), traffic.mjs (the loops),
// analysis.mjs (slopes, quantiles, counting replies, the verdict), report.mjs (output),
// preload.mjs (inside the gateway).
import { setMaxListeners } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { countReplies, cronRunsOk, memoryFigures, quantile, verdict, warmupMs } from "./analysis.mjs";
import {
  ROOT,
  WebSocket,
  cpuSeconds,
  errorLogLines,
  importBuilt,
  loadAverage,
  machine,
  mappingBytes,
  readMetrics,
  rssBytes,
  startGateway,
  stopGateway,
} from "./gateway.mjs";
import { printReport } from "./report.mjs";
import * as traffic from "./traffic.mjs";

const number = (name, fallback) => {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
};
const CONFIG = {
  minutes: number("SOAK_MINUTES", 2),
  sampleMs: Math.floor(number("SOAK_SAMPLE_MS", 2000)),
  chatSessions: Math.floor(number("SOAK_CHAT_SESSIONS", 3)),
  telegramUsers: Math.floor(number("SOAK_TELEGRAM_USERS", 3)),
  reconnectors: Math.floor(number("SOAK_RECONNECTORS", 2)),
  pauseMs: Math.floor(number("SOAK_PAUSE_MS", 500)),
};
const log = (...args) => console.error(...args);

let running; // the gateway child, killed if the soak itself fails or is interrupted
process.on("SIGINT", () => {
  running?.child.kill("SIGKILL");
  process.exit(130);
});

async function main() {
  const runMs = CONFIG.minutes * 60_000;
  const warmup = warmupMs(runMs);
  const [testing, client, clientNode, nodeSdk] = await Promise.all([
    importBuilt("packages/testing/dist/index.js"),
    importBuilt("packages/client/dist/index.js"),
    importBuilt("packages/client/dist/node.js"),
    importBuilt("packages/node-sdk/dist/index.js"),
  ]);
  const telegram = await testing.startTelegramFake();
  const openai = await testing.startOpenAiFake({ script: [], afterScript: "echo", models: ["soak-model"] });
  const config = {
    gateway: { bind: "loopback", auth: { mode: "token" } },
    agents: { defaults: { model: "offline/echo", heartbeat: { enabled: false } } },
    models: { providers: { fake: { api: "openai-compatible", baseUrl: `${openai.url}/v1`, apiKey: "soak-key", models: [{ id: "soak-model" }] } } },
    session: { dmScope: "per-channel-peer" },
    channels: { telegram: { botToken: telegram.token, apiRoot: telegram.apiRoot, dmPolicy: "open", allowFrom: ["*"], polling: { timeoutSeconds: 25 } } },
  };
  const info = machine();
  log(
    `# soak on ${info.nproc}× ${info.cpu}, ${info.memTotalMB} MB, Node ${info.node}; ${CONFIG.minutes} min, warm-up ${warmup / 1000} s; ${JSON.stringify(CONFIG)}`,
  );
  const gateway = await startGateway({ config, warmupMs: warmup, sampleMs: CONFIG.sampleMs });
  running = gateway;
  log(`# gateway pid ${gateway.child.pid} on ${gateway.url}, state ${gateway.stateDir}`);

  const connect = (scopes) =>
    client.connect({ url: gateway.url, token: gateway.token, WebSocket, client: { id: "cli", mode: "cli" }, scopes, reconnect: false });
  const counters = traffic.createCounters();
  const rss = [];
  const load = [];
  const mappings = [];
  let nextMappingsAt = 0;
  const sampler = setInterval(() => {
    const t = performance.now() - gateway.began;
    rss.push({ t, bytes: rssBytes(gateway.child.pid) });
    if (t >= warmup) load.push(loadAverage());
    // Once a minute: reading smaps costs a few milliseconds, and the kinds move slowly.
    if (t >= nextMappingsAt) {
      nextMappingsAt = t + 60_000;
      const kinds = mappingBytes(gateway.child.pid);
      if (kinds) mappings.push({ t, kinds });
    }
  }, CONFIG.sampleMs);
  let gatewayExit;
  gateway.child.once("exit", (code, signal) => (gatewayExit = code ?? signal));

  const admin = await connect(["operator.admin"]);
  const stop = new AbortController();
  // Every traffic loop and its pending waits listen on this one signal.
  setMaxListeners(0, stop.signal);
  const loops = [];
  let node;
  let job;
  const trafficBegan = performance.now();
  try {
    job = await traffic.addCronJob(admin);
    node = await traffic.startNode({ nodeSdk, clientNode, admin, url: gateway.url, token: gateway.token });
    const common = { admin, signal: stop.signal, counters, pauseMs: CONFIG.pauseMs };
    for (let i = 0; i < CONFIG.chatSessions; i++) loops.push(traffic.chatLoop({ ...common, sessionKey: `agent:main:soak-${i}` }));
    loops.push(traffic.chatLoop({ ...common, sessionKey: "agent:main:soak-fake", model: "fake/soak-model" }));
    for (let i = 0; i < CONFIG.telegramUsers; i++) loops.push(traffic.telegramLoop({ ...common, fake: telegram, userId: 7100 + i }));
    for (let i = 0; i < CONFIG.reconnectors; i++) loops.push(traffic.reconnectLoop({ ...common, connect }));
    loops.push(traffic.nodeInvokeLoop({ ...common, nodeId: node.nodeId, pauseMs: 1000 }));
    // Progress every minute; the run ends at runMs after the gateway started (warm-up included).
    const until = gateway.began + runMs;
    while (performance.now() < until - 1000 && gatewayExit === undefined) {
      await sleep(Math.min(60_000, until - performance.now()));
      const latest = rss.at(-1);
      log(
        `  ${((performance.now() - gateway.began) / 60_000).toFixed(1)} min: RSS ${(latest?.bytes / 2 ** 20).toFixed(1)} MB, chat ${counters.chat.ok}, telegram ${counters.telegram.expected.length}, reconnects ${counters.clients.cycles}, node ${counters.node.ok}, failures ${counters.failures.total}`,
      );
    }
  } catch (error) {
    traffic.recordFailure(counters, "setup", error);
  }
  stop.abort();
  await Promise.all(loops);
  // Replies still on their way: the last messages had their reply before their loop ended, and a
  // duplicate would come within the outbox's retry time; wait a few seconds before counting.
  await sleep(3000);
  const cron = job
    ? await traffic.cronRuns(admin, job.id).catch((error) => (traffic.recordFailure(counters, "cron.runs", error), { runs: 0, okRuns: 0 }))
    : { runs: 0, okRuns: 0 };
  const cronMinutes = job ? (performance.now() - trafficBegan) / 60_000 : 0;
  await node?.close();
  await admin.close();
  clearInterval(sampler);
  const elapsedMs = performance.now() - gateway.began;
  const gatewayCpuSeconds = cpuSeconds(gateway.child.pid);
  const exitedDuring = gatewayExit;
  const exit = await stopGateway(gateway);

  const metrics = readMetrics(gateway.metricsFile);
  const heap = metrics.map((line) => ({ t: line.t, bytes: line.heapUsed }));
  const eventLoop = metrics.findLast((line) => line.afterWarmup)?.afterWarmup ?? null;
  // The 2-second windows with the longest stalls, to line them up with what the traffic did then.
  const worstWindows = metrics
    .filter((line) => line.t >= warmup)
    .sort((a, b) => b.window.max - a.window.max)
    .slice(0, 5)
    .map((line) => ({ atSeconds: Math.round(line.t / 1000), ...line.window }));
  const errorLines = errorLogLines(gateway.logFile);
  const replies = countReplies(
    counters.telegram.expected,
    telegram.sent.map((sent) => sent.text),
  );
  const summary = {
    date: new Date().toISOString(),
    machine: info,
    config: CONFIG,
    minutes: elapsedMs / 60_000,
    warmupSeconds: warmup / 1000,
    memory: memoryFigures({ rss, heap, parts: metrics, mappings }, warmup),
    eventLoopDelayMs: eventLoop,
    eventLoopWorstWindows: worstWindows,
    // Context for the delay figures: the gateway's share of one CPU, and how loaded the machine was.
    gatewayCpuPercent: (gatewayCpuSeconds / (elapsedMs / 1000)) * 100,
    loadAverage: { median: quantile(load, 0.5), max: Math.max(...load) },
    telegram: replies,
    chat: counters.chat,
    clients: counters.clients,
    node: counters.node,
    cron: { ...cron, minutes: cronMinutes, ok: cronRunsOk(cron.runs, cronMinutes * 60_000) && cron.okRuns === cron.runs },
    openAiFakeRequests: openai.requests.filter((request) => request.method === "POST").length,
    errors: {
      calls: counters.failures.total,
      byKind: counters.failures.byKind,
      samples: counters.failures.samples,
      logLines: errorLines.length,
      logSamples: errorLines.slice(0, 5).map((line) => `${line.subsystem ?? ""}: ${line.message}`),
    },
    gatewayExit: { during: exitedDuring ?? null, atStop: exit },
  };
  if (exitedDuring !== undefined) traffic.recordFailure(counters, "gateway", new Error(`exited ${exitedDuring} during the soak: ${gateway.stderr()}`));
  summary.errors.calls = counters.failures.total;
  summary.verdict = verdict(summary);
  // A failed soak keeps the gateway's state dir (its log and database) for a look at what went wrong.
  if (summary.verdict.ok) gateway.removeDir();
  else summary.keptStateDir = gateway.stateDir;
  await telegram.close();
  await openai.close();

  printReport(summary);
  const outDir = path.join(ROOT, ".bench-results");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(path.join(outDir, "soak.json"), `${JSON.stringify(summary, null, 2)}\n`);
  log(`# wrote ${path.join(outDir, "soak.json")}`);
  return summary.verdict.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`soak failed to run: ${error.stack ?? error}`);
    running?.child.kill("SIGKILL");
    running?.removeDir();
    process.exit(2);
  },
);
