import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "./free-port.js";
import { printed } from "./printed.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const README = fileURLToPath(new URL("../../../packages/node-sdk/README.md", import.meta.url));
/** Where the README's `import "@openclaw/node-sdk"` resolves, as in an app that installed it. */
const APP_DIR = fileURLToPath(new URL("..", import.meta.url));
const children: ChildProcess[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** The README's "A minimal node" code block, exactly as written there, compiled to JavaScript. */
function readmeNodeExample(): string {
  const readme = readFileSync(README, "utf8");
  const section = readme.slice(readme.indexOf("## A minimal node"));
  const block = /```ts\n([\s\S]*?)\n```/.exec(section)?.[1];
  if (!block) throw new Error(`${README}: no \`\`\`ts block under "## A minimal node"`);
  return ts.transpileModule(block, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

interface Process {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

function start(command: string[], env: NodeJS.ProcessEnv, cwd?: string): Process {
  const child = spawn(process.execPath, command, { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  return { child, output: () => output, exited: new Promise((resolve) => child.on("exit", (code) => resolve(code))) };
}

/** A new user's machine: an empty home, a gateway started with no config, and the README's node beside it. */
async function followReadme() {
  const home = mkdtempSync(join(tmpdir(), "openclaw-node-readme-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  // Only the port differs from a default install, so tests do not collide on 18789.
  const port = await freePort();
  const env = { PATH: process.env["PATH"] ?? "", HOME: home, OPENCLAW_GATEWAY_PORT: String(port) };
  const gateway = start([CLI, "gateway", "run", "--log-format", "off"], env);
  await printed(gateway.child, gateway.output, "listening on ws://127.0.0.1:");
  const token = JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")).gateway.auth.token as string;

  const node = start(
    ["--input-type=module", "--eval", readmeNodeExample()],
    { PATH: env.PATH, HOME: home, OPENCLAW_GATEWAY_TOKEN: token, OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}` },
    APP_DIR,
  );
  const nodeId = (await printed(node.child, node.output, /connected as ([0-9a-f]+)/))[1]!;

  /** `openclaw <args>` as the user types it; resolves with its exit code and everything it printed. */
  const openclaw = async (...args: string[]) => {
    const cli = start([CLI, ...args], env);
    return { code: await cli.exited, output: cli.output() };
  };
  return { nodeId, openclaw };
}

describe("the node-SDK README, followed verbatim against a default gateway", () => {
  it("a refused command names its reason and the fix; after `openclaw nodes approve` both README commands run", { timeout: 90_000 }, async () => {
    const { nodeId, openclaw } = await followReadme();

    const refused = await openclaw("nodes", "invoke", nodeId, "garden.moisture");
    expect(refused.code).toBe(1);
    expect(refused.output).toContain(
      `node command not allowed: garden.moisture is not approved for node "garden sensor" (reason not-approved); approve it with: openclaw nodes approve ${nodeId}`,
    );

    const approved = await openclaw("nodes", "approve", nodeId);
    expect(approved).toEqual({ code: 0, output: `Approved node "garden sensor" ${nodeId}\nCommands approved: garden.moisture, location.get\n` });

    const moisture = await openclaw("nodes", "invoke", nodeId, "garden.moisture");
    expect(moisture.code).toBe(0);
    expect(JSON.parse(moisture.output)).toEqual({ percent: 42 });
    const location = await openclaw("nodes", "invoke", nodeId, "location.get", "--params", '{"desiredAccuracy":"precise"}');
    expect(location.code).toBe(0);
    expect(JSON.parse(location.output)).toMatchObject({ lat: 48.8566, lon: 2.3522, accuracyMeters: 5, source: "gps" });
  });

  it("gateway.nodes.commands.deny set with config.patch applies at once, and the refusal names the key to change", { timeout: 90_000 }, async () => {
    const { nodeId, openclaw } = await followReadme();
    expect((await openclaw("nodes", "approve", nodeId)).code).toBe(0);
    const patch = async (raw: string) => {
      const { hash } = JSON.parse((await openclaw("gateway", "call", "config.get", "--json")).output) as { hash: string };
      const result = await openclaw("gateway", "call", "config.patch", "--json", "--params", JSON.stringify({ raw, baseHash: hash }));
      expect(result.code).toBe(0);
      return JSON.parse(result.output) as { restartRequired: boolean };
    };

    expect(await patch('{ gateway: { nodes: { commands: { deny: ["garden.moisture"] } } } }')).toMatchObject({ restartRequired: false });
    const denied = await openclaw("nodes", "invoke", nodeId, "garden.moisture");
    expect(denied.code).toBe(1);
    expect(denied.output).toContain("(reason denied); remove it from gateway.nodes.commands.deny");

    await patch("{ gateway: { nodes: { commands: { deny: null } } } }");
    expect(JSON.parse((await openclaw("nodes", "invoke", nodeId, "garden.moisture")).output)).toEqual({ percent: 42 });
  });
});
