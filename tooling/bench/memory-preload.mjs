// Loaded with `node --expose-gc --import <this file>` into a server that conn-memory.mjs measures
// (our gateway or the raw ws baseline), so neither server's own code changes for the bench.
//
// On SIGUSR2 it reads `command-<pid>.json` from BENCH_MEMORY_DIR ({ seq, snapshot? }), collects
// garbage twice (a turn apart, so weak callbacks and finalizers run in between), writes
// process.memoryUsage() to `reply-<pid>-<seq>.json` and, when `snapshot` names a file, a heap
// snapshot there first. Without BENCH_MEMORY_DIR it does nothing.
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";

const dir = process.env.BENCH_MEMORY_DIR;
const collect = globalThis.gc;

async function answer() {
  const command = JSON.parse(readFileSync(path.join(dir, `command-${process.pid}.json`), "utf8"));
  collect();
  await new Promise((resolve) => setImmediate(resolve));
  collect();
  const memory = process.memoryUsage();
  if (command.snapshot) v8.writeHeapSnapshot(command.snapshot);
  const reply = path.join(dir, `reply-${process.pid}-${command.seq}.json`);
  writeFileSync(`${reply}.tmp`, JSON.stringify(memory));
  renameSync(`${reply}.tmp`, reply);
}

if (dir && typeof collect === "function") {
  process.on("SIGUSR2", () => {
    answer().catch((error) => console.error(`memory-preload: ${error.message}`));
  });
}
