// Two columns of conformance results (our gateway, the real OpenClaw gateway) compared check by check
// against the expected differences, and rendered as a terminal table and as docs/CONFORMANCE.md.

/**
 * @typedef {{ id: string, section: string, level: string, title: string, status: "pass"|"fail"|"skip", detail?: string, reason?: string }} Result
 * @typedef {{ ours: string, openclaw: string, reason: string }} Expectation
 * @typedef {{ id: string, section: string, level: string, title: string, ours?: Result, openclaw?: Result, expected?: Expectation, differs: boolean }} Row
 */

const statusOf = (result) => result?.status ?? "absent";

/**
 * Rows for every check either run has, and the problems: a MUST our gateway fails, a difference not
 * listed in `expected` with these two statuses, and an expected difference that did not occur.
 * @param {Result[]} ours @param {Result[]} openclaw @param {Record<string, Expectation>} expected
 */
export function compareColumns(ours, openclaw, expected) {
  const byId = (results) => new Map(results.map((result) => [result.id, result]));
  const oursById = byId(ours);
  const openclawById = byId(openclaw);
  const ids = [...new Set([...oursById.keys(), ...openclawById.keys()])];
  const problems = [];
  const rows = ids.map((id) => {
    const a = oursById.get(id);
    const b = openclawById.get(id);
    const any = a ?? b;
    const differs = statusOf(a) !== statusOf(b);
    const expectation = expected[id];
    if (a?.status === "fail" && a.level === "MUST") problems.push(`${id}: our gateway fails a MUST check: ${a.detail}`);
    if (differs && !expectation) {
      problems.push(`${id}: unexpected difference: ours ${statusOf(a)}, OpenClaw ${statusOf(b)} (${a?.detail ?? a?.reason ?? b?.detail ?? b?.reason ?? ""})`);
    } else if (differs && (expectation.ours !== statusOf(a) || expectation.openclaw !== statusOf(b))) {
      problems.push(
        `${id}: expected ours ${expectation.ours} / OpenClaw ${expectation.openclaw}, got ours ${statusOf(a)} / OpenClaw ${statusOf(b)} (${b?.detail ?? b?.reason ?? a?.detail ?? a?.reason ?? ""})`,
      );
    }
    return { id, section: any.section, level: any.level, title: any.title, ours: a, openclaw: b, expected: expectation, differs };
  });
  for (const [id, expectation] of Object.entries(expected)) {
    const row = rows.find((candidate) => candidate.id === id);
    if (!row) problems.push(`${id}: conformance-expected.json lists it, but neither run has this check`);
    else if (!row.differs) problems.push(`${id}: conformance-expected.json expects a difference (${expectation.reason}); both gave ${statusOf(row.ours)}`);
  }
  return { rows, problems };
}

const pad = (text, width) => text + " ".repeat(Math.max(0, width - text.length));

/** The differences as a terminal table, with a line for how many checks agree. */
export function differencesTable({ rows }) {
  const differing = rows.filter((row) => row.differs);
  const lines = [`${rows.length - differing.length} of ${rows.length} checks give the same result on both gateways.`];
  if (differing.length === 0) return lines.join("\n");
  const width = Math.max(...differing.map((row) => row.id.length), 5);
  lines.push("", `${pad("check", width)}  ${pad("ours", 6)}  ${pad("OpenClaw", 8)}  reason`);
  for (const row of differing) {
    lines.push(`${pad(row.id, width)}  ${pad(statusOf(row.ours), 6)}  ${pad(statusOf(row.openclaw), 8)}  ${row.expected?.reason ?? "NOT EXPECTED"}`);
  }
  return lines.join("\n");
}

const cell = (text) => String(text).replaceAll("|", "\\|").replaceAll("\n", " ");
const shown = (result) => (result ? (result.status === "pass" ? "pass" : `${result.status}: ${cell(result.detail ?? result.reason ?? "")}`) : "—");

/** docs/CONFORMANCE.md: how to reproduce, the expected differences with reasons, and both columns in full. */
export function conformanceDocument({ rows }, { openclawVersion, date }) {
  const differing = rows.filter((row) => row.differs);
  const count = (column, status) => rows.filter((row) => row[column]?.status === status).length;
  const lines = [
    "# Conformance: our gateway and OpenClaw side by side",
    "",
    `The [conformance kit](../packages/conformance) run against our gateway and against the real OpenClaw ${openclawVersion} gateway`,
    "on the same machine, with the same flags (`--allow-mutations`, the shared token as `--admin-token`, then `--as node`).",
    "The `client.*` rows are the kit's `serve` (a checking gateway) judging a client: our node host (`openclaw node run`)",
    `in the first column, OpenClaw ${openclawVersion}'s \`openclaw node run\` in the second.`,
    "CI reruns this comparison (`tooling/interop/run-conformance.mjs`, part of `tooling/interop/ci.sh`) and fails on any",
    "difference that is not listed below with its reason, on a listed difference that no longer occurs, and on any MUST",
    "check our gateway fails.",
    "",
    "```sh",
    "pnpm build && bash tooling/interop/install.sh >/dev/null",
    "node tooling/interop/run-conformance.mjs --write-doc   # rewrites this file",
    "```",
    "",
    `Last written ${date}. Ours: ${count("ours", "pass")} pass, ${count("ours", "fail")} fail, ${count("ours", "skip")} skip.`,
    `OpenClaw ${openclawVersion}: ${count("openclaw", "pass")} pass, ${count("openclaw", "fail")} fail, ${count("openclaw", "skip")} skip.`,
    "",
    "## Expected differences",
    "",
  ];
  if (differing.length === 0) lines.push("None: every check gives the same result on both gateways.");
  else {
    lines.push("| check | ours | OpenClaw | why |", "|---|---|---|---|");
    for (const row of differing)
      lines.push(`| \`${row.id}\` | ${statusOf(row.ours)} | ${statusOf(row.openclaw)} | ${cell(row.expected?.reason ?? "not expected")} |`);
  }
  lines.push("", "## Every check", "", `| check | § | level | ours | OpenClaw ${openclawVersion} |`, "|---|---|---|---|---|");
  for (const row of rows) lines.push(`| \`${row.id}\` | ${row.section} | ${row.level} | ${shown(row.ours)} | ${shown(row.openclaw)} |`);
  const noted = rows.filter((row) => row.ours?.notes?.length || row.openclaw?.notes?.length);
  if (noted.length > 0) {
    lines.push("", "## Notes", "", "What a check noticed without failing (long notes are cut).", "");
    for (const row of noted) {
      for (const [label, result] of [
        ["ours", row.ours],
        [`OpenClaw ${openclawVersion}`, row.openclaw],
      ]) {
        for (const note of result?.notes ?? []) lines.push(`- \`${row.id}\`, ${label}: ${cell(clip(note, 500))}`);
      }
    }
  }
  return `${lines.join("\n")}\n`;
}

const clip = (text, max) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
