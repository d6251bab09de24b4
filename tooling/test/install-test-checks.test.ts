import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { README_EXPECTATIONS, cliProblem, conformanceProblem, gatewayErrors, installProblem, shellQuote } from "../install-test/checks.mjs";
import { readMinimalNode, withoutComment } from "../install-test/readme.mjs";

const README = fileURLToPath(new URL("../../packages/node-sdk/README.md", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "openclaw-install-checks-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function readmeWith(text: string): string {
  const path = join(work, `README-${Math.random().toString(36).slice(2)}.md`);
  writeFileSync(path, text);
  return path;
}

describe("what the install test reads from the node-SDK README", () => {
  it("finds the install line, the code, the line that runs it and the openclaw commands", () => {
    const readme = readMinimalNode(README);
    expect(readme.install).toEqual(["npm install @openclaw/node-sdk"]);
    expect(readme.code).toMatch(/^import \{ createNode, NodeCommandError \} from "@openclaw\/node-sdk";\n/);
    expect(readme.code).toContain('displayName: "garden sensor"');
    expect(readme.file).toBe("node.mjs");
    expect(readme.run).toBe("OPENCLAW_GATEWAY_TOKEN=<token> node node.mjs");
    expect(readme.commands).toEqual([
      "openclaw nodes approve <nodeId>",
      "openclaw nodes invoke <nodeId> garden.moisture",
      `openclaw nodes invoke <nodeId> location.get --params '{"desiredAccuracy":"precise"}'`,
    ]);
  });

  it("refuses a README that no longer says how to run its example", () => {
    const install = "## Install\n\n```sh\nnpm install x\n```\n\n";
    const code = "## A minimal node\n\n```ts\nconsole.log(1);\n```\n\n";
    expect(() => readMinimalNode(readmeWith(`${install}${code}Run it.\n`))).toThrow("no `node <file>.mjs` line");
    expect(() => readMinimalNode(readmeWith(`${code}\`\`\`sh\nnode a.mjs\n\`\`\`\n`))).toThrow('no "## Install" section');
    expect(() => readMinimalNode(readmeWith(`${install}## A minimal node\n\nnothing\n`))).toThrow("no ```ts block");
    // A later section's shell lines are not part of the example.
    const later = readMinimalNode(readmeWith(`${install}${code}\`\`\`sh\nnode a.mjs\n\`\`\`\n\n## Other\n\n\`\`\`sh\nopenclaw x\n\`\`\`\n`));
    expect(later).toMatchObject({ file: "a.mjs", commands: [] });
  });

  it("drops shell comments but keeps a # inside quotes", () => {
    expect(withoutComment("openclaw nodes approve <nodeId>     # prints which")).toBe("openclaw nodes approve <nodeId>");
    expect(withoutComment(`openclaw x --params '{"a":"#1"}' # note`)).toBe(`openclaw x --params '{"a":"#1"}'`);
    expect(withoutComment("# only a comment")).toBe("");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("what the install test accepts from a step", () => {
  const ok = { code: 0, signal: null, stdout: "Gateway Health\nOK (2ms)\n", stderr: "", output: "", timedOut: false };

  it("fails a command that exits non-zero, times out, writes to stderr or prints an error", () => {
    expect(cliProblem(ok)).toBeUndefined();
    expect(cliProblem({ ...ok, code: 1 })).toBe("exited 1");
    expect(cliProblem({ ...ok, code: null, signal: "SIGKILL", timedOut: true })).toBe("timed out");
    expect(cliProblem({ ...ok, stderr: "warning: something\n" })).toBe("printed on stderr");
    expect(cliProblem({ ...ok, stdout: "Error: gateway closed (1006)\n" })).toBe("printed an error");
  });

  it("accepts a conformance run only with its summary line, and from our gateway only with nothing failed", () => {
    const table = "handshake.error.protocol5  2.9  MUST  pass\n";
    const clean = { ...ok, stdout: `${table}27 passed, 0 failed (0 MUST, 0 SHOULD), 1 skipped; conformant: every MUST check that ran passed\n` };
    expect(conformanceProblem(clean)).toBeUndefined();
    expect(conformanceProblem({ ...clean, stderr: "npm warn exec The following package was not found and will be installed\n" })).toBeUndefined();
    expect(conformanceProblem({ ...clean, stderr: "openclaw-conformance: cannot open a WebSocket\n", code: 2 })).toBe("exited 2");
    const shouldFailed = { ...ok, stdout: `${table}26 passed, 1 failed (0 MUST, 1 SHOULD), 1 skipped; conformant: every MUST check that ran passed\n` };
    expect(conformanceProblem(shouldFailed)).toBe("no summary line with 0 failed");
    const mustFailed = { ...ok, code: 1, stdout: `${table}25 passed, 2 failed (2 MUST, 0 SHOULD), 1 skipped; NOT CONFORMANT: 2 MUST check(s) failed\n` };
    expect(conformanceProblem(mustFailed)).toBe("exited 1");
    expect(conformanceProblem(mustFailed, { conformant: false })).toBeUndefined();
    expect(conformanceProblem({ ...mustFailed, stdout: table }, { conformant: false })).toBe("no summary line");
    expect(conformanceProblem({ ...mustFailed, code: 2 }, { conformant: false })).toBe("exited 2");
  });

  it("lets npm warn, but not fail", () => {
    const install = { ...ok, output: "added 321 packages in 2m\nnpm warn install-scripts 3 packages have install scripts\n" };
    expect(installProblem(install)).toBeUndefined();
    expect(installProblem({ ...install, output: "npm error code E404\nnpm error 404 Not Found\n" })).toBe("printed an npm error");
    expect(installProblem({ ...install, code: 1 })).toBe("exited 1");
  });

  it("finds the gateway's error and fatal log lines in JSON and pretty output", () => {
    const log = [
      '{"level":"info","message":"gateway listening"}',
      '{"level":"error","message":"channel telegram failed"}',
      '{"level":60,"msg":"fatal"}',
      "21:03:48 ERROR gateway: store locked",
      "21:03:49 INFO gateway: client connected (error count 0)",
    ].join("\n");
    expect(gatewayErrors(log)).toEqual([
      '{"level":"error","message":"channel telegram failed"}',
      '{"level":60,"msg":"fatal"}',
      "21:03:48 ERROR gateway: store locked",
    ]);
  });

  it("checks what each README command prints", () => {
    const failing = (line: string, stdout: string) =>
      README_EXPECTATIONS.filter(({ matches, check }) => matches(line) && !check(stdout)).map(({ what }) => what);
    expect(failing("openclaw nodes approve abc", 'Approved node "garden sensor" abc\nCommands approved: garden.moisture, location.get\n')).toEqual([]);
    expect(failing("openclaw nodes approve abc", "Commands approved: garden.moisture\n")).toHaveLength(1);
    expect(failing("openclaw nodes invoke abc garden.moisture", '{ "percent": 42 }')).toEqual([]);
    expect(failing("openclaw nodes invoke abc garden.moisture", '{ "percent": 41 }')).toHaveLength(1);
    const location = `openclaw nodes invoke abc location.get --params '{"desiredAccuracy":"precise"}'`;
    expect(failing(location, '{"lat":48.8566,"lon":2.3522,"accuracyMeters":5}')).toEqual([]);
    expect(failing(location, '{"lat":48.8566,"lon":2.3522,"accuracyMeters":500}')).toHaveLength(1);
    expect(failing("openclaw nodes invoke abc other.thing", "not json")).toEqual(["JSON"]);
  });
});
