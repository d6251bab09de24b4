import { describe, expect, it } from "vitest";
import {
  EVENTS,
  METHODS,
  OPERATOR_SCOPES,
  WireErrors,
  advertisedEvents,
  advertisedMethods,
  authorizeMethod,
  authorizeParams,
  findMethod,
  normalizeScopes,
  scopeSatisfied,
  scopesCovered,
} from "../src/index.js";
import { readFixture } from "./helpers.js";

const ISSUE_CORE_METHODS = [
  "health",
  "status",
  "system-presence",
  "system-event",
  "last-heartbeat",
  "set-heartbeats",
  "wake",
  "send",
  "agent",
  "agent.wait",
  "agent.identity.get",
  "agents.list",
  "chat.history",
  "chat.send",
  "chat.abort",
  "chat.inject",
  "sessions.list",
  "sessions.preview",
  "sessions.patch",
  "sessions.reset",
  "sessions.delete",
  "sessions.subscribe",
  "node.list",
  "node.describe",
  "node.invoke",
  "node.invoke.result",
  "node.invoke.progress",
  "node.event",
  "node.pending.drain",
  "node.pending.pull",
  "node.pending.ack",
  "node.pending.enqueue",
  "node.rename",
  "node.pair.list",
  "node.pair.approve",
  "node.pair.reject",
  "node.pair.remove",
  "device.pair.list",
  "device.pair.approve",
  "device.pair.reject",
  "device.pair.remove",
  "device.pair.rename",
  "device.token.rotate",
  "device.token.revoke",
  "channels.status",
  "channels.start",
  "channels.stop",
  "channels.logout",
  "channels.pairing.list",
  "channels.pairing.approve",
  "channels.pairing.dismiss",
  "config.get",
  "config.set",
  "config.patch",
  "config.schema",
  "logs.tail",
  "models.list",
  "commands.list",
  "cron.list",
  "cron.status",
  "cron.add",
  "cron.update",
  "cron.remove",
  "cron.run",
  "cron.runs",
  "exec.approval.request",
  "exec.approval.resolve",
];

describe("method registry", () => {
  it("holds every core method of the spec", () => {
    for (const name of [...ISSUE_CORE_METHODS, "connect"]) expect(findMethod(name), name).toBeDefined();
  });

  it("advertises from the table, leaving out connect and hidden methods", () => {
    const methods = advertisedMethods();
    expect(methods).toContain("health");
    expect(methods).not.toContain("connect");
    expect(methods).not.toContain("chat.inject");
    expect(new Set(methods).size).toBe(methods.length);
    // connect, chat.inject and our extensions (channels.outbox.*, channels.login, dashboard.code, media.get) are hidden.
    expect(methods).not.toContain("channels.outbox.list");
    expect(methods).not.toContain("channels.login");
    expect(methods).not.toContain("dashboard.code");
    expect(methods).not.toContain("media.get");
    expect(methods.length).toBe(Object.keys(METHODS).length - 8);
  });

  it("advertises only methods the real gateway advertises too", () => {
    const real = JSON.parse(readFixture("hello-ok.json")).features.methods as string[];
    for (const name of advertisedMethods()) expect(real, `real gateway advertises ${name}`).toContain(name);
  });

  it("advertises events the real gateway knows, and config.changed, which the spec documents and we emit", () => {
    const real = JSON.parse(readFixture("hello-ok.json")).features.events as string[];
    for (const name of advertisedEvents().filter((event) => event !== "config.changed")) expect(real, name).toContain(name);
    expect(real).not.toContain("config.changed");
    expect(advertisedEvents()).toEqual(Object.keys(EVENTS).filter((name) => name !== "node.invoke.progress"));
  });

  it("does not find inherited object keys", () => {
    expect(findMethod("constructor")).toBeUndefined();
    expect(findMethod("__proto__")).toBeUndefined();
  });

  it("marks side-effecting methods with their dedupe prefix", () => {
    expect(METHODS.send.idempotency).toBe("send");
    expect(METHODS.agent.idempotency).toBe("agent");
    expect(METHODS["chat.send"].idempotency).toBe("chat");
    expect(METHODS.health).not.toHaveProperty("idempotency");
  });
});

describe("scopes", () => {
  it("admin implies everything, write implies read", () => {
    for (const scope of OPERATOR_SCOPES) expect(scopeSatisfied(["operator.admin"], scope)).toBe(true);
    expect(scopeSatisfied(["operator.write"], "operator.read")).toBe(true);
    expect(scopeSatisfied(["operator.read"], "operator.write")).toBe(false);
    expect(scopeSatisfied(["operator.write"], "operator.pairing")).toBe(false);
    expect(scopeSatisfied(["operator.admin"], "operator.future")).toBe(true);
    expect(scopeSatisfied(["operator.write"], "operator.future")).toBe(false);
  });

  it("covers lists and normalizes", () => {
    expect(scopesCovered(["operator.write"], ["operator.read", "operator.write"])).toBe(true);
    expect(scopesCovered(["operator.read"], ["operator.read", "operator.pairing"])).toBe(false);
    expect(normalizeScopes([" operator.write", "operator.read", "", "operator.write"])).toEqual(["operator.read", "operator.write"]);
  });
});

describe("authorization", () => {
  const reader = { role: "operator", scopes: ["operator.read"] };
  const admin = { role: "operator", scopes: ["operator.admin"] };
  const node = { role: "node", scopes: [] };

  it("checks scope before the method is looked up", () => {
    expect(authorizeMethod(undefined, reader)).toEqual(WireErrors.missingScope("operator.admin"));
    expect(authorizeMethod(undefined, admin)).toBeUndefined();
  });

  it("answers a missing scope with the real wire shape", () => {
    expect(authorizeMethod(METHODS["system-event"], reader)).toEqual({
      code: "FORBIDDEN",
      message: "missing scope: operator.admin",
      details: { code: "MISSING_SCOPE", missingScope: "operator.admin", requiredScopes: ["operator.admin"] },
    });
    expect(authorizeMethod(METHODS.status, reader)).toBeUndefined();
  });

  it("keeps dashboard.code, which leads to the shared secret, for admins: read, write and pairing are refused", () => {
    for (const scopes of [["operator.read"], ["operator.read", "operator.write"], ["operator.pairing"]])
      expect(authorizeMethod(METHODS["dashboard.code"], { role: "operator", scopes }), scopes.join()).toEqual(WireErrors.missingScope("operator.admin"));
    expect(authorizeMethod(METHODS["dashboard.code"], admin)).toBeUndefined();
  });

  it("lets health through for every role and keeps node methods for nodes", () => {
    expect(authorizeMethod(METHODS.health, { role: "operator", scopes: [] })).toBeUndefined();
    expect(authorizeMethod(METHODS.health, node)).toBeUndefined();
    expect(authorizeMethod(METHODS["node.invoke.result"], admin)).toEqual(WireErrors.unauthorizedRole("operator"));
    expect(authorizeMethod(METHODS["node.invoke.result"], node)).toBeUndefined();
    expect(authorizeMethod(METHODS.status, node)).toEqual(WireErrors.unauthorizedRole("node"));
  });

  it("escalates on params: /reset needs admin, admin node commands need admin", () => {
    const writer = { role: "operator", scopes: ["operator.write"] };
    expect(authorizeParams(METHODS.agent, writer, { message: "/reset", idempotencyKey: "k" })).toEqual(WireErrors.missingScope("operator.admin"));
    expect(authorizeParams(METHODS.agent, writer, { message: "hello /reset", idempotencyKey: "k" })).toBeUndefined();
    expect(authorizeParams(METHODS["node.invoke"], writer, { nodeId: "n", command: "fs.listDir", idempotencyKey: "k" })).toEqual(
      WireErrors.missingScope("operator.admin"),
    );
    expect(authorizeParams(METHODS["node.invoke"], writer, { nodeId: "n", command: "camera.snap", idempotencyKey: "k" })).toBeUndefined();
    expect(authorizeParams(METHODS.agent, admin, { message: "/new", idempotencyKey: "k" })).toBeUndefined();
  });

  it("sessions.patch: a session's label, model and settings need write; runtime overrides, even cleared, need admin", () => {
    const writer = { role: "operator", scopes: ["operator.write"] };
    const patch = METHODS["sessions.patch"];
    expect(authorizeParams(patch, writer, { key: "k", label: "x", model: "a/b", thinkingLevel: "high", fastMode: true, sendPolicy: null })).toBeUndefined();
    for (const field of ["elevatedLevel", "execHost", "execSecurity", "execAsk", "execNode"]) {
      expect(authorizeParams(patch, writer, { key: "k", [field]: "x" }), field).toEqual(WireErrors.missingScope("operator.admin"));
      expect(authorizeParams(patch, writer, { key: "k", [field]: null }), field).toEqual(WireErrors.missingScope("operator.admin"));
      expect(authorizeParams(patch, admin, { key: "k", [field]: "x" }), field).toBeUndefined();
    }
  });
});

describe("wire errors", () => {
  it("reproduces the handshake error texts captured from the real gateway", () => {
    const captured = new Map<string, unknown>();
    for (const line of readFixture("handshake-errors.txt").split("\n")) {
      const match = /^(.+?) => (\{.*\})$/.exec(line);
      if (match) captured.set(match[1]!, JSON.parse(match[2]!));
    }
    expect(WireErrors.protocolMismatch(5, 5, 4, 3)).toEqual(captured.get("protocol5"));
    expect(WireErrors.deviceProof("device-signature")).toEqual(captured.get("bad-signature"));
    expect(WireErrors.deviceProof("device-nonce-mismatch")).toEqual(captured.get("wrong-nonce"));
    expect(WireErrors.deviceProof("device-id-mismatch")).toEqual(captured.get("device-id-mismatch"));
    expect(WireErrors.deviceProof("device-signature-stale")).toEqual(captured.get("stale-signedAt"));
    expect(WireErrors.authFailure("token_mismatch")).toEqual(captured.get("wrong-token"));
    expect(WireErrors.deviceIdentityRequired()).toEqual(captured.get("no-auth-no-device"));
    expect(WireErrors.firstRequestMustBeConnect()).toEqual(captured.get("method-not-connect-first"));
    expect(WireErrors.unknownMethod("no.such.method")).toEqual(captured.get("after:unknown-method-admin after"));
    expect(WireErrors.connectOnlyFirst()).toEqual(captured.get("after:second-connect-admin after"));
    expect(WireErrors.missingScope("operator.admin")).toEqual(captured.get("after:missing-scope after"));
  });

  it("rate-limited auth carries retry hints", () => {
    const error = WireErrors.authFailure("rate_limited", { retryAfterMs: 1234 });
    expect(error).toMatchObject({
      code: "INVALID_REQUEST",
      message: "unauthorized: too many failed authentication attempts (retry later)",
      retryable: true,
      retryAfterMs: 1234,
      details: { code: "AUTH_RATE_LIMITED", authReason: "rate_limited", recommendedNextStep: "wait_then_retry" },
    });
  });

  it("browser clients get the Control UI hint", () => {
    expect(WireErrors.authFailure("token_missing", { audience: "browser" }).message).toBe(
      "unauthorized: gateway token missing (open a tokenized dashboard URL or paste token in Control UI settings)",
    );
  });
});
