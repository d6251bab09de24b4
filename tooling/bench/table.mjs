// The Markdown table `pnpm bench` prints on stdout: each figure beside its raw ws figure, the
// target computed from that raw figure (targets.mjs), and whether it was met.
import { fmt } from "./common.mjs";
import { judge } from "./targets.mjs";

const ms = (v) => (Number.isFinite(v) ? `${v.toFixed(2)} ms` : "n/a");
const n = (v) => (Number.isFinite(v) ? `${Math.round(v).toLocaleString("en-US")} req/s` : "n/a");

/** The peer's figure for a row, where the peer was measured (health and the token handshake only). */
function peerCell(row, p) {
  if (row.figure.includes("sequential")) return n(p.healthSeq?.reqPerSec);
  if (row.key === "healthInflight" && row.figure.includes("p99")) return `${ms(p.healthInflight?.p50)} / ${ms(p.healthInflight?.p99)}`;
  if (row.key === "healthInflight") return n(p.healthInflight?.reqPerSec);
  if (row.key === "handshakeToken") return `${ms(p.handshakeToken?.p50)} / ${ms(p.handshakeToken?.p99)}`;
  return "n/a";
}

export function machineLine(m) {
  return `${m.nproc}× ${m.cpu}, ${m.memTotalMB} MB, Node ${m.node}; one-byte TCP round trip between two processes: ${fmt(m.loopbackRttMicros)} µs`;
}

export function printTable(r) {
  console.log(`${machineLine(r.machine)}\n`);
  const p = r.peer;
  const header = ["figure", "ours", "raw ws", "target", "met?", ...(p ? ["peer"] : [])];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`|${header.map(() => "---").join("|")}|`);
  for (const row of judge(r)) {
    const cells = [row.figure, row.ours, row.raw, row.target, row.verdict, ...(p ? [peerCell(row, p)] : [])];
    console.log(`| ${cells.join(" | ")} |`);
  }
}
