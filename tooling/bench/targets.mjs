// The targets, each computed from the same run's raw ws figure, and the verdict on each
// figure: "met" or "missed by X". Pure: results in (the shape of bench.json), table rows out.

const isNum = (v) => typeof v === "number" && Number.isFinite(v);
const group = (v) => Math.round(v).toLocaleString("en-US").replace(/,/g, " ");
/** Value formatters by unit; each returns text with the unit. */
export const UNITS = {
  reqPerSec: (v) => `${group(v)} req/s`,
  perSec: (v) => `${group(v)}/s`,
  ms: (v) => `${v.toFixed(2)} ms`,
  MB: (v) => `${v.toFixed(1)} MB`,
  KB: (v) => `${v.toFixed(1)} KB`,
  ratio: (v) => `×${v.toFixed(2)}`,
};
const show = (v, unit) => (isNum(v) ? UNITS[unit](v) : "n/a");

/** "met" when `value` ≥ `bound`, else "missed by <the gap>"; "n/a" when either is missing. */
export function atLeast(value, bound, unit) {
  if (!isNum(value) || !isNum(bound)) return "n/a";
  return value >= bound ? "met" : `missed by ${UNITS[unit](bound - value)}`;
}

/** "met" when `value` ≤ `bound`, else "missed by <the gap>"; "n/a" when either is missing. */
export function atMost(value, bound, unit) {
  if (!isNum(value) || !isNum(bound)) return "n/a";
  return value <= bound ? "met" : `missed by ${UNITS[unit](value - bound)}`;
}

const pct = (a, b) => (isNum(a) && isNum(b) ? ` (${Math.round((100 * a) / b)}% of raw)` : "");
const pair = (a, b) => `${show(a, "ms")} / ${show(b, "ms")}`;
const kb = (bytes) => (isNum(bytes) ? bytes / 1024 : NaN);

/** Only the bound's text when it could be computed, so a missing raw figure reads as such. */
const bound = (text, value, unit) => (isNum(value) ? `${text} = ${UNITS[unit](value)}` : text);

/**
 * The judged rows of one run: { key, figure, ours, raw, target, verdict }. `key` is the
 * bench.json key the row comes from; rows whose figure was not measured are left out.
 */
export function judge(r) {
  const o = r.ours ?? {};
  const w = r.raw ?? {};
  const inflight = r.config?.inflight ?? 32;
  const rows = [];
  const add = (key, present, figure, ours, raw, target, verdict) => {
    if (present) rows.push({ key, figure, ours, raw, target, verdict });
  };

  const seq = o.healthSeq?.reqPerSec;
  const rawSeq = w.healthSeq?.reqPerSec;
  // Raw ws answering as many bytes as our `health` does, beside the target's plain raw figure.
  const sized = (figure) =>
    isNum(figure?.reqPerSec) ? ` (answering ${Math.round(figure.answerBytes)} B, as ours does: ${show(figure.reqPerSec, "reqPerSec")})` : "";
  add(
    "healthSeq",
    o.healthSeq,
    "`health`, 1 conn, sequential",
    show(seq, "reqPerSec") + pct(seq, rawSeq),
    show(rawSeq, "reqPerSec") + sized(w.healthSeqSized),
    bound("≥ 90% of raw", 0.9 * rawSeq, "reqPerSec"),
    atLeast(seq, 0.9 * rawSeq, "reqPerSec"),
  );

  const hi = o.healthInflight ?? {};
  const rawHi = w.healthInflight ?? {};
  add(
    "healthInflight",
    o.healthInflight,
    `\`health\`, 1 conn, ${inflight} in flight`,
    show(hi.reqPerSec, "reqPerSec") + pct(hi.reqPerSec, rawHi.reqPerSec),
    show(rawHi.reqPerSec, "reqPerSec") + sized(w.healthInflightSized),
    bound("≥ 80% of raw", 0.8 * rawHi.reqPerSec, "reqPerSec"),
    atLeast(hi.reqPerSec, 0.8 * rawHi.reqPerSec, "reqPerSec"),
  );
  add(
    "healthInflight",
    o.healthInflight,
    `\`health\` ${inflight} in flight, p50 / p99`,
    pair(hi.p50, hi.p99),
    pair(rawHi.p50, rawHi.p99),
    bound("p99 ≤ 1.5× raw", 1.5 * rawHi.p99, "ms"),
    atMost(hi.p99, 1.5 * rawHi.p99, "ms"),
  );

  // The handshake baseline waits for a challenge event before `connect`, as our protocol does; the
  // raw column also shows connect-on-open, so the cost of that extra event stays visible.
  const challenge = w.handshakeChallenge ?? {};
  const rawHandshake = `${pair(challenge.p50, challenge.p99)} (connect on open: ${pair(w.handshakeToken?.p50, w.handshakeToken?.p99)})`;
  for (const [key, figure, extra] of [
    ["handshakeDevice", "handshake, signed device (v3), p50 / p99", 0.3],
    ["handshakeToken", "handshake, token only, p50 / p99", 0.2],
  ]) {
    const h = o[key] ?? {};
    add(
      key,
      o[key],
      figure,
      pair(h.p50, h.p99),
      rawHandshake,
      bound(`p50 ≤ raw with challenge + ${extra} ms`, challenge.p50 + extra, "ms"),
      atMost(h.p50, challenge.p50 + extra, "ms"),
    );
  }

  add(
    "startMs",
    isNum(o.startMs),
    "start until listening (spawn → `/healthz` 200)",
    show(o.startMs, "ms"),
    show(w.startMs, "ms"),
    bound("≤ 1.5× raw", 1.5 * w.startMs, "ms"),
    atMost(o.startMs, 1.5 * w.startMs, "ms"),
  );
  add(
    "startMs",
    isNum(o.rssIdleMB),
    "RSS idle, 1 s after listening",
    show(o.rssIdleMB, "MB"),
    show(w.rssIdleMB, "MB"),
    bound("≤ raw + 15 MB", w.rssIdleMB + 15, "MB"),
    atMost(o.rssIdleMB, w.rssIdleMB + 15, "MB"),
  );

  const c = o.conns ?? {};
  const rawC = w.conns ?? {};
  const conns = r.config?.conns ?? 1000;
  add(
    "conns",
    o.conns,
    `RSS per idle authenticated conn (${conns})`,
    show(kb(c.perConnBytes), "KB"),
    show(kb(rawC.perConnBytes), "KB"),
    "≤ 8 KB",
    atMost(kb(c.perConnBytes), 8, "KB"),
  );
  add(
    "conns",
    o.conns,
    `one event fanned out to ${conns} clients, until the last has it, p50 / p99`,
    pair(c.fanoutP50, c.fanoutP99),
    pair(rawC.fanoutP50, rawC.fanoutP99),
    bound("p99 ≤ 1.3× raw", 1.3 * rawC.fanoutP99, "ms"),
    atMost(c.fanoutP99, 1.3 * rawC.fanoutP99, "ms"),
  );

  const s = o.scale ?? {};
  const rawS = w.scale ?? {};
  const label = isNum(s.conns) ? `${group(s.conns)} conns (${group(s.nodes ?? 0)} nodes)` : "scale";
  const rate = (x) =>
    `${show(x.handshakesPerSec, "perSec")}, p50 / p99 ${pair(x.handshakeP50, x.handshakeP99)}; last quarter ${show(x.lastQuarterPerSec, "perSec")}`;
  add(
    "scale",
    o.scale,
    `${label}: handshakes while opening`,
    rate(s),
    rate(rawS),
    bound("sustained: last quarter ≥ 80% of first quarter", 0.8 * s.firstQuarterPerSec, "perSec"),
    atLeast(s.lastQuarterPerSec, 0.8 * s.firstQuarterPerSec, "perSec"),
  );
  add(
    "scale",
    o.scale,
    `${label}: gateway RSS per connection`,
    show(kb(s.perConnBytes), "KB"),
    show(kb(rawS.perConnBytes), "KB"),
    "≤ 8 KB",
    atMost(kb(s.perConnBytes), 8, "KB"),
  );
  add(
    "scale",
    o.scale,
    `${label}: one event to all, until the last has it, p50 / p99`,
    pair(s.fanoutP50, s.fanoutP99),
    pair(rawS.fanoutP50, rawS.fanoutP99),
    bound("p99 ≤ 1.3× raw", 1.3 * rawS.fanoutP99, "ms"),
    atMost(s.fanoutP99, 1.3 * rawS.fanoutP99, "ms"),
  );

  // Figures with no raw ws counterpart keep their absolute targets.
  add(
    "chat",
    o.chat,
    "`chat.send` → first delta (offline provider), p50 / p99",
    pair(o.chat?.p50, o.chat?.p99),
    "n/a",
    "p50 ≤ 3 ms",
    atMost(o.chat?.p50, 3, "ms"),
  );
  add(
    "telegramInbound",
    o.telegramInbound,
    "Telegram-fake inbound → agent run starts, p50 / p99",
    pair(o.telegramInbound?.p50, o.telegramInbound?.p99),
    "n/a",
    "p50 ≤ 5 ms",
    atMost(o.telegramInbound?.p50, 5, "ms"),
  );
  const slow = o.slowConsumer ?? {};
  const closed = slow.slowClosedCode === 1008;
  add(
    "slowConsumer",
    o.slowConsumer,
    "`health` p99 beside a slow consumer vs quiet; slow one closed?",
    `${pair(slow.loadedP99, slow.quietP99)} (${show(slow.ratio, "ratio")}); closed ${slow.slowClosedCode ?? "no"} ${slow.slowClosedReason ?? ""}`.trim(),
    "n/a",
    "≤ 2× quiet; closed 1008",
    closed ? atMost(slow.ratio, 2, "ratio") : "missed: not closed 1008",
  );
  return rows;
}
