import { describe, expect, it } from "vitest";
import { atLeast, atMost, judge } from "../bench/targets.mjs";
import { alternatingTurns } from "../bench/common.mjs";
import { checkOpenFileLimit } from "../bench/open-files.mjs";

const run = {
  config: { inflight: 32, conns: 1000 },
  ours: {
    healthSeq: { reqPerSec: 4500 },
    healthInflight: { reqPerSec: 40000, p50: 0.7, p99: 4 },
    handshakeToken: { p50: 1.1, p99: 3 },
    handshakeDevice: { p50: 1.5, p99: 4 },
    startMs: 300,
    rssIdleMB: 70,
    scale: {
      conns: 10000,
      nodes: 100,
      handshakesPerSec: 2000,
      firstQuarterPerSec: 2100,
      lastQuarterPerSec: 1900,
      perConnBytes: 9 * 1024,
      fanoutP50: 100,
      fanoutP99: 120,
    },
  },
  raw: {
    healthSeq: { reqPerSec: 5000 },
    healthInflight: { reqPerSec: 60000, p50: 0.5, p99: 2 },
    handshakeToken: { p50: 0.7, p99: 2 },
    handshakeChallenge: { p50: 0.9, p99: 2.5 },
    startMs: 150,
    rssIdleMB: 50,
    scale: { fanoutP50: 90, fanoutP99: 100, perConnBytes: 2048 },
  },
};

const verdicts = () => Object.fromEntries(judge(run).map((row: { figure: string; verdict: string }) => [row.figure, row.verdict]));

describe("bench targets, each from the same run's raw ws figure", () => {
  it("says met, or missed by how much in the figure's unit", () => {
    expect(atLeast(90, 80, "reqPerSec")).toBe("met");
    expect(atLeast(70, 80, "reqPerSec")).toBe("missed by 10 req/s");
    expect(atMost(1.25, 1.5, "ms")).toBe("met");
    expect(atMost(2, 1.5, "ms")).toBe("missed by 0.50 ms");
    expect(atMost(Number.NaN, 1.5, "ms")).toBe("n/a");
  });

  it("judges health against 90% / 80% of raw and p99 against 1.5× raw's", () => {
    const v = verdicts();
    expect(v["`health`, 1 conn, sequential"]).toBe("met"); // 4 500 ≥ 4 500
    expect(v["`health`, 1 conn, 32 in flight"]).toBe("missed by 8 000 req/s"); // 40 000 < 48 000
    expect(v["`health` 32 in flight, p50 / p99"]).toBe("missed by 1.00 ms"); // 4 > 3
  });

  it("shows raw ws answering as many bytes as ours beside the raw health figure, judging against the plain one", () => {
    const sized = {
      ...run,
      raw: { ...run.raw, healthSeqSized: { reqPerSec: 4800, answerBytes: 812 }, healthInflightSized: { reqPerSec: 50000, answerBytes: 812 } },
    };
    const rows = judge(sized);
    const seq = rows.find((row: { key: string }) => row.key === "healthSeq");
    expect(seq.raw).toContain("answering 812 B, as ours does: 4 800 req/s");
    expect(seq.verdict).toBe(verdicts()["`health`, 1 conn, sequential"]);
    expect(rows.find((row: { figure: string }) => row.figure === "`health`, 1 conn, 32 in flight").raw).toContain("as ours does: 50 000 req/s");
    expect(judge(run).find((row: { key: string }) => row.key === "healthSeq").raw).not.toContain("answering");
  });

  it("judges handshakes against the raw handshake that also waits for a challenge", () => {
    const v = verdicts();
    expect(v["handshake, signed device (v3), p50 / p99"]).toBe("missed by 0.30 ms"); // 1.5 > 0.9 + 0.3
    expect(v["handshake, token only, p50 / p99"]).toBe("met"); // 1.1 ≤ 0.9 + 0.2
    const token = judge(run).find((row: { key: string }) => row.key === "handshakeToken");
    expect(token.raw).toBe("0.90 ms / 2.50 ms (connect on open: 0.70 ms / 2.00 ms)");
    expect(token.target).toBe("p50 ≤ raw with challenge + 0.2 ms = 1.10 ms");
  });

  it("judges start-up, idle RSS and the scale figures", () => {
    const v = verdicts();
    expect(v["start until listening (spawn → `/healthz` 200)"]).toBe("missed by 75.00 ms"); // 300 > 1.5 × 150
    expect(v["RSS idle, 1 s after listening"]).toBe("missed by 5.0 MB"); // 70 > 50 + 15
    expect(v["10 000 conns (100 nodes): handshakes while opening"]).toBe("met"); // 1 900 ≥ 0.8 × 2 100
    expect(v["10 000 conns (100 nodes): gateway RSS per connection"]).toBe("missed by 1.0 KB");
    expect(v["10 000 conns (100 nodes): one event to all, until the last has it, p50 / p99"]).toBe("met"); // 120 ≤ 130
  });

  it("leaves out figures that were not measured, and says n/a where the raw figure is missing", () => {
    const rows = judge({ config: {}, ours: { startMs: 300, rssIdleMB: 70 }, raw: {} });
    expect(rows.map((row: { key: string; verdict: string }) => [row.key, row.verdict])).toEqual([
      ["startMs", "n/a"],
      ["startMs", "n/a"],
    ]);
  });
});

describe("the scale figure's open file check", () => {
  it("refuses, saying what to do, when the server could not hold the connections", () => {
    expect(() => checkOpenFileLimit(10000, 4, 4096)).toThrow(/open file limit is 4096 \(ulimit -n\), but 10000 connections need about 10256 .*raise it/);
    expect(() => checkOpenFileLimit(10000, 4, 20000)).not.toThrow();
  });
});

describe("the bench's turns", () => {
  it("alternate who goes first from one round to the next, so neither side always runs later", () => {
    expect(alternatingTurns(["ours", "raw"], 3).map(({ round, name }) => `${round}:${name}`)).toEqual([
      "0:ours",
      "0:raw",
      "1:raw",
      "1:ours",
      "2:ours",
      "2:raw",
    ]);
    expect(alternatingTurns(["ours"], 2).map(({ name }) => name)).toEqual(["ours", "ours"]);
    expect(alternatingTurns(["ours", "raw"], 0)).toEqual([]);
  });
});
