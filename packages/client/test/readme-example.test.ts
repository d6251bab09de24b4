// The package README is enough to write a working script: it connects, streams an
// agent run, and survives a gateway restart in the middle — it reconnects, and the pending call
// rejects with a retryable error.
//
// The script is the README's first ```ts block (the "minimal Node script"), extracted at test
// time so this test breaks when the README changes shape. Only the URL is adapted (the token
// already comes from OPENCLAW_GATEWAY_TOKEN). A short prologue and one appended line print
// `README-MARK {json}` markers: the prologue catches what the README script does not (its
// pending call rejecting mid-stream ends the script with an uncaught error), prints how it
// failed, waits for the client to go reconnecting → open, and calls `health` once more.
//
// It runs as a child `node --input-type=module` with its working directory in packages/client,
// so the README's bare imports resolve as they would for a user: `ws` from the package's
// node_modules, `@openclaw/client` by self-reference to the built dist (run `pnpm build` first).
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMIT, GatewayServer } from "@openclaw/gateway-core";
import { createOfflineProvider } from "../../agent/dist/index.js";

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const README = path.join(PACKAGE_DIR, "README.md");
const FIXTURE_GATEWAY = path.join(PACKAGE_DIR, "test/fixtures/echo-gateway.mjs");
const TOKEN = "readme-example-token-0123456789";
const README_URL = "ws://127.0.0.1:18789";

interface Mark {
  readonly what: string;
  readonly [key: string]: unknown;
}

/** The README's first ```ts block, with the gateway URL taken from README_EXAMPLE_URL. */
function readmeScript(): string {
  const readme = readFileSync(README, "utf8");
  const block = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
  if (block === undefined) throw new Error(`no \`\`\`ts block in ${README}`);
  // What the prologue below relies on; if the README's example stops looking like this,
  // this test has to be re-read against it.
  for (const expected of [
    'from "@openclaw/client"',
    'from "ws"',
    "const client = await connect(",
    "client.agent(",
    "process.env.OPENCLAW_GATEWAY_TOKEN",
    `"${README_URL}"`,
  ]) {
    if (!block.includes(expected)) throw new Error(`the README's first ts block no longer contains ${expected}:\n${block}`);
  }
  if (block.split(`"${README_URL}"`).length !== 2) throw new Error(`the README's first ts block has ${README_URL} more than once`);
  return block.replace(`"${README_URL}"`, "process.env.README_EXAMPLE_URL");
}

// Not in the README: report how the script's pending call failed, then check that the same
// client comes back (reconnecting → open) and can call `health`. `client` is the README's own
// module-level const; the handler only runs once it exists.
const PROLOGUE = `
// A leading newline: the README writes the streamed deltas without one.
const readmeMark = (what, data = {}) => console.log("\\nREADME-MARK " + JSON.stringify({ what, ...data }));
let readmeFailureSeen = false;
process.on("uncaughtException", async (error) => {
  if (readmeFailureSeen) return readmeMark("another-error", { name: error?.name, message: String(error?.message ?? error) });
  readmeFailureSeen = true;
  let statuses;
  try {
    statuses = [client.status.state];
  } catch {
    readmeMark("failed-before-connect", { name: error?.name, message: String(error?.message ?? error) });
    process.exit(1);
  }
  client.onStatus((status) => statuses.push(status.state));
  readmeMark("pending-call-rejected", {
    name: error?.name, code: error?.code, retryable: error?.retryable, closeCode: error?.closeCode,
    detailCode: error?.detailCode, message: error?.message, status: client.status.state,
  });
  try {
    await new Promise((resolve) => {
      const reopened = () => {
        const at = statuses.indexOf("reconnecting");
        if (at >= 0 && statuses.indexOf("open", at) > at) resolve();
      };
      client.onStatus(reopened);
      reopened();
    });
    const health = await client.call("health");
    readmeMark("health-after-reconnect", { ok: health.ok, statuses });
    await client.close();
    process.exit(0);
  } catch (failure) {
    readmeMark("after-restart-failed", { name: failure?.name, message: String(failure?.message ?? failure), statuses });
    process.exit(1);
  }
});
`;

const EPILOGUE = `
readmeMark("finished-without-interruption");
`;

/** The README script as a child process, with its stdout split into markers and plain text. */
class ReadmeScript {
  readonly child: ChildProcess;
  stdout = "";
  stderr = "";
  readonly exited: Promise<number | null>;
  private readonly waiters = new Set<() => void>();

  constructor(url: string) {
    this.child = spawn(process.execPath, ["--input-type=module"], {
      cwd: PACKAGE_DIR,
      env: { ...process.env, README_EXAMPLE_URL: url, OPENCLAW_GATEWAY_TOKEN: TOKEN },
      stdio: ["pipe", "pipe", "pipe"],
    });
    this.child.stdout!.on("data", (chunk: Buffer) => {
      this.stdout += chunk.toString("utf8");
      for (const wake of [...this.waiters]) wake();
    });
    this.child.stderr!.on("data", (chunk: Buffer) => (this.stderr += chunk.toString("utf8")));
    this.exited = new Promise((resolve) => this.child.on("exit", (code) => resolve(code)));
    this.child.stdin!.end(`${PROLOGUE}\n${readmeScript()}\n${EPILOGUE}`);
  }

  get marks(): Mark[] {
    return this.stdout
      .split("\n")
      .filter((line) => line.startsWith("README-MARK "))
      .map((line) => JSON.parse(line.slice("README-MARK ".length)) as Mark);
  }

  mark(what: string): Mark | undefined {
    return this.marks.find((mark) => mark.what === what);
  }

  /** What the README script itself printed (the markers removed). */
  get text(): string {
    return this.stdout
      .split("\n")
      .filter((line) => !line.startsWith("README-MARK "))
      .join("\n");
  }

  /** Resolves once stdout satisfies `predicate`; rejects if the script exits first or `timeoutMs` passes. */
  waitFor(predicate: (script: ReadmeScript) => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const check = () => {
        if (!predicate(this)) return false;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve();
        return true;
      };
      if (check()) return;
      this.waiters.add(check);
      const fail = (why: string) => {
        this.waiters.delete(check);
        clearTimeout(timer);
        reject(new Error(`the README script ${why} before ${what}\n${this.describe()}`));
      };
      timer = setTimeout(() => fail(`did not get there within ${timeoutMs} ms`), timeoutMs);
      void this.exited.then((code) => {
        if (!check()) fail(`exited (${code})`);
      });
    });
  }

  describe(): string {
    return `stdout:\n${this.stdout}\nstderr:\n${this.stderr}`;
  }
}

/** The echo model streaming one character every 50 ms: "Echo: Summarize today's messages" takes ~1.6 s. */
const slowEcho = {
  resolveModel: () => ({ provider: createOfflineProvider({ mode: "echo", chunkDelayMs: 50, chunkSize: 1 }), model: "echo" }),
  listModels: async () => [],
};

function startServer(port: number): Promise<GatewayServer> {
  const server = new GatewayServer({
    port,
    auth: { mode: "token", token: TOKEN, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT },
    version: "0.0.0-test",
    agent: slowEcho,
  });
  return server.start().then(() => server);
}

/** The fixture gateway in a child process (so it can be SIGKILLed). */
async function startGatewayProcess(port: number): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [FIXTURE_GATEWAY], {
    cwd: PACKAGE_DIR,
    env: { ...process.env, PORT: String(port), TOKEN },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const ready = /READY (\S+)/.exec(output);
      if (ready) resolve(ready[1]!);
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
    child.on("exit", (code) => reject(new Error(`fixture gateway exited (${code}) before READY:\n${output}`)));
  });
  return { child, url };
}

const portOf = (url: string) => Number(new URL(url).port);

/** The script's exit code, or "still running" after `ms`. */
function exitedWithin(readme: ReadmeScript, ms: number): Promise<number | null | "still running"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"still running">((resolve) => (timer = setTimeout(() => resolve("still running"), ms)));
  return Promise.race([readme.exited, late]).finally(() => clearTimeout(timer));
}

/** At least one assistant delta of the echo reply reached the script's stdout. */
const streaming = (script: ReadmeScript) => /gateway ok: true\nE/.test(script.text);

let script: ReadmeScript | undefined;
const servers: GatewayServer[] = [];
const processes: ChildProcess[] = [];
afterEach(async () => {
  if (script && script.child.exitCode === null) script.child.kill("SIGKILL");
  script = undefined;
  for (const server of servers.splice(0)) await server.stop();
  for (const child of processes.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("the README's Node example, against a real gateway that restarts mid-stream", () => {
  it("has a built SDK to run against", () => {
    expect(existsSync(path.join(PACKAGE_DIR, "dist/index.js")), "packages/client/dist is missing: run pnpm build").toBe(true);
  });

  // One run of the scenario, checked by the two tests below: GatewayServer.stop() mid-stream
  // (the graceful path: `shutdown` event, runs ended, close 1012), then a new server on the
  // same port.
  let graceful: { rejected: Mark; health: Mark | undefined; exit: unknown; describe: string } | undefined;

  it("streams an agent run, and after GatewayServer.stop() + a new server on the same port the same client reconnects (reconnecting → open) and calls health", async () => {
    const first = await startServer(0);
    servers.push(first);
    const port = portOf(first.url);
    script = new ReadmeScript(first.url);

    // Connected (the README prints the health result) and mid-stream (deltas are printed).
    await script.waitFor(streaming, "streaming the agent reply");
    const streamedBeforeRestart = script.text.split("gateway ok: true\n")[1] ?? "";
    expect(streamedBeforeRestart.length).toBeLessThan("Echo: Summarize today's messages".length);

    await first.stop();
    servers.splice(servers.indexOf(first), 1);
    await script.waitFor((s) => s.mark("pending-call-rejected") !== undefined, "its pending call rejected");
    servers.push(await startServer(port));

    const exit = await exitedWithin(script, 15_000);
    graceful = { rejected: script.mark("pending-call-rejected")!, health: script.mark("health-after-reconnect"), exit, describe: script.describe() };
    expect(exit, script.describe()).toBe(0);
    expect(script.mark("finished-without-interruption"), script.describe()).toBeUndefined();
    expect(graceful.health, script.describe()).toMatchObject({ ok: true });
    const statuses = graceful.health!["statuses"] as string[];
    const reconnecting = statuses.indexOf("reconnecting");
    expect(reconnecting, JSON.stringify(statuses)).toBeGreaterThanOrEqual(0);
    expect(statuses.indexOf("open", reconnecting), JSON.stringify(statuses)).toBeGreaterThan(reconnecting);
  }, 30_000);

  // GatewayServer.stop() ends in-flight runs before it closes the sockets, and marks that
  // answer retryable, so the run rejects retryably even though the socket was still open.
  it("…and the script's pending call (the agent run) rejected with a retryable error", () => {
    expect(graceful, "the scenario above did not get that far").toBeDefined();
    expect(graceful!.rejected, `the run's rejection: ${JSON.stringify(graceful!.rejected)}`).toMatchObject({ retryable: true });
  });

  it("also survives a crash (SIGKILL) of the gateway process mid-stream and a new one on the same port", async () => {
    const first = await startGatewayProcess(0);
    processes.push(first.child);
    script = new ReadmeScript(first.url);

    await script.waitFor(streaming, "streaming the agent reply");
    first.child.kill("SIGKILL");
    await script.waitFor((s) => s.mark("pending-call-rejected") !== undefined, "its pending call rejected");
    const second = await startGatewayProcess(portOf(first.url));
    processes.push(second.child);

    expect(await exitedWithin(script, 15_000), script.describe()).toBe(0);
    const rejected = script.mark("pending-call-rejected")!;
    expect(rejected, script.describe()).toMatchObject({ name: "GatewayClosedError", code: "GATEWAY_CLOSED", retryable: true, status: "reconnecting" });
    const health = script.mark("health-after-reconnect");
    expect(health, script.describe()).toMatchObject({ ok: true });
    const statuses = health!["statuses"] as string[];
    expect(statuses[0]).toBe("reconnecting");
    expect(statuses.at(-1)).toBe("open");
  }, 30_000);
});
