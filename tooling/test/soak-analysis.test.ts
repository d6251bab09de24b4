import { describe, expect, it } from "vitest";
import { countReplies, cronRunsOk, memoryFigures, quantile, slopePerHour, verdict, warmupMs } from "../soak/analysis.mjs";
import { summarizeSmaps } from "../soak/smaps.mjs";

const HOUR = 3_600_000;

describe("the soak's figures", () => {
  it("warm-up is 30 s or a quarter of the run, whichever is longer", () => {
    expect(warmupMs(2 * 60_000)).toBe(30_000);
    expect(warmupMs(30 * 60_000)).toBe(450_000);
  });

  it("the least-squares slope is in units per hour, zero when flat, NaN without two times", () => {
    expect(slopePerHour([0, 1, 2, 3].map((i) => ({ t: i * 60_000, v: 100 + i })))).toBeCloseTo(60);
    // Noise that does not lean with time: the fit finds the line under it (12 per hour).
    const noise = [0.5, -0.5, -0.5, 0.5];
    expect(slopePerHour(noise.map((n, i) => ({ t: (i * HOUR) / 4, v: 50 + 3 * i + n })))).toBeCloseTo(12);
    expect(slopePerHour([0, 1, 2].map((i) => ({ t: i * 1000, v: 7 })))).toBe(0);
    expect(slopePerHour([{ t: 5, v: 1 }])).toBeNaN();
    expect(
      slopePerHour([
        { t: 5, v: 1 },
        { t: 5, v: 2 },
      ]),
    ).toBeNaN();
  });

  it("quantiles interpolate and skip what is not a number", () => {
    expect(quantile([4, 1, 3, 2, NaN], 0.5)).toBe(2.5);
    expect(quantile([1, 2, 3, 4, 5], 0.99)).toBeCloseTo(4.96);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it("memory figures use only the samples after warm-up, in MB", () => {
    const MB = 2 ** 20;
    const rss = [
      { t: 0, bytes: 300 * MB }, // start-up, before warm-up: left out
      { t: 40_000, bytes: 80 * MB },
      { t: 100_000, bytes: 80 * MB },
    ];
    const heap = [
      { t: 10_000, bytes: 5 * MB },
      { t: 40_000, bytes: 20 * MB },
      { t: 76_000, bytes: 21 * MB },
    ];
    const figures = memoryFigures({ rss, heap }, 30_000);
    expect(figures.rssSlopeMBPerHour).toBe(0);
    expect(figures.heapSlopeMBPerHour).toBeCloseTo(100);
    expect(figures.rssMB).toEqual({ first: 80, last: 80, max: 80 });
    expect(figures.samplesAfterWarmup).toEqual({ rss: 2, heap: 2 });
    expect(figures.rssBreakdown).toBeNull();
  });

  it("splits the RSS slope into V8's committed heap, memory outside the heap and the rest", () => {
    const MB = 2 ** 20;
    // Over one hour after warm-up: the committed heap is flat, Buffers grow 6 MB, RSS grows 10 MB, so 4 MB is native.
    const parts = [0, 0.5, 1].map((f) => ({ t: 30_000 + f * HOUR, rss: (100 + 10 * f) * MB, heapTotal: 60 * MB, external: (5 + 6 * f) * MB }));
    // A sample from before warm-up and one without the parts are left out.
    parts.unshift({ t: 0, rss: 500 * MB, heapTotal: 1, external: 1 }, { t: 40_000, rss: 1 } as never);
    const figures = memoryFigures({ rss: [], heap: [], parts }, 30_000);
    expect(figures.rssBreakdown!.heapCommittedSlopeMBPerHour).toBe(0);
    expect(figures.rssBreakdown!.externalSlopeMBPerHour).toBeCloseTo(6);
    expect(figures.rssBreakdown!.otherNativeSlopeMBPerHour).toBeCloseTo(4);
    expect(figures.afterMajorGc).toBeNull();
    expect(figures.committedSlopeBySpaceMBPerHour).toBeNull();
  });

  it("takes the slope of the heap left after major GCs, and of each V8 space's committed bytes", () => {
    const MB = 2 ** 20;
    // Over one hour after warm-up: what survives GC grows 3 MB; old space commits 8 MB more, new space stays.
    const parts = [0, 0.5, 1].map((f) => ({
      t: 30_000 + f * HOUR,
      afterMajorGc: { count: 2, minHeapUsed: (40 + 3 * f) * MB },
      spaces: { old_space: [(50 + 8 * f) * MB, 40 * MB] as [number, number], new_space: [16 * MB, 1 * MB] as [number, number] },
    }));
    // A window without a major GC counts for the spaces but not for the survivors; warm-up counts for neither.
    parts.push({ t: 30_000 + 0.75 * HOUR, afterMajorGc: null, spaces: { old_space: [56 * MB, 1], new_space: [16 * MB, 1] } } as never);
    parts.unshift({ t: 0, afterMajorGc: { count: 1, minHeapUsed: 900 * MB }, spaces: { old_space: [900 * MB, 1], new_space: [1, 1] } } as never);
    const figures = memoryFigures({ rss: [], heap: [], parts }, 30_000);
    expect(figures.afterMajorGc).toMatchObject({ first: 40, last: 43, windows: 3 });
    expect(figures.afterMajorGc!.slopeMBPerHour).toBeCloseTo(3);
    expect(figures.committedSlopeBySpaceMBPerHour!.old_space).toBeCloseTo(8);
    expect(figures.committedSlopeBySpaceMBPerHour!.new_space).toBe(0);
  });

  it("takes the RSS slope over the last third too, which is flat when growth has levelled off", () => {
    const MB = 2 ** 20;
    // After warm-up RSS rises 12 MB in the first two hours, then holds for the third.
    const rss = [0, 0.5, 1, 1.5, 2, 2.5, 3].map((h) => ({ t: 30_000 + h * HOUR, bytes: (100 + 6 * Math.min(h, 2)) * MB }));
    const figures = memoryFigures({ rss, heap: [] }, 30_000);
    expect(figures.rssSlopeMBPerHour).toBeGreaterThan(3);
    expect(figures.rssLastThirdSlopeMBPerHour).toBe(0);
    // Still rising at the end: the last third has the slope.
    const rising = memoryFigures({ rss: rss.map((s, i) => ({ t: s.t, bytes: (100 + 4 * i) * MB })), heap: [] }, 30_000);
    expect(rising.rssLastThirdSlopeMBPerHour).toBeCloseTo(8);
  });

  it("gives each kind of mapping its slope and first and last values", () => {
    const MB = 2 ** 20;
    const mappings = [0, 0.5, 1].map((f) => ({ t: 30_000 + f * HOUR, kinds: { mallocMain: (8 + 4 * f) * MB, v8Pages: 80 * MB } }));
    mappings.unshift({ t: 0, kinds: { mallocMain: 90 * MB, v8Pages: 1 } });
    const figures = memoryFigures({ rss: [], heap: [], mappings }, 30_000);
    expect(figures.byMapping!.mallocMain!.slopeMBPerHour).toBeCloseTo(4);
    expect(figures.byMapping!.mallocMain).toMatchObject({ first: 8, last: 12 });
    expect(figures.byMapping!.v8Pages).toMatchObject({ slopeMBPerHour: 0, first: 80, last: 80 });
    expect(memoryFigures({ rss: [], heap: [] }, 0).byMapping).toBeNull();
  });
});

describe("the gateway's RSS by kind of mapping", () => {
  const smaps = (lines: string[]) => `${lines.join("\n")}\n`;
  const mapping = (range: string, name: string, sizeKiB: number, rssKiB: number) => [
    `${range} rw-p 00000000 00:00 0${name ? `                          ${name}` : ""}`,
    `Size:           ${sizeKiB} kB`,
    "KernelPageSize:        4 kB",
    `Rss:            ${rssKiB} kB`,
    "Pss:                 12 kB",
    "VmFlags: rd wr mr mw me ac sd",
  ];

  it("sums Rss of the main arena, small and large anonymous mappings, files and the rest", () => {
    const text = smaps([
      ...mapping("55d0c0a00000-55d0c2a00000", "[heap]", 32768, 9000),
      ...mapping("7f0000000000-7f0000040000", "", 256, 256),
      ...mapping("7f0000040000-7f0000080000", "", 256, 100),
      ...mapping("7f1000000000-7f1004000000", "", 65536, 3000),
      ...mapping("7f2000000000-7f2000100000", "/usr/bin/node", 1024, 800),
      ...mapping("7f2100000000-7f2100008000", "/tmp/state/openclaw.sqlite-shm (deleted)", 32, 32),
      ...mapping("7ffd00000000-7ffd00021000", "[stack]", 132, 40),
    ]);
    expect(summarizeSmaps(text)).toEqual({
      mallocMain: 9000 * 1024,
      v8Pages: 356 * 1024,
      largerAnonymous: 3000 * 1024,
      files: 832 * 1024,
      other: 40 * 1024,
    });
  });

  it("a mapping of exactly 1 MiB counts as larger, and an empty file as nothing", () => {
    expect(summarizeSmaps(smaps(mapping("7f0000000000-7f0000100000", "", 1024, 512)))).toMatchObject({ v8Pages: 0, largerAnonymous: 512 * 1024 });
    expect(Object.values(summarizeSmaps(""))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe("counting replies on a fake", () => {
  it("finds missing, duplicated and unexpected replies", () => {
    const counted = countReplies(["Echo: a", "Echo: b", "Echo: c"], ["Echo: a", "Echo: c", "Echo: c", "Echo: c", "Echo: z"]);
    expect(counted).toEqual({ injected: 3, replied: 2, duplicates: 2, missing: 1, missingSamples: ["Echo: b"], unexpected: 1 });
  });

  it("one reply to each message is a clean count", () => {
    expect(countReplies(["Echo: a", "Echo: b"], ["Echo: b", "Echo: a"])).toMatchObject({ replied: 2, duplicates: 0, missing: 0, unexpected: 0 });
  });
});

describe("the verdict", () => {
  const clean = {
    telegram: { missing: 0, duplicates: 0, unexpected: 0 },
    errors: { calls: 0, logLines: 0 },
    cron: { ok: true, runs: 2, minutes: 2.1 },
    node: { failed: 0 },
  };

  it("cron runs once a minute, give or take one", () => {
    expect(cronRunsOk(2, 2.5 * 60_000)).toBe(true);
    expect(cronRunsOk(1, 2.5 * 60_000)).toBe(true);
    expect(cronRunsOk(0, 2.5 * 60_000)).toBe(false);
    expect(cronRunsOk(4, 2.5 * 60_000)).toBe(false);
  });

  it("passes a clean run and names every correctness problem otherwise; memory is never judged", () => {
    expect(verdict({ ...clean, memory: { rssSlopeMBPerHour: 500 } })).toEqual({ ok: true, problems: [] });
    const failed = verdict({
      telegram: { missing: 1, duplicates: 2, unexpected: 0 },
      errors: { calls: 3, logLines: 1 },
      cron: { ok: false, runs: 0, minutes: 2 },
      node: { failed: 1 },
    });
    expect(failed.ok).toBe(false);
    expect(failed.problems).toEqual([
      "1 Telegram message(s) got no reply",
      "2 duplicate Telegram reply(ies)",
      "3 failed call(s)",
      "1 error line(s) in the gateway log",
      "cron ran 0 time(s) in 2.0 minute(s)",
      "1 node invoke(s) failed",
    ]);
  });
});
