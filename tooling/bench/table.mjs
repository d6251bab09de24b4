// The Markdown table `pnpm bench` prints on stdout.
import { fmt } from "./common.mjs";

export function printTable(r) {
  const m = r.machine;
  console.log(`${m.nproc}× ${m.cpu}, ${m.memTotalMB} MB, Node ${m.node}; one-byte TCP round trip between two processes: ${fmt(m.loopbackRttMicros)} µs\n`);
  const o = r.ours;
  const w = r.raw;
  const p = r.peer;
  const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : "n/a");
  const n = (v) => (Number.isFinite(v) ? Math.round(v).toLocaleString("en-US") : "n/a");
  const pct = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? ` (${Math.round((100 * a) / b)}%)` : "");
  const rows = [
    [
      "`health` req/s, 1 conn, sequential",
      n(o.healthSeq?.reqPerSec) + pct(o.healthSeq?.reqPerSec, w.healthSeq?.reqPerSec),
      n(w.healthSeq?.reqPerSec),
      "≥ 7 000 (≥ 50% of raw ws)",
      p && n(p.healthSeq?.reqPerSec),
    ],
    [
      `\`health\` req/s, 1 conn, ${r.config.inflight} in flight`,
      n(o.healthInflight?.reqPerSec),
      n(w.healthInflight?.reqPerSec),
      "≥ 30 000",
      p && n(p.healthInflight?.reqPerSec),
    ],
    [
      `\`health\` ${r.config.inflight} in flight p50 / p99`,
      `${ms(o.healthInflight?.p50)} / ${ms(o.healthInflight?.p99)}`,
      `${ms(w.healthInflight?.p50)} / ${ms(w.healthInflight?.p99)}`,
      "p99 ≤ 5 ms",
      p && `${ms(p.healthInflight?.p50)} / ${ms(p.healthInflight?.p99)}`,
    ],
    ["handshake, signed device (v3), p50 / p99", `${ms(o.handshakeDevice?.p50)} / ${ms(o.handshakeDevice?.p99)}`, "n/a", "≤ 1.5 ms / ≤ 5 ms", p && "n/a"],
    [
      "handshake, token only, p50 / p99",
      `${ms(o.handshakeToken?.p50)} / ${ms(o.handshakeToken?.p99)}`,
      `${ms(w.handshakeToken?.p50)} / ${ms(w.handshakeToken?.p99)}`,
      "p50 ≤ 0.7 ms",
      p && `${ms(p.handshakeToken?.p50)} / ${ms(p.handshakeToken?.p99)}`,
    ],
    ["start until listening", ms(o.startMs), ms(w.startMs), "≤ 400 ms", p && "n/a"],
    ["RSS idle after start", `${o.rssIdleMB?.toFixed(1)} MB`, `${w.rssIdleMB?.toFixed(1)} MB`, "≤ 70 MB", p && "n/a"],
    [
      `RSS per idle authenticated conn (${r.config.conns})`,
      `${((o.conns?.perConnBytes ?? NaN) / 1024).toFixed(1)} KB`,
      `${((w.conns?.perConnBytes ?? NaN) / 1024).toFixed(1)} KB`,
      "≤ 15 KB",
      p && "n/a",
    ],
    [
      `event fan-out to ${r.config.conns} clients, p50 / p99`,
      `${ms(o.conns?.fanoutP50)} / ${ms(o.conns?.fanoutP99)}`,
      `${ms(w.conns?.fanoutP50)} / ${ms(w.conns?.fanoutP99)}`,
      "p99 ≤ 25 ms",
      p && "n/a",
    ],
    ["`chat.send` → first delta (offline), p50 / p99", `${ms(o.chat?.p50)} / ${ms(o.chat?.p99)}`, "n/a", "p50 ≤ 3 ms", p && "n/a"],
    ["Telegram-fake inbound → agent run starts, p50 / p99", `${ms(o.telegramInbound?.p50)} / ${ms(o.telegramInbound?.p99)}`, "n/a", "p50 ≤ 5 ms", p && "n/a"],
    [
      "`health` p99 beside a slow consumer (closed?) vs quiet",
      `${ms(o.slowConsumer?.loadedP99)} vs ${ms(o.slowConsumer?.quietP99)} (×${Number.isFinite(o.slowConsumer?.ratio) ? o.slowConsumer.ratio.toFixed(2) : "n/a"}; closed ${o.slowConsumer?.slowClosedCode ?? "no"} ${o.slowConsumer?.slowClosedReason ?? ""})`,
      "n/a",
      "≤ 2× quiet; closed",
      p && "n/a",
    ],
  ];
  const header = ["figure", "ours", "raw ws", "target", ...(p ? ["peer"] : [])];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of rows) console.log(`| ${row.slice(0, header.length).join(" | ")} |`);
}
