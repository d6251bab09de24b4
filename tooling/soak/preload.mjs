// Loaded into the gateway by the soak (`node --import <file URL of tooling/soak/preload.mjs> …`), so the
// gateway's own code stays as shipped. Every SOAK_SAMPLE_MS it appends one JSON line to
// SOAK_METRICS_FILE: the heap in use, what RSS is made of (V8's committed heap, memory outside the
// heap held by JS objects such as Buffers, and the rest), V8's committed and used bytes per heap space,
// the lowest heap in use seen just after a major GC in the window (what survives: a leak shows there
// first), the event-loop delay of the window just ended, and from SOAK_WARMUP_MS on the delay over
// everything after warm-up. Its timer is unref'd: it never keeps the gateway alive, and it stops when
// the gateway exits.
import { appendFileSync } from "node:fs";
import { PerformanceObserver, constants, monitorEventLoopDelay } from "node:perf_hooks";
import { getHeapSpaceStatistics } from "node:v8";

const file = process.env.SOAK_METRICS_FILE;
const RESOLUTION_MS = 10;
if (file) {
  const sampleMs = Number(process.env.SOAK_SAMPLE_MS) || 2000;
  const warmupMs = Number(process.env.SOAK_WARMUP_MS) || 30_000;
  const began = Date.now();
  const window = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  // A second monitor, cleared once when warm-up ends (an ELD histogram cannot be added to another).
  const afterWarmup = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  let warm = false;
  // The heap in use read as soon as each major GC is reported: live objects plus what was allocated since.
  let afterMajorGc = { count: 0, minHeapUsed: Infinity };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      if (entry.detail?.kind !== constants.NODE_PERFORMANCE_GC_MAJOR) continue;
      afterMajorGc.count += 1;
      afterMajorGc.minHeapUsed = Math.min(afterMajorGc.minHeapUsed, process.memoryUsage().heapUsed);
    }
  }).observe({ entryTypes: ["gc"] });
  window.enable();
  afterWarmup.enable();
  // The histogram holds each timer interval, the resolution included; the delay is what is beyond it.
  const ms = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);
  const timer = setInterval(() => {
    const t = Date.now() - began;
    if (!warm && t >= warmupMs) {
      warm = true;
      afterWarmup.reset();
    }
    const memory = process.memoryUsage();
    const line = {
      t,
      heapUsed: memory.heapUsed,
      rss: memory.rss,
      heapTotal: memory.heapTotal,
      external: memory.external,
      // [committed, used] bytes per V8 heap space (old_space, new_space, code_space, large_object_space, …).
      spaces: Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, [space.space_size, space.space_used_size]])),
      afterMajorGc: afterMajorGc.count > 0 ? afterMajorGc : null,
      window: { p50: ms(window.percentile(50)), p99: ms(window.percentile(99)), max: ms(window.max), count: window.count },
      afterWarmup:
        warm && afterWarmup.count > 0
          ? { p50: ms(afterWarmup.percentile(50)), p99: ms(afterWarmup.percentile(99)), max: ms(afterWarmup.max), count: afterWarmup.count }
          : null,
    };
    window.reset();
    afterMajorGc = { count: 0, minHeapUsed: Infinity };
    try {
      appendFileSync(file, `${JSON.stringify(line)}\n`);
    } catch {
      // The soak removed its temp dir while the gateway was still stopping.
    }
  }, sampleMs);
  timer.unref();
}
