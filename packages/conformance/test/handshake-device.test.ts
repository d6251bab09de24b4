import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { GatewayServer } from "@openclaw/gateway-core";
import { allChecks, runChecks, type CheckContext, type CheckOutcome } from "../src/index.js";
import { contextFor, startBrokenGateway, startGateway, type BrokenBehaviour } from "./helpers.js";

/** How the test reads the gateway's pairing records: as an admin with the shared token. */
const ADMIN = { connId: "test", deviceId: undefined, scopes: ["operator.admin"], authMethod: "token" };

async function runOne(id: string, context: CheckContext): Promise<CheckOutcome> {
  const [result] = await runChecks(
    allChecks().filter((check) => check.id === id),
    context,
  );
  if (!result) throw new Error(`no check ${id}`);
  return result;
}

describe("device-proof checks against our GatewayServer", () => {
  let server: GatewayServer;
  beforeAll(async () => {
    server = await startGateway();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it.each(["handshake.signature.v3", "handshake.signature.v2"])("%s passes under --allow-mutations and leaves no device paired or pending", async (id) => {
    const outcome = await runOne(id, { ...contextFor(server.url), allowMutations: true });
    expect(outcome).toEqual(expect.objectContaining({ status: "pass" }));
    expect(server.devices.list(ADMIN)).toMatchObject({ pending: [], paired: [] });
  });

  it("the signature checks skip without --allow-mutations, naming the flag, and pair nothing", async () => {
    for (const id of ["handshake.signature.v3", "handshake.signature.v2"]) {
      expect(await runOne(id, contextFor(server.url))).toMatchObject({ status: "skip", reason: expect.stringContaining("--allow-mutations") });
    }
    expect(server.devices.list(ADMIN)).toMatchObject({ pending: [], paired: [] });
  });

  it("handshake.nonce-replay and handshake.signed-at-skew pass and pair nothing", async () => {
    expect(await runOne("handshake.nonce-replay", contextFor(server.url))).toMatchObject({ status: "pass" });
    expect(await runOne("handshake.signed-at-skew", contextFor(server.url))).toMatchObject({ status: "pass" });
    expect(server.devices.list(ADMIN)).toMatchObject({ pending: [], paired: [] });
  });
});

describe("the signature checks' cleanup", () => {
  it("uses --admin-token when given, and fails naming the device it could not remove", async () => {
    const server = await startGateway();
    try {
      const outcome = await runOne("handshake.signature.v3", { ...contextFor(server.url), allowMutations: true, adminToken: "not-the-admin-token" });
      expect(outcome).toMatchObject({ status: "fail", detail: expect.stringMatching(/^cleanup: could not connect to remove device [0-9a-f]{64}: /) });
      expect(server.devices.list(ADMIN).paired).toHaveLength(1);
    } finally {
      await server.stop();
    }
  });
});

describe("device-proof checks against broken gateways", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function against(behaviour: BrokenBehaviour, id: string, extra: Partial<CheckContext> = {}): Promise<CheckOutcome> {
    const server = await startBrokenGateway(behaviour);
    stop = server.close;
    return runOne(id, { ...contextFor(server.url, 400), ...extra });
  }

  /** Refuse a connect the way a gateway refuses a device proof. */
  const refuse = (
    socket: { send(text: string): void; close(code: number, reason: string): void },
    id: string,
    message: string,
    code: string,
    reason: string,
  ) => {
    socket.send(JSON.stringify({ type: "res", id, ok: false, error: { code: "INVALID_REQUEST", message, details: { code, reason } } }));
    socket.close(1008, message);
  };

  it("handshake.signature.v2 fails when only v3 proofs are accepted, quoting the refusal", async () => {
    const outcome = await against(
      {
        onFrame: (socket, frame) => {
          if (frame.method !== "connect") return false;
          refuse(socket, frame.id, "device signature invalid", "DEVICE_AUTH_SIGNATURE_INVALID", "device-signature");
          return true;
        },
      },
      "handshake.signature.v2",
      { allowMutations: true },
    );
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringMatching(/^a valid v2 proof was refused: .*DEVICE_AUTH_SIGNATURE_INVALID/) });
  });

  it("handshake.signature.v3 fails when the gateway accepts the device but cannot remove it again", async () => {
    const outcome = await against(
      { answer: () => ({ ok: false, error: { code: "INVALID_REQUEST", message: "unknown method: device.pair.remove" } }) },
      "handshake.signature.v3",
      { allowMutations: true },
    );
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("cleanup: device.pair.remove") });
  });

  it("handshake.signature.v3 takes PAIRING_REQUIRED as an accepted proof and rejects the pending request it caused", async () => {
    const calls: { method: string; params: unknown }[] = [];
    const outcome = await against(
      {
        onFrame: (socket, frame) => {
          if (frame.method !== "connect" || frame.params.device === undefined) return false;
          const details = { code: "PAIRING_REQUIRED", reason: "not-paired", requestId: "req-7", deviceId: frame.params.device.id };
          socket.send(
            JSON.stringify({
              type: "res",
              id: frame.id,
              ok: false,
              error: { code: "NOT_PAIRED", message: "pairing required: device is not approved yet", details },
            }),
          );
          socket.close(1008, "pairing required: device is not approved yet (requestId: req-7)");
          return true;
        },
        answer: (frame: any) => {
          calls.push({ method: frame.method, params: frame.params });
          return { ok: true, payload: {} };
        },
      },
      "handshake.signature.v3",
      { allowMutations: true },
    );
    expect(outcome).toMatchObject({ status: "pass" });
    expect(calls).toEqual([{ method: "device.pair.reject", params: { requestId: "req-7" } }]);
  });

  it("handshake.nonce-replay fails when a nonce from another connection is taken", async () => {
    const outcome = await against({}, "handshake.nonce-replay");
    expect(outcome).toMatchObject({
      status: "fail",
      detail: expect.stringContaining("proof over an earlier connection's nonce: expected ok:false, got ok:true"),
    });
  });

  it("handshake.signed-at-skew fails for a gateway still on the old 10-minute window, naming the attempt", async () => {
    const outcome = await against(
      {
        onFrame: (socket, frame) => {
          if (frame.method !== "connect") return false;
          if (Math.abs(Date.now() - frame.params.device.signedAt) <= 10 * 60_000) return false;
          refuse(socket, frame.id, "device signature expired", "DEVICE_AUTH_SIGNATURE_EXPIRED", "device-signature-stale");
          return true;
        },
      },
      "handshake.signed-at-skew",
    );
    expect(outcome).toMatchObject({ status: "fail", detail: expect.stringContaining("signedAt 180 s old: expected ok:false, got ok:true") });
    expect(outcome).toMatchObject({ detail: expect.stringContaining("signedAt 180 s ahead: expected ok:false, got ok:true") });
  });

  it("handshake.signed-at-skew fails when a proof well inside the window is refused as expired", async () => {
    const outcome = await against(
      {
        onFrame: (socket, frame) => {
          if (frame.method !== "connect") return false;
          refuse(socket, frame.id, "device signature expired", "DEVICE_AUTH_SIGNATURE_EXPIRED", "device-signature-stale");
          return true;
        },
      },
      "handshake.signed-at-skew",
    );
    expect(outcome).toMatchObject({
      status: "fail",
      detail: expect.stringMatching(/signedAt 30 s old .*expected the proof to pass .*DEVICE_AUTH_SIGNATURE_EXPIRED/),
    });
  });
});
