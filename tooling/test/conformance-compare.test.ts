import { describe, expect, it } from "vitest";
import { compareColumns, conformanceDocument, differencesTable } from "../interop/conformance-compare.mjs";

const result = (id: string, status: "pass" | "fail" | "skip", level = "MUST", detail?: string) => ({
  id,
  section: "2.2",
  level,
  title: `title of ${id}`,
  status,
  ...(status === "fail" ? { detail: detail ?? "went wrong" } : status === "skip" ? { reason: detail ?? "not applicable" } : {}),
});

describe("comparing our gateway's conformance column with OpenClaw's", () => {
  it("has no problem when both agree on every check", () => {
    const { rows, problems } = compareColumns([result("a", "pass"), result("b", "skip")], [result("a", "pass"), result("b", "skip")], {});
    expect(problems).toEqual([]);
    expect(rows.map((row: { differs: boolean }) => row.differs)).toEqual([false, false]);
  });

  it("fails a difference that the expectations do not list", () => {
    const { problems } = compareColumns([result("a", "pass")], [result("a", "fail", "MUST", "closed 1008")], {});
    expect(problems).toEqual(["a: unexpected difference: ours pass, OpenClaw fail (closed 1008)"]);
  });

  it("accepts a listed difference with the same two results, and fails it when the results changed", () => {
    const expected = { a: { ours: "pass", openclaw: "fail", reason: "OpenClaw answers late" } };
    expect(compareColumns([result("a", "pass")], [result("a", "fail")], expected).problems).toEqual([]);
    expect(compareColumns([result("a", "pass")], [result("a", "skip")], expected).problems).toEqual([
      "a: expected ours pass / OpenClaw fail, got ours pass / OpenClaw skip (not applicable)",
    ]);
  });

  it("fails an expected difference that no longer occurs, so no stale reason stays in the document", () => {
    const expected = { a: { ours: "pass", openclaw: "fail", reason: "OpenClaw answers late" } };
    expect(compareColumns([result("a", "pass")], [result("a", "pass")], expected).problems).toEqual([
      "a: conformance-expected.json expects a difference (OpenClaw answers late); both gave pass",
    ]);
  });

  it("fails a MUST check our gateway fails even when OpenClaw fails it too", () => {
    const { problems } = compareColumns([result("a", "fail", "MUST", "no challenge")], [result("a", "fail")], {});
    expect(problems).toEqual(["a: our gateway fails a MUST check: no challenge"]);
    expect(compareColumns([result("s", "fail", "SHOULD")], [result("s", "fail", "SHOULD")], {}).problems).toEqual([]);
  });

  it("counts a check only one kit run has as a difference (absent on the other side)", () => {
    const { problems } = compareColumns([result("a", "pass"), result("node.x", "pass")], [result("a", "pass")], {});
    expect(problems).toEqual(["node.x: unexpected difference: ours pass, OpenClaw absent ()"]);
  });

  it("renders the differences with their reasons in the table and both columns in the document", () => {
    const expected = { b: { ours: "pass", openclaw: "fail", reason: "OpenClaw | answers late" } };
    const comparison = compareColumns([result("a", "pass"), result("b", "pass")], [result("a", "pass"), result("b", "fail", "MUST", "timed out")], expected);
    expect(differencesTable(comparison)).toContain("1 of 2 checks give the same result on both gateways.");
    expect(differencesTable(comparison)).toMatch(/^b\s+pass\s+fail\s+OpenClaw \| answers late$/m);
    const doc = conformanceDocument(comparison, { openclawVersion: "2026.9.6", date: "2026-12-06" });
    expect(doc).toContain("| `b` | pass | fail | OpenClaw \\| answers late |");
    expect(doc).toContain("| `b` | 2.2 | MUST | pass | fail: timed out |");
    expect(doc).toContain("Ours: 2 pass, 0 fail, 0 skip.");
    expect(doc).not.toContain("## Notes");
  });

  it("lists each side's notes in the document, cut when long", () => {
    const noted = { ...result("a", "pass"), notes: ['close reason "device removed"', "x".repeat(600)] };
    const doc = conformanceDocument(compareColumns([result("a", "pass")], [noted], {}), { openclawVersion: "2026.9.6", date: "2026-12-06" });
    expect(doc).toContain('- `a`, OpenClaw 2026.9.6: close reason "device removed"');
    expect(doc).toContain(`- \`a\`, OpenClaw 2026.9.6: ${"x".repeat(499)}…`);
    expect(doc).not.toContain("- `a`, ours:");
  });
});
