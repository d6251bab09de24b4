// One client process of the scale figure (forked by scale.mjs, driven over IPC). It holds its
// share of the connections and reports times on a clock shared by all processes: the wall clock
// with sub-millisecond resolution, `performance.timeOrigin + performance.now()`.
//
// Messages from the parent:
//   (on start, once @openclaw/protocol is loaded)  → { type: "ready" }
//   { cmd: "open", target, clients, nodes, localAddress, concurrency }  → { type: "opened", starts, ends, failures }
//   { cmd: "arm", id, marker }  → { type: "armed", id }, later { type: "got", id, first, last, missing }
//   { cmd: "close" }            → { type: "closed" }, then the process exits
import { performance } from "node:perf_hooks";
import { handshake, loadProtocol, newIdentity } from "./client.mjs";

const sharedNow = () => performance.timeOrigin + performance.now();
/** A process that lost its parent or was forgotten does not outlive this. */
const LIFETIME_MS = 15 * 60_000;
const SAMPLE_TIMEOUT_MS = 20_000;

const sockets = [];
let armed; // { id, marker, remaining, first, last, timer }

function finishSample() {
  const sample = armed;
  armed = undefined;
  clearTimeout(sample.timer);
  process.send({ type: "got", id: sample.id, first: sample.first, last: sample.last, missing: sample.remaining });
}

function watch(ws) {
  // Only the marker is looked for; the frame is not parsed, so the client side adds as little as it can.
  ws.removeAllListeners("message");
  ws.on("message", (data) => {
    if (armed === undefined || ws.benchSeen === armed.id || !data.includes(armed.marker)) return;
    ws.benchSeen = armed.id;
    const at = sharedNow();
    armed.first = Math.min(armed.first, at);
    armed.last = at;
    if (--armed.remaining === 0) finishSample();
  });
  sockets.push(ws);
}

/** Open `nodes` node connections (each its own device), then `clients` operator.read ones, `concurrency` at a time. */
async function open({ target, clients, nodes, localAddress, concurrency }) {
  const jobs = [...Array.from({ length: nodes }, () => "node"), ...Array.from({ length: clients }, () => "client")];
  const starts = [];
  const ends = [];
  const failures = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const kind = jobs[next++];
      const options = kind === "node" && !target.baseline ? { node: true, identity: newIdentity(), localAddress } : { localAddress };
      const start = sharedNow();
      try {
        const { client } = await handshake(target, options);
        starts.push(start);
        ends.push(sharedNow());
        watch(client.ws);
      } catch (error) {
        if (failures.length < 5) failures.push(`${kind}: ${error.message}`);
        else failures.push("");
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  process.send({ type: "opened", starts, ends, failures: failures.length, failureSamples: failures.filter(Boolean) });
}

await loadProtocol();
process.send({ type: "ready" });
const lifetime = setTimeout(() => process.exit(3), LIFETIME_MS);
process.on("disconnect", () => process.exit(0));
process.on("message", (message) => {
  if (message.cmd === "open") void open(message);
  else if (message.cmd === "arm") {
    const timer = setTimeout(finishSample, SAMPLE_TIMEOUT_MS);
    armed = { id: message.id, marker: message.marker, remaining: sockets.length, first: Infinity, last: NaN, timer };
    process.send({ type: "armed", id: message.id });
  } else if (message.cmd === "close") {
    for (const ws of sockets) ws.terminate();
    clearTimeout(lifetime);
    if (armed) clearTimeout(armed.timer);
    process.send({ type: "closed" }, () => process.exit(0));
  }
});
