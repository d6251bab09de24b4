import { describe, expect, it } from "vitest";
import { exitCodeFor, junitReport, jsonReport, type CheckResult } from "../src/index.js";

const results: CheckResult[] = [
  { id: "handshake.challenge-first", section: "2.2", level: "MUST", title: "challenge first", status: "pass", durationMs: 3 },
  {
    id: "dispatch.unknown-method",
    section: "6.1",
    level: "MUST",
    title: "unknown",
    status: "fail",
    detail: `error.code: expected "INVALID_REQUEST", got <&"'>`,
    durationMs: 5,
  },
  { id: "events.tick-interval", section: "1.7", level: "SHOULD", title: "tick", status: "fail", detail: "no tick within 1150 ms", durationMs: 1150 },
  { id: "handshake.error.v2-signature", section: "3.3", level: "MUST", title: "v2", status: "skip", reason: "needs --allow-mutations", durationMs: 0 },
];

/** A small well-formedness check: every tag closes in order, attributes are quoted, no raw & or <. */
function elements(xml: string): { name: string; attributes: Record<string, string> }[] {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, "");
  const stack: string[] = [];
  const seen: { name: string; attributes: Record<string, string> }[] = [];
  const token = /<(\/?)([A-Za-z]+)((?:\s+[A-Za-z]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body))) {
    consumed = token.lastIndex;
    const [, closing, name, attributeText, selfClosing, text] = match;
    if (text !== undefined) {
      if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`unescaped & in ${JSON.stringify(text)}`);
      continue;
    }
    if (closing) {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
      continue;
    }
    const attributes = Object.fromEntries([...attributeText!.matchAll(/([A-Za-z]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
    seen.push({ name: name!, attributes });
    if (!selfClosing) stack.push(name!);
  }
  if (consumed !== body.length) throw new Error(`not XML at ${JSON.stringify(body.slice(consumed, consumed + 40))}`);
  if (stack.length > 0) throw new Error(`unclosed: ${stack.join(", ")}`);
  return seen;
}

describe("JUnit XML", () => {
  it("is well-formed, with one testcase per check and counts that match", () => {
    const seen = elements(junitReport(results));
    const suite = seen.find((e) => e.name === "testsuite")!;
    expect(suite.attributes).toMatchObject({ tests: "4", failures: "2", skipped: "1", errors: "0" });
    expect(seen.filter((e) => e.name === "testcase").map((e) => e.attributes["name"])).toEqual(results.map((r) => r.id));
    expect(seen.filter((e) => e.name === "failure").map((e) => e.attributes["type"])).toEqual(["MUST", "SHOULD"]);
    expect(seen.filter((e) => e.name === "skipped").map((e) => e.attributes["message"])).toEqual(["needs --allow-mutations"]);
  });

  it("escapes what the gateway said", () => {
    const xml = junitReport(results);
    expect(xml).toContain("got &lt;&amp;&quot;&apos;&gt;");
    expect(() => elements(xml)).not.toThrow();
  });

  it("the checker itself refuses broken XML", () => {
    expect(() => elements("<a><b></a></b>")).toThrow();
    expect(() => elements('<a x="1">&</a>')).toThrow();
  });
});

describe("JSON and the exit code", () => {
  it("--json holds every result and a summary", () => {
    const parsed = JSON.parse(jsonReport(results));
    expect(parsed.results).toHaveLength(4);
    expect(parsed.summary).toEqual({ total: 4, passed: 1, failed: 2, skipped: 1, mustFailed: 1, shouldFailed: 1 });
  });

  it("is 1 only when a MUST check failed", () => {
    expect(exitCodeFor(results)).toBe(1);
    expect(exitCodeFor(results.filter((r) => r.id !== "dispatch.unknown-method"))).toBe(0);
  });
});
