import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { openStore, type GatewayServer, type Store } from "../src/index.js";
import { GatedProvider, lastUser } from "@openclaw/testing";
import { RawClient, TOKEN, connectParams, startGateway, type Frame } from "./harness.js";
import { firstValue } from "./sql.js";

const DIST = fileURLToPath(new URL("../dist/index.js", import.meta.url));
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A gateway in a child process on the store at `path`, whose model streams one chunk and then never ends. */
async function spawnGateway(path: string): Promise<{ child: ChildProcess; port: number }> {
  const script = `
    const core = await import(${JSON.stringify(DIST)});
    const store = core.openStore(${JSON.stringify(path)});
    const provider = {
      id: "stuck",
      label: "stuck (test)",
      async *stream() {
        yield { type: "text", delta: "partial" };
        await new Promise(() => {});
      },
    };
    const server = new core.GatewayServer({
      port: 0,
      version: "0.0.0-test",
      auth: { mode: "token", token: ${JSON.stringify(TOKEN)}, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: core.DEFAULT_RATE_LIMIT },
      store,
      agent: { resolveModel: () => ({ provider, model: "stuck-model" }), listModels: async () => [] },
    });
    await server.start();
    process.stdout.write("port " + server.port + "\\n");
  `;
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  cleanups.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  });
  let output = "";
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /port (\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", () => reject(new Error(`gateway child exited before listening:\n${output}`)));
  });
  return { child, port };
}

async function operator(url: string): Promise<RawClient> {
  const client = await RawClient.open(url);
  cleanups.push(() => client.close());
  await client.event("connect.challenge");
  client.send({ type: "req", id: "c1", method: "connect", params: connectParams({ scopes: ["operator.read", "operator.write"] }) });
  expect((await client.response("c1")).ok).toBe(true);
  return client;
}

describe("nothing accepted is lost when the gateway is killed with -9", () => {
  it("the turn in flight is closed as interrupted, and the queued messages run after the restart", async () => {
    const dir = mkdtempSync(join(tmpdir(), "openclaw-kill-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, "state.sqlite");

    const { child, port } = await spawnGateway(path);
    const before = await operator(`ws://127.0.0.1:${port}`);
    expect((await before.call("chat.send", { sessionKey: "s", message: "first", idempotencyKey: "A" })).payload).toEqual({ runId: "A", status: "started" });
    await before.next((frame: Frame) => frame.event === "chat" && frame.payload.runId === "A" && frame.payload.state === "delta");
    expect((await before.call("chat.send", { sessionKey: "s", message: "second", idempotencyKey: "B" })).payload).toEqual({ runId: "B", status: "started" });
    before.send({ type: "req", id: "agent-c", method: "agent", params: { message: "third", sessionKey: "s", idempotencyKey: "C" } });
    expect((await before.response("agent-c")).payload).toMatchObject({ runId: "C", status: "accepted" });

    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;

    const store: Store = openStore(path);
    const provider = new GatedProvider((request) => [`re: ${lastUser(request)}`], { gated: false });
    const server: GatewayServer = await startGateway({ store, agent: { resolveModel: () => ({ provider, model: "echo" }), listModels: async () => [] } });
    cleanups.push(
      () => store.close(),
      () => server.stop(),
    );
    const after = await operator(server.url);

    expect((await after.call("agent.wait", { runId: "B", timeoutMs: 10_000 })).payload).toMatchObject({ runId: "B", status: "ok", outputText: "re: second" });
    expect((await after.call("agent.wait", { runId: "C", timeoutMs: 10_000 })).payload).toMatchObject({ runId: "C", status: "ok", outputText: "re: third" });
    expect((await after.call("agent.wait", { runId: "A", timeoutMs: 0 })).payload).toMatchObject({
      runId: "A",
      status: "error",
      error: "interrupted: gateway restarted",
    });

    const history = (await after.call("chat.history", { sessionKey: "s" })).payload.messages;
    expect(
      history.map((message: { role: string; runId: string; content: { text: string }[] }) => [message.role, message.runId, message.content[0]!.text]),
    ).toEqual([
      ["user", "A", "first"],
      ["assistant", "A", ""],
      ["user", "B", "second"],
      ["assistant", "B", "re: second"],
      ["user", "C", "third"],
      ["assistant", "C", "re: third"],
    ]);
    expect(history[1]).toMatchObject({ stopReason: "aborted", errorMessage: "interrupted: gateway restarted" });
    expect(firstValue(store.db, "SELECT COUNT(*) FROM pending_runs")).toBe(0);
    // The same keys after the restart are the same runs: answered from their outcome, never run twice.
    expect((await after.call("chat.send", { sessionKey: "s", message: "second", idempotencyKey: "B" })).payload).toEqual({ runId: "B", status: "ok" });
    expect((await after.call("chat.send", { sessionKey: "s", message: "first", idempotencyKey: "A" })).payload).toEqual({ runId: "A", status: "aborted" });
    expect(provider.requests).toHaveLength(2);
  });
});
