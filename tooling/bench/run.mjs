#!/usr/bin/env node
// `pnpm bench`: measures the gateway (apps/gateway/dist/cli.js) side by side with a raw `ws`
// baseline server, both started as child processes; this process is the client. Each figure
// is the median over BENCH_RUNS runs. Prints a table and writes .bench-results/bench.json.
// Never pass/fail on time: the exit code is 0 unless the bench itself could not run.
//
//   node tooling/bench/run.mjs                 # or: pnpm bench
//
// Env knobs (defaults in CONFIG below): BENCH_RUNS, BENCH_HEALTH_SEQ, BENCH_HEALTH_INFLIGHT,
// BENCH_INFLIGHT, BENCH_HANDSHAKES, BENCH_CONNS, BENCH_FANOUT, BENCH_CHAT, BENCH_START_RUNS,
// BENCH_SCALE_CONNS, BENCH_SCALE_NODES, BENCH_SCALE_PROCS, BENCH_SCALE_FANOUT (the scale figure),
// BENCH_GATEWAY_CPU_PROF=<dir> (run the measured gateway with --cpu-prof into <dir>),
// OPENCLAW_PEER_URL + OPENCLAW_PEER_TOKEN (also measure health and handshake against a peer).
//
//
// Layout: common.mjs (CONFIG, statistics), processes.mjs (children, machine facts),
// client.mjs (handshake), figures.mjs and figures-ours.mjs (the measurements), scale.mjs and
// scale-client.mjs (10 000 connections from several processes), targets.mjs (targets and
// verdicts), table.mjs (the printed table), baseline-server.mjs (the raw ws baseline process),
// servers.mjs (the TCP echo child).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { loadProtocol } from "./client.mjs";
import { CONFIG, ROOT, alternatingTurns, fmt, log, median, medianOfRuns, summarizeRuns } from "./common.mjs";
import { chatFirstDelta, slowConsumer, telegramInbound } from "./figures-ours.mjs";
import { connectionsAndFanout, handshakes, healthInflight, healthSequential } from "./figures.mjs";
import { cleanup, loopbackRttMicros, machine, rssBytes, startBaseline, startGateway, stopProcess } from "./processes.mjs";
import { scale } from "./scale.mjs";
import { tcpEchoServer } from "./servers.mjs";
import { printTable } from "./table.mjs";

async function main() {
  const began = performance.now();
  await loadProtocol();
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
  for (const { name } of alternatingTurns(["ours", "raw"], wanted("startMs") ? CONFIG.startRuns : 0)) {
    const started = name === "ours" ? await startGateway() : await startBaseline();
    await sleep(1000);
    starts[name].push(started.startMs);
    starts[`${name}Rss`].push(rssBytes(started.child.pid));
    await stopProcess(started.child);
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

  // The raw baseline's handshake that waits for a challenge event first, as ours does.
  const rawChallenge = { ...raw, url: `${raw.url}/challenge`, baseline: false };
  const sections = [
    ["health sequential", "healthSeq", (t) => healthSequential(t)],
    ["health in flight", "healthInflight", (t) => healthInflight(t)],
    // Raw ws again, answering as many bytes as our `health` answer: how much of the gap is the answer's size.
    ["health sequential, raw answering as many bytes", "healthSeqSized", (t) => healthSequential(t, { replyBytes: answerBytes() }), ["raw"]],
    ["health in flight, raw answering as many bytes", "healthInflightSized", (t) => healthInflight(t, { replyBytes: answerBytes() }), ["raw"]],
    ["handshake token", "handshakeToken", (t) => handshakes(t)],
    ["handshake device", "handshakeDevice", (t) => handshakes(t, { device: true }), ["ours"]],
    ["handshake waiting for a challenge", "handshakeChallenge", () => handshakes(rawChallenge), ["raw"]],
    ["connections + fan-out", "conns", (t) => connectionsAndFanout(t)],
  ];
  const answerBytes = () => results.ours.healthSeq?.answerBytes ?? results.ours.healthInflight?.answerBytes;
  // The challenge baseline is what the handshake targets are computed from; the sized health runs go with health.
  const companions = { handshakeChallenge: ["handshakeToken", "handshakeDevice"], healthSeqSized: ["healthSeq"], healthInflightSized: ["healthInflight"] };
  const runs = (key) => wanted(key) || (companions[key] ?? []).some(wanted);
  for (const [label, key, fn, on = ["ours", "raw"]] of sections.filter(([, key]) => runs(key))) {
    log(`# ${label}`);
    // The baseline has no device auth; the challenge variant is the baseline's.
    const names = Object.keys(targets).filter((name) => on.includes(name));
    const runsOf = new Map(names.map((name) => [name, []]));
    for (const { name } of alternatingTurns(names, CONFIG.runs)) {
      if (results[name][key]?.error) continue;
      try {
        runsOf.get(name).push(await fn(targets[name]));
      } catch (error) {
        log(`  ${name}: FAILED ${error.message}`);
        results[name][key] = { error: error.message };
      }
    }
    for (const name of names) if (!results[name][key]?.error) results[name][key] = summarizeRuns(name, runsOf.get(name));
  }
  if (wanted("scale")) {
    // One run each (it is long), ours first: the baseline then broadcasts the frame ours sent.
    log(`# ${CONFIG.scaleConns} connections (${CONFIG.scaleNodes} nodes) from ${CONFIG.scaleProcs} client processes`);
    let frame;
    for (const [name, target] of Object.entries(targets)) {
      try {
        const { frame: captured, ...figures } = await scale(target, { frame });
        frame ??= captured;
        results[name].scale = figures;
        log(
          `  ${name}: ${Object.entries(figures)
            .map(([k, v]) => `${k}=${fmt(v)}`)
            .join(" ")}`,
        );
      } catch (error) {
        log(`  ${name}: FAILED ${error.message}`);
        results[name].scale = { error: error.message };
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

if (process.argv.includes("--tcp-echo-server")) tcpEchoServer();
else {
  main().catch((error) => {
    console.error(`bench failed: ${error.stack ?? error}`);
    cleanup();
    process.exit(2);
  });
}
