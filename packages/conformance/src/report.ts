// How results are shown: progress lines and a table for people, JSON for scripts, JUnit XML for CI.
import type { Check, CheckResult } from "./check.js";

export interface Summary {
  readonly total: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
  /** Failed MUST checks: any makes the run fail. */
  readonly mustFailed: number;
  /** Failed SHOULD checks: reported, never fatal. */
  readonly shouldFailed: number;
}

export function summarize(results: readonly CheckResult[]): Summary {
  const count = (keep: (result: CheckResult) => boolean) => results.filter(keep).length;
  return {
    total: results.length,
    passed: count((r) => r.status === "pass"),
    failed: count((r) => r.status === "fail"),
    skipped: count((r) => r.status === "skip"),
    mustFailed: count((r) => r.status === "fail" && r.level === "MUST"),
    shouldFailed: count((r) => r.status === "fail" && r.level === "SHOULD"),
  };
}

/** 1 when a MUST check failed, else 0. */
export const exitCodeFor = (results: readonly CheckResult[]): number => (summarize(results).mustFailed > 0 ? 1 : 0);

const STATUS_LABEL = { pass: "PASS", fail: "FAIL", skip: "SKIP" } as const;

const why = (result: CheckResult): string => (result.status === "fail" ? result.detail : result.status === "skip" ? result.reason : "");

/** `[ 3/29] PASS MUST   handshake.error.protocol5 (12 ms)`, with the detail of a failure or skip, then any notes. */
export function progressLine(result: CheckResult, index: number, total: number): string {
  const width = String(total).length;
  const head = `[${String(index + 1).padStart(width)}/${total}] ${STATUS_LABEL[result.status]} ${result.level.padEnd(6)} ${result.id} (${result.durationMs} ms)`;
  const indent = " ".repeat(width * 2 + 4);
  const lines = [head, ...(result.status === "pass" ? [] : [`${indent}${why(result)}`]), ...(result.notes ?? []).map((note) => `${indent}note: ${note}`)];
  return lines.join("\n");
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export function summaryLine(summary: Summary): string {
  const verdict = summary.mustFailed > 0 ? `NOT CONFORMANT: ${summary.mustFailed} MUST check(s) failed` : "conformant: every MUST check that ran passed";
  return `${summary.passed} passed, ${summary.failed} failed (${summary.mustFailed} MUST, ${summary.shouldFailed} SHOULD), ${summary.skipped} skipped; ${verdict}`;
}

/** The closing table: every check with its section, level and result, then the summary line. */
export function resultsTable(results: readonly CheckResult[]): string {
  const rows = [["CHECK", "§", "LEVEL", "RESULT", "DETAIL"], ...results.map((r) => [r.id, r.section, r.level, STATUS_LABEL[r.status], clip(why(r), 100)])];
  const notes = results.flatMap((r) => (r.notes ?? []).map((note) => `  ${r.id}: ${note}`));
  return `${table(rows)}\n\n${notes.length > 0 ? `NOTES\n${notes.join("\n")}\n\n` : ""}${summaryLine(summarize(results))}`;
}

/** `--list`: every check's id, section, level and title. */
export function listTable(checks: readonly Pick<Check, "id" | "section" | "level" | "title">[]): string {
  return table([["CHECK", "§", "LEVEL", "TITLE"], ...checks.map((c) => [c.id, c.section, c.level, c.title])]);
}

/** `--json`: the results and their summary. */
export function jsonReport(results: readonly CheckResult[]): string {
  return JSON.stringify({ results, summary: summarize(results) }, null, 2);
}

const escapeXml = (text: string): string =>
  text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");

/**
 * JUnit XML: one testsuite, one testcase per check (classname `§<section> <level>`). A failed
 * MUST is a `failure`; a failed SHOULD is a `failure` of type `SHOULD` too, so CI shows it.
 */
export function junitReport(results: readonly CheckResult[], suiteName = "openclaw-conformance"): string {
  const summary = summarize(results);
  const seconds = (ms: number) => (ms / 1000).toFixed(3);
  const total = results.reduce((sum, r) => sum + r.durationMs, 0);
  const cases = results.map((r) => {
    const open = `    <testcase name="${escapeXml(r.id)}" classname="${escapeXml(`§${r.section} ${r.level}`)}" time="${seconds(r.durationMs)}"`;
    if (r.status === "pass") return `${open}/>`;
    const inner =
      r.status === "fail"
        ? `      <failure type="${r.level}" message="${escapeXml(clip(r.detail, 500))}">${escapeXml(`${r.title}\n${r.detail}`)}</failure>`
        : `      <skipped message="${escapeXml(r.reason)}"/>`;
    return `${open}>\n${inner}\n    </testcase>`;
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${escapeXml(suiteName)}" tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${seconds(total)}">`,
    `  <testsuite name="${escapeXml(suiteName)}" tests="${summary.total}" failures="${summary.failed}" errors="0" skipped="${summary.skipped}" time="${seconds(total)}">`,
    ...cases,
    `  </testsuite>`,
    `</testsuites>`,
    ``,
  ].join("\n");
}
