import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createOfflineProvider } from "@openclaw/agent";
import { afterEach, describe, expect, it } from "vitest";
import type { CronScheduler } from "../src/cron/index.js";
import type { GatewayServer } from "../src/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { type RawClient, connectClient, connectParams, startGateway } from "./harness.js";

let dir: string | undefined;
let store: Store | undefined;
let server: GatewayServer | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  server = store = dir = undefined;
});

/**
 * A gateway wired the way the server is meant to wire cron: the scheduler shares
 * the store, broadcasts on the bus, and runs turns on the real agent runtime
 * (with the offline echo provider).
 */
async function startCronGateway(): Promise<{ gateway: GatewayServer; cron: CronScheduler }> {
  dir = mkdtempSync(join(tmpdir(), "openclaw-cron-gateway-"));
  store = openStore(join(dir, "state", "openclaw.sqlite"), {});
  const provider = createOfflineProvider({ mode: "echo" });
  // The server wires its own scheduler to the store, the bus and the agent runtime.
  server = await startGateway({ store, agent: { resolveModel: () => ({ provider, model: "echo" }), listModels: async () => [] } });
  const cron = server.cron!;
  return { gateway: server, cron };
}

async function admin(gateway: GatewayServer): Promise<RawClient> {
  const { client, hello } = await connectClient(gateway, () => connectParams({ scopes: ["operator.admin"] }));
  expect(hello.ok).toBe(true);
  clients.push(client);
  return client;
}

describe("cron over the wire", () => {
  it("a job fires once on its timer, streams cron events and shows in cron.runs", async () => {
    const { gateway } = await startCronGateway();
    const client = await admin(gateway);
    const added = await client.call("cron.add", {
      name: "one-shot",
      // Far enough ahead that a slow machine still adds it before it is due.
      schedule: { kind: "at", at: Date.now() + 300 },
      sessionTarget: "isolated",
      wakeMode: "now",
      payload: { kind: "agentTurn", message: "good morning" },
    });
    expect(added.ok).toBe(true);
    const jobId = added.payload.id as string;
    expect((await client.event("cron")).payload).toMatchObject({ jobId, action: "added" });

    const started = await client.event("cron");
    expect(started.payload).toMatchObject({ jobId, action: "started", sessionKey: expect.stringMatching(new RegExp(`^cron:${jobId}:`)) });
    const finished = await client.event("cron");
    expect(finished.payload).toMatchObject({
      jobId,
      action: "finished",
      status: "ok",
      runId: started.payload.runId,
      summary: expect.stringContaining("good morning"),
    });

    const runs = await client.call("cron.runs", { id: jobId });
    expect(runs.payload).toMatchObject({ total: 1, entries: [{ jobId, runId: started.payload.runId, status: "ok" }] });
    expect((await client.call("cron.get", { jobId })).payload).toMatchObject({ enabled: false, state: { lastRunStatus: "ok", consecutiveErrors: 0 } });
    expect((await client.call("cron.status", {})).payload).toEqual({ enabled: true, jobs: 1, nextWakeAtMs: null });
  });

  it("answers bad definitions and unknown ids with INVALID_REQUEST", async () => {
    const { gateway } = await startCronGateway();
    const client = await admin(gateway);
    const bad = await client.call("cron.add", {
      name: "typo",
      schedule: { kind: "cron", expr: "0 9 * * *", tz: "Europe/Berln" },
      sessionTarget: "main",
      wakeMode: "now",
      payload: { kind: "systemEvent", text: "hi" },
    });
    expect(bad.error).toEqual({ code: "INVALID_REQUEST", message: 'schedule.tz: unknown time zone "Europe/Berln"; use an IANA name such as "Europe/Berlin"' });
    expect((await client.call("cron.run", { id: "missing" })).error).toEqual({ code: "INVALID_REQUEST", message: "unknown cron job: missing" });
    expect((await client.call("cron.list", {})).payload).toEqual({ jobs: [], total: 0 });
  });
});
