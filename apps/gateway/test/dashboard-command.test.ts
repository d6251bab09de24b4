import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningGateway } from "../src/index.js";
import { cliOk, runCli, startGatewayIn } from "./helpers.js";

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A home whose config holds `gateway`, and the gateway running on it. */
async function gatewayWith(gateway: Record<string, unknown>): Promise<{ home: string; running: RunningGateway }> {
  const home = mkdtempSync(join(tmpdir(), "openclaw-dashboard-cmd-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify({ gateway }), { mode: 0o600 });
  const running = await startGatewayIn(home);
  cleanups.push(() => running.stop());
  return { home, running };
}

describe("openclaw dashboard, by auth mode and Control UI setting", () => {
  it("prints the address under the configured base path, with the code in the fragment only", async () => {
    const { home, running } = await gatewayWith({ auth: { token: "dashboard-cmd-token-0123456789" }, controlUi: { basePath: "/control" } });
    const out = await cliOk(home, "dashboard", "--no-open");
    expect(out).toMatch(new RegExp(`^Control UI: http://127\\.0\\.0\\.1:${running.server.port}/control/#code=[0-9A-Z-]{39}$`, "m"));
    expect(out).not.toContain("dashboard-cmd-token-0123456789");
  });

  it("with auth mode none, prints the address alone", async () => {
    const { home, running } = await gatewayWith({ auth: { mode: "none" } });
    const out = await cliOk(home, "dashboard", "--no-open");
    expect(out).toContain(`Control UI: http://127.0.0.1:${running.server.port}/\n`);
    expect(out).not.toContain("#code=");
    expect(out).toContain("needs no code");
  });

  it("with auth mode trusted-proxy, prints the address alone without connecting", async () => {
    const { home, running } = await gatewayWith({
      auth: { mode: "trusted-proxy", trustedProxy: { userHeader: "x-forwarded-user" } },
      trustedProxies: ["10.0.0.1"],
    });
    const out = await cliOk(home, "dashboard", "--no-open");
    expect(out).toContain(`Control UI: http://127.0.0.1:${running.server.port}/\n`);
    expect(out).not.toContain("#code=");
  });

  it("with the Control UI off, says so instead of printing an address", async () => {
    const { home } = await gatewayWith({ auth: { token: "dashboard-cmd-token-0123456789" }, controlUi: { enabled: false } });
    const { out, error } = await runCli(home, "dashboard", "--no-open");
    expect(out).toBe("");
    expect(error?.code).toBe("CONTROL_UI_DISABLED");
    expect(error?.message).toContain("gateway.controlUi.enabled");
  });
});
