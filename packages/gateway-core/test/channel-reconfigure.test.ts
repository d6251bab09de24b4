import { afterEach, describe, expect, it } from "vitest";
import { MemoryProvider, waitFor } from "./memory-channel.js";
import { ChannelService } from "../src/channels/channel-service.js";
import { openMemoryStore } from "../src/store/index.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function running(config: Record<string, unknown>) {
  const provider = new MemoryProvider();
  const store = openMemoryStore();
  const turns: string[] = [];
  const service = new ChannelService({
    db: store.db,
    loaders: { memory: async () => provider.definition() },
    config: { memory: config },
    agent: {
      run: async ({ message, sessionKey }) => {
        turns.push(`${sessionKey}|${message}`);
        return { status: "ok", text: `re: ${message}` };
      },
    },
    outbox: { retryDelaysMs: [30, 60], idleRecheckMs: 20 },
    sendWaitMs: 2_000,
  });
  cleanups.push(() => store.close());
  cleanups.push(() => service.stop());
  await service.start();
  return { provider, service, turns };
}

const TWO_ACCOUNTS = {
  dmPolicy: "allowlist",
  allowFrom: ["u1"],
  accounts: { work: { token: "w1" }, home: { token: "h1" } },
};

describe("channels reconfigured while running", () => {
  it("restarts only the account whose own settings changed", async () => {
    const { provider, service } = await running(TWO_ACCOUNTS);
    expect(provider.starts.sort()).toEqual(["home", "work"]);
    const done = await service.reconfigure({ memory: { ...TWO_ACCOUNTS, accounts: { work: { token: "w2" }, home: { token: "h1" } } } }, "main");
    expect(done).toEqual({ started: [], stopped: [], restarted: ["memory/work"], updated: [] });
    expect(provider.stops).toEqual(["work"]);
    expect(provider.starts.filter((id) => id === "work")).toHaveLength(2);
    expect(service.accounts.get("memory", "work")?.resolved.config.token).toBe("w2");
  });

  it("applies a DM policy change to the next message without reconnecting", async () => {
    const { provider, service, turns } = await running(TWO_ACCOUNTS);
    await provider.deliver({ ...provider.inbound({ text: "before", id: "1", from: "u2" }), accountId: "work" }, "work");
    const done = await service.reconfigure({ memory: { ...TWO_ACCOUNTS, allowFrom: ["u1", "u2"] } }, "main");
    expect(done).toEqual({ started: [], stopped: [], restarted: [], updated: ["memory/work", "memory/home"] });
    expect(provider.stops).toEqual([]);
    await provider.deliver({ ...provider.inbound({ text: "after", id: "2", from: "u2" }), accountId: "work" }, "work");
    await waitFor("the allowed sender's turn", () => turns.length > 0);
    expect(turns).toEqual(["agent:main:main|after"]);
  });

  it("starts added accounts, stops removed ones and routes by a new dmScope", async () => {
    const { provider, service, turns } = await running({ dmPolicy: "open", allowFrom: ["*"], accounts: { work: { token: "w1" } } });
    const done = await service.reconfigure({ memory: { dmPolicy: "open", allowFrom: ["*"], accounts: { home: { token: "h1" } } } }, "per-peer");
    expect(done).toEqual({ started: ["memory/home"], stopped: ["memory/work"], restarted: [], updated: [] });
    expect(service.accounts.get("memory", "work")).toBeUndefined();
    await provider.deliver({ ...provider.inbound({ text: "hi", id: "3", from: "u7" }), accountId: "home" }, "home");
    await waitFor("the turn", () => turns.length > 0);
    expect(turns).toEqual(["agent:main:dm:u7|hi"]);
  });

  it("changes nothing when a new section is refused", async () => {
    const { provider, service } = await running(TWO_ACCOUNTS);
    await expect(service.reconfigure({ memory: { ...TWO_ACCOUNTS, bogus: 1 } }, "per-peer")).rejects.toThrow(/channels\.memory\.bogus: unknown setting/);
    await expect(service.reconfigure({ other: {} }, "main")).rejects.toThrow(/unknown channel "other"/);
    expect(provider.stops).toEqual([]);
    expect(
      service.accounts
        .all()
        .map((account) => account.resolved.accountId)
        .sort(),
    ).toEqual(["home", "work"]);
  });
});
