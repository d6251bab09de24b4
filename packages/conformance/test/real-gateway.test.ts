import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { allChecks, runChecks, type CheckResult } from "../src/index.js";
import { contextFor, startGateway } from "./helpers.js";

const describeFailures = (results: readonly CheckResult[]) =>
  results
    .filter((r) => r.status === "fail")
    .map((r) => `${r.id}: ${r.status === "fail" ? r.detail : ""}`)
    .join("\n");

describe("every check against our GatewayServer", () => {
  let server: GatewayServer;
  let results: CheckResult[];

  beforeAll(async () => {
    server = await startGateway();
    results = await runChecks(allChecks(), contextFor(server.url));
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("passes every MUST check", () => {
    const mustFailures = results.filter((r) => r.level === "MUST" && r.status === "fail");
    expect(describeFailures(mustFailures)).toBe("");
    expect(results.filter((r) => r.level === "MUST" && r.status === "pass").length).toBeGreaterThan(20);
  });

  it("passes the SHOULD checks too, including the tick interval", () => {
    expect(describeFailures(results.filter((r) => r.level === "SHOULD"))).toBe("");
    expect(results.find((r) => r.id === "events.tick-interval")?.status).toBe("pass");
  });

  it("sees enough events to compare seq", () => {
    expect(results.find((r) => r.id === "events.seq-increasing")?.status).toBe("pass");
  });

  it("skips only the checks that need an allowance the run did not give, naming it", () => {
    const skipped = results.filter((r) => r.status === "skip");
    const pairing = allChecks()
      .filter((check) => check.id.startsWith("pairing.") || check.id.startsWith("node."))
      .map((check) => check.id);
    const gated = ["handshake.error.v2-signature", "handshake.signature.v3", "handshake.signature.v2", "dispatch.idempotent-replay", "events.shutdown-on-stop"];
    expect(skipped.map((r) => r.id).sort()).toEqual([...gated, ...pairing].sort());
    for (const result of skipped) expect(result).toMatchObject({ reason: expect.stringMatching(/--allow-mutations|--allow-disruptive/) });
  });
});
