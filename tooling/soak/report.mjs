// The soak's printed summary (stdout): memory slopes, event-loop delay, what was sent and answered,
// errors, and the verdict.

const MAPPING_LABELS = {
  mallocMain: "glibc main arena",
  v8Pages: "V8 pages",
  largerAnonymous: "larger anonymous",
  files: "files",
  other: "other",
};

const fixed = (value, digits = 1) => (typeof value === "number" && Number.isFinite(value) ? value.toFixed(digits) : "n/a");
const signed = (value) => (typeof value === "number" && Number.isFinite(value) ? `${value >= 0 ? "+" : ""}${value.toFixed(1)}` : "n/a");

export function printReport(summary) {
  const { memory, eventLoopDelayMs: eld, telegram, chat, clients, node, cron, errors, verdict } = summary;
  const lines = [];
  lines.push(
    `soak: ${fixed(summary.minutes)} min on Node ${summary.machine.node}, ${summary.machine.nproc}× ${summary.machine.cpu}; warm-up ${summary.warmupSeconds} s`,
  );
  lines.push(
    `  RSS   ${signed(memory.rssSlopeMBPerHour)} MB/h after warm-up (${fixed(memory.rssMB.first)} → ${fixed(memory.rssMB.last)} MB, max ${fixed(memory.rssMB.max)}; ${memory.samplesAfterWarmup.rss} samples)`,
  );
  lines.push(
    `  heap  ${signed(memory.heapSlopeMBPerHour)} MB/h after warm-up (${fixed(memory.heapMB.first)} → ${fixed(memory.heapMB.last)} MB, max ${fixed(memory.heapMB.max)}; ${memory.samplesAfterWarmup.heap} samples)`,
  );
  lines.push(`    over the last third of that time: ${signed(memory.rssLastThirdSlopeMBPerHour)} MB/h`);
  const parts = memory.rssBreakdown;
  if (parts)
    lines.push(
      `    RSS split: V8 committed heap ${signed(parts.heapCommittedSlopeMBPerHour)} MB/h, outside the heap (Buffers) ${signed(parts.externalSlopeMBPerHour)} MB/h, other native (SQLite, allocator, code) ${signed(parts.otherNativeSlopeMBPerHour)} MB/h`,
    );
  const survivors = memory.afterMajorGc;
  if (survivors)
    lines.push(
      `    heap just after major GCs ${signed(survivors.slopeMBPerHour)} MB/h (${fixed(survivors.first)} → ${fixed(survivors.last)} MB; ${survivors.windows} windows with one)`,
    );
  const bySpace = Object.entries(memory.committedSlopeBySpaceMBPerHour ?? {}).filter(([, slope]) => Number.isFinite(slope) && Math.abs(slope) >= 0.05);
  if (bySpace.length > 0)
    lines.push(
      `    V8 committed by space: ${bySpace
        .sort(([, a], [, b]) => Math.abs(b) - Math.abs(a))
        .map(([name, slope]) => `${name} ${signed(slope)}`)
        .join(", ")} MB/h`,
    );
  const byMapping = Object.entries(memory.byMapping ?? {});
  if (byMapping.length > 0)
    lines.push(
      `    RSS by mapping (smaps, once a minute): ${byMapping
        .map(([kind, { slopeMBPerHour, first, last }]) => `${MAPPING_LABELS[kind] ?? kind} ${signed(slopeMBPerHour)} MB/h (${fixed(first)} → ${fixed(last)})`)
        .join(", ")}`,
    );
  if (summary.minutes < 15)
    lines.push("  (a slope over a few minutes is mostly GC and allocator noise; only a long run, 30 minutes, says whether memory is flat)");
  lines.push(`  event-loop delay after warm-up: p50 ${fixed(eld?.p50, 2)} ms, p99 ${fixed(eld?.p99, 2)} ms, max ${fixed(eld?.max, 2)} ms`);
  lines.push(
    `    the gateway used ${fixed(summary.gatewayCpuPercent, 0)}% of one CPU; machine load average after warm-up: median ${fixed(summary.loadAverage.median)}, max ${fixed(summary.loadAverage.max)} on ${summary.machine.nproc} CPUs`,
  );
  const worst = summary.eventLoopWorstWindows[0];
  if (worst) lines.push(`    longest stall in the 2 s window ending at ${worst.atSeconds} s (p99 ${fixed(worst.p99, 2)} ms in that window)`);
  lines.push(
    `  chat runs ${chat.ok} (${Object.entries(chat.byModel)
      .map(([model, n]) => `${model} ${n}`)
      .join(", ")}; ${summary.openAiFakeRequests} requests reached the OpenAI-compatible fake), session resets ${chat.resets}`,
  );
  lines.push(
    `  Telegram: injected ${telegram.injected}, replied ${telegram.replied}, duplicates ${telegram.duplicates}, missing ${telegram.missing}, unexpected ${telegram.unexpected}`,
  );
  lines.push(`  clients: ${clients.cycles} connect/health/status/disconnect cycles (${clients.calls} calls)`);
  lines.push(`  node invokes: ${node.ok} ok, ${node.failed} failed`);
  lines.push(`  cron: ${cron.runs} runs (${cron.okRuns} ok) in ${fixed(cron.minutes)} min of traffic`);
  lines.push(
    `  errors: ${errors.calls} failed calls${errors.calls ? ` ${JSON.stringify(errors.byKind)}` : ""}, ${errors.logLines} error lines in the gateway log`,
  );
  for (const sample of [...errors.samples, ...errors.logSamples].slice(0, 10)) lines.push(`    ${sample}`);
  lines.push(verdict.ok ? "PASS: nothing lost, duplicated or failed" : `FAIL: ${verdict.problems.join("; ")}`);
  if (summary.keptStateDir) lines.push(`  the gateway's state dir (log, database) is kept at ${summary.keptStateDir}`);
  console.log(lines.join("\n"));
}
