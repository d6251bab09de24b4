#!/usr/bin/env node
// Two or more bench.json files side by side (e.g. one run on Node 20, one on Node 24), as one
// Markdown table: for each run ours, raw ws, the target computed from that run's raw figure, met?
//
//   node tooling/bench/compare.mjs node20/bench.json node24/bench.json
import { readFileSync } from "node:fs";
import { machineLine } from "./table.mjs";
import { judge } from "./targets.mjs";

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node tooling/bench/compare.mjs <bench.json> [<bench.json> …]");
  process.exit(2);
}
const runs = files.map((file) => JSON.parse(readFileSync(file, "utf8")));
for (const run of runs) console.log(`- ${run.date.slice(0, 10)}: ${machineLine(run.machine)}`);
console.log("");
const judged = runs.map((run) => judge(run));
const figures = [...new Set(judged.flatMap((rows) => rows.map((row) => row.figure)))];
const header = ["figure", ...runs.flatMap((run) => [`ours (${run.machine.node})`, "raw ws", "target", "met?"])];
console.log(`| ${header.join(" | ")} |`);
console.log(`|${header.map(() => "---").join("|")}|`);
for (const figure of figures) {
  const cells = judged.flatMap((rows) => {
    const row = rows.find((candidate) => candidate.figure === figure);
    return row ? [row.ours, row.raw, row.target, row.verdict] : ["n/a", "n/a", "n/a", "n/a"];
  });
  console.log(`| ${[figure, ...cells].join(" | ")} |`);
}
