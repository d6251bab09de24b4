#!/usr/bin/env node
// The send loop of one broadcast, alone: one text frame of about FANOUT_LOOP_BYTES (21 000) to each of
// FANOUT_LOOP_CONNS (5 000) sockets of one ws server in this process, read by two client processes.
// Three ways of sending, taking turns over FANOUT_LOOP_ROUNDS (8) rounds after one warm-up round:
//   shared  ws.send() of the same buffer to every socket (what the raw ws baseline does; no `seq`)
//   copy    ws.send() of a joined copy of the shared bytes and each socket's own `seq}` (the gateway
//           before it wrote parts)
//   parts   the gateway's GatewaySocket.sendTextInParts(shared, `seq}`) (the gateway now)
// Prints, per way, the median time of the synchronous send loop and of the time until both client
// processes have every frame. The scale figure of `pnpm bench` measures the whole gateway; this
// isolates the loop, which a CPU profile shows only as native time.
//
//   node tooling/bench/fanout-loop.mjs
import { fork } from "node:child_process";
import { once } from "node:events";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ROOT, WebSocket, WebSocketServer, alternatingTurns, int, median } from "./common.mjs";

const CONNS = int("FANOUT_LOOP_CONNS", 5000);
const BYTES = int("FANOUT_LOOP_BYTES", 21_000);
const ROUNDS = int("FANOUT_LOOP_ROUNDS", 8);
const CLIENTS = 2;

if (process.argv[2] === "client") {
  // Open `count` sockets to `port`; tell the parent when all are open and each time all have a frame.
  const [port, count] = process.argv.slice(3).map(Number);
  let opened = 0;
  let got = 0;
  for (let i = 0; i < count; i++) {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { perMessageDeflate: false });
    socket.on("open", () => ++opened === count && process.send("open"));
    socket.on("message", () => {
      if (++got < count) return;
      got = 0;
      process.send("got");
    });
  }
} else {
  const { GatewaySocket } = await import(pathToFileURL(path.join(ROOT, "packages/gateway-core/dist/internal.js")).href);
  const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: false, WebSocket: GatewaySocket });
  await once(wss, "listening");
  const sockets = [];
  wss.on("connection", (socket) => sockets.push(socket));
  const perClient = Math.ceil(CONNS / CLIENTS);
  const clients = Array.from({ length: CLIENTS }, () => fork(fileURLToPath(import.meta.url), ["client", String(wss.address().port), String(perClient)]));
  await Promise.all(clients.map((child) => once(child, "message")));
  while (sockets.length < perClient * CLIENTS) await sleep(20);

  const shared = Buffer.from(`{"type":"event","event":"presence","payload":{"text":"${"x".repeat(BYTES)}"},"seq":`);
  const text = { binary: false };
  const ways = {
    shared: (socket) => socket.send(shared, text),
    copy: (socket, seq) => {
      const tail = Buffer.from(`${seq}}`, "latin1");
      socket.send(Buffer.concat([shared, tail], shared.length + tail.length), text);
    },
    parts: (socket, seq) => {
      if (!socket.sendTextInParts(shared, Buffer.from(`${seq}}`, "latin1"))) throw new Error("sendTextInParts refused an idle socket");
    },
  };
  const names = Object.keys(ways);
  const times = Object.fromEntries(names.map((name) => [name, { loop: [], all: [] }]));
  for (const { round, name } of alternatingTurns(names, ROUNDS + 1)) {
    const got = clients.map((child) => once(child, "message"));
    const began = performance.now();
    let seq = 0;
    for (const socket of sockets) ways[name](socket, ++seq);
    const looped = performance.now();
    await Promise.all(got);
    if (round > 0) {
      times[name].loop.push(looped - began);
      times[name].all.push(performance.now() - began);
    }
    await sleep(300);
  }
  console.log(
    `fan-out send loop on Node ${process.versions.node}: ${sockets.length} sockets, ${shared.length} shared bytes (plus "seq}" for copy and parts) per frame, median of ${ROUNDS} rounds`,
  );
  for (const name of names) {
    console.log(`  ${name.padEnd(6)} send loop ${median(times[name].loop).toFixed(1)} ms, until every client has it ${median(times[name].all).toFixed(1)} ms`);
  }
  for (const child of clients) child.kill();
  wss.close();
}
