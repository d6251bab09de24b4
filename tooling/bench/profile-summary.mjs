#!/usr/bin/env node
// The top functions by self time in a V8 .cpuprofile (from BENCH_GATEWAY_CPU_PROF=<dir>):
//
//   node tooling/bench/profile-summary.mjs <dir>/CPU.…cpuprofile [top=15]
import { readFileSync } from "node:fs";
import path from "node:path";

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: node tooling/bench/profile-summary.mjs <file.cpuprofile> [top]");
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, "utf8"));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
// Each sample names the node that was on top of the stack; time deltas say for how long.
const selfMicros = new Map();
profile.samples.forEach((id, i) => {
  const { functionName, url, lineNumber } = byId.get(id).callFrame;
  const where = url ? `${path.basename(url)}:${lineNumber + 1}` : "";
  const key = `${functionName || "(anonymous)"} ${where}`.trim();
  selfMicros.set(key, (selfMicros.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
const top = [...selfMicros.entries()].sort((a, b) => b[1] - a[1]).slice(0, Number(topArg) || 15);
console.log(`total ${(total / 1000).toFixed(0)} ms sampled`);
for (const [key, micros] of top) console.log(`${((100 * micros) / total).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${key}`);
