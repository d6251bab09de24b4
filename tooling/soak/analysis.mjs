// The soak's pure parts: the warm-up cut, least-squares slopes, quantiles, counting replies on
// a fake against what was injected, and the verdict. No I/O, so a test can feed fixed inputs.
import { quantile } from "../bench/common.mjs";

export { quantile };

/** Warm-up: the first 30 s or the first quarter of the run, whichever is longer. */
export function warmupMs(runMs) {
  return Math.max(30_000, runMs / 4);
}

/**
 * Least-squares slope of `points` ({ t: ms, v: number }) in units of v per hour; NaN with fewer
 * than two distinct times.
 */
export function slopePerHour(points) {
  const n = points.length;
  if (n < 2) return NaN;
  let meanT = 0;
  let meanV = 0;
  for (const { t, v } of points) {
    meanT += t / n;
    meanV += v / n;
  }
  let num = 0;
  let den = 0;
  for (const { t, v } of points) {
    num += (t - meanT) * (v - meanV);
    den += (t - meanT) ** 2;
  }
  return den === 0 ? NaN : (num / den) * 3_600_000;
}

/**
 * Each injected message against the replies the fake recorded: `expected` maps each injected
 * message to the reply text it must get; `replies` are the texts sent. A message with no reply is
 * missing, one with more than one has duplicates (each extra reply counts once), and a reply that
 * answers no injected message is unexpected.
 */
export function countReplies(expected, replies) {
  const seen = new Map();
  for (const text of replies) seen.set(text, (seen.get(text) ?? 0) + 1);
  let replied = 0;
  let duplicates = 0;
  const missing = [];
  const wanted = new Set();
  for (const text of expected) {
    wanted.add(text);
    const count = seen.get(text) ?? 0;
    if (count === 0) missing.push(text);
    else replied++;
    if (count > 1) duplicates += count - 1;
  }
  const unexpected = replies.filter((text) => !wanted.has(text)).length;
  return { injected: expected.length, replied, duplicates, missing: missing.length, missingSamples: missing.slice(0, 5), unexpected };
}

/** Cron runs expected for a job that fires every minute during `elapsedMs`, give or take one. */
export function cronRunsOk(runs, elapsedMs) {
  const minutes = Math.floor(elapsedMs / 60_000);
  return Math.abs(runs - minutes) <= 1;
}

/**
 * Samples after warm-up reduced to the printed figures: RSS and heap slopes (MB per hour) and
 * their first and last values. `rss` and `heap` are { t: ms since start, bytes }. `parts`, when
 * the gateway reported them, are its own samples of { t, rss, heapTotal, external } (bytes): the
 * RSS slope is then split into V8's committed heap, memory outside the heap that JS objects hold
 * (Buffers, ArrayBuffers), and the rest (native allocations: SQLite, the allocator, code). From
 * `afterMajorGc.minHeapUsed` (the lowest heap in use just after a major GC in a sample's window) comes
 * the slope of what survives GC, and from `spaces` ({ name: [committed, used] }) each space's
 * committed slope. `mappings` ({ t, kinds: { kind: bytes } }, from smaps) give each kind of mapping's
 * slope and first and last values. The RSS slope is also taken over the last third of the time after
 * warm-up: near zero there while the whole slope is not means the growth is levelling off.
 * @param {{ rss: { t: number, bytes: number }[], heap: { t: number, bytes: number }[], parts?: { t: number, rss?: number, heapTotal?: number, external?: number, afterMajorGc?: { minHeapUsed: number } | null, spaces?: Record<string, [number, number]> }[], mappings?: { t: number, kinds: Record<string, number> }[] }} series
 * @param {number} warmup
 */
export function memoryFigures({ rss, heap, parts = [], mappings = [] }, warmup) {
  const mb = (samples) => samples.filter((s) => s.t >= warmup).map((s) => ({ t: s.t, v: s.bytes / 2 ** 20 }));
  const rssMB = mb(rss);
  const heapMB = mb(heap);
  const split = parts.filter((s) => [s.rss, s.heapTotal, s.external].every(Number.isFinite));
  const series = (bytesOf) => mb(split.map((s) => ({ t: s.t, bytes: bytesOf(s) })));
  const breakdown =
    split.length > 0
      ? {
          heapCommittedSlopeMBPerHour: slopePerHour(series((s) => s.heapTotal)),
          externalSlopeMBPerHour: slopePerHour(series((s) => s.external)),
          otherNativeSlopeMBPerHour: slopePerHour(series((s) => s.rss - s.heapTotal - s.external)),
        }
      : null;
  // The heap left just after major GCs: flat unless live objects accumulate.
  const survivors = mb(parts.filter((s) => Number.isFinite(s.afterMajorGc?.minHeapUsed)).map((s) => ({ t: s.t, bytes: s.afterMajorGc.minHeapUsed })));
  // V8's committed bytes per heap space, each space's slope: which space a growing committed heap is in.
  const spaceNames = [...new Set(parts.flatMap((s) => Object.keys(s.spaces ?? {})))];
  const spaces = Object.fromEntries(
    spaceNames.map((name) => [name, slopePerHour(mb(parts.filter((s) => s.spaces?.[name]).map((s) => ({ t: s.t, bytes: s.spaces[name][0] }))))]),
  );
  const kindNames = [...new Set(mappings.flatMap((s) => Object.keys(s.kinds)))];
  const byMapping = Object.fromEntries(
    kindNames.map((kind) => {
      const points = mb(mappings.filter((s) => Number.isFinite(s.kinds[kind])).map((s) => ({ t: s.t, bytes: s.kinds[kind] })));
      return [kind, { slopeMBPerHour: slopePerHour(points), first: points[0]?.v ?? NaN, last: points.at(-1)?.v ?? NaN }];
    }),
  );
  const lastThirdFrom = rssMB.length > 0 ? rssMB.at(-1).t - (rssMB.at(-1).t - rssMB[0].t) / 3 : 0;
  return {
    rssSlopeMBPerHour: slopePerHour(rssMB),
    rssLastThirdSlopeMBPerHour: slopePerHour(rssMB.filter((s) => s.t >= lastThirdFrom)),
    heapSlopeMBPerHour: slopePerHour(heapMB),
    rssMB: { first: rssMB[0]?.v ?? NaN, last: rssMB.at(-1)?.v ?? NaN, max: Math.max(...rssMB.map((s) => s.v)) },
    heapMB: { first: heapMB[0]?.v ?? NaN, last: heapMB.at(-1)?.v ?? NaN, max: Math.max(...heapMB.map((s) => s.v)) },
    rssBreakdown: breakdown,
    afterMajorGc:
      survivors.length > 0 ? { slopeMBPerHour: slopePerHour(survivors), first: survivors[0].v, last: survivors.at(-1).v, windows: survivors.length } : null,
    committedSlopeBySpaceMBPerHour: spaceNames.length > 0 ? spaces : null,
    byMapping: kindNames.length > 0 ? byMapping : null,
    samplesAfterWarmup: { rss: rssMB.length, heap: heapMB.length },
  };
}

/**
 * What makes the soak fail: correctness only (lost, duplicated or unexpected replies, failed calls,
 * error log lines, cron runs off by more than one, failed node invokes). Speed and slopes never do.
 */
export function verdict(summary) {
  const problems = [];
  const { telegram, errors, cron, node } = summary;
  if (telegram.missing > 0) problems.push(`${telegram.missing} Telegram message(s) got no reply`);
  if (telegram.duplicates > 0) problems.push(`${telegram.duplicates} duplicate Telegram reply(ies)`);
  if (telegram.unexpected > 0) problems.push(`${telegram.unexpected} Telegram reply(ies) to nothing injected`);
  if (errors.calls > 0) problems.push(`${errors.calls} failed call(s)`);
  if (errors.logLines > 0) problems.push(`${errors.logLines} error line(s) in the gateway log`);
  if (!cron.ok) problems.push(`cron ran ${cron.runs} time(s) in ${cron.minutes.toFixed(1)} minute(s)`);
  if (node.failed > 0) problems.push(`${node.failed} node invoke(s) failed`);
  return { ok: problems.length === 0, problems };
}
