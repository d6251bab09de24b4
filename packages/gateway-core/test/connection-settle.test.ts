import { describe, expect, it } from "vitest";
import type { WebSocket } from "ws";
import type { Admission } from "../src/handshake/connect.js";
import { Connection } from "../src/transport/connection.js";

const SECRET = {
  token: "shared-secret-token",
  password: "shared-password",
  deviceToken: "presented-device-token",
  signature: "device-signature",
  issued: "issued-device-token",
};

function admittedConnection(): Connection {
  // settle() never touches the socket.
  const connection = new Connection({} as WebSocket, "127.0.0.1", { host: "gateway.test:18789", authorization: "Bearer header-secret" }, true);
  connection.admission = {
    protocol: 4,
    role: "node",
    scopes: [],
    params: {
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "node-host", version: "1.0.0", platform: "linux", mode: "node", displayName: "Kitchen" },
      caps: ["tool-events"],
      commands: ["system.run"],
      role: "node",
      auth: { token: SECRET.token, password: SECRET.password, deviceToken: SECRET.deviceToken },
      device: { id: "device-1", publicKey: "public-key", signature: SECRET.signature, signedAt: 1, nonce: "nonce" },
    },
    authMethod: "token",
    deviceId: "device-1",
    publicKey: "public-key",
    local: true,
    browser: false,
    deviceToken: { token: SECRET.issued, issuedAtMs: 1 },
  } satisfies Admission;
  return connection;
}

describe("Connection.settle", () => {
  it("drops the connect credentials, the issued device token and the upgrade headers", () => {
    const connection = admittedConnection();
    connection.settle();
    const kept = JSON.stringify({ admission: connection.admission, headers: connection.headers });
    for (const secret of [...Object.values(SECRET), "header-secret"]) expect(kept).not.toContain(secret);
    expect(connection.admission?.params.auth).toBeUndefined();
    expect(connection.admission?.params.device).toBeUndefined();
    expect(connection.admission?.deviceToken).toBeUndefined();
    expect(connection.headers).toEqual({});
    expect(connection.nonce).toBe("");
  });

  it("keeps what is read after the handshake", () => {
    const connection = admittedConnection();
    connection.settle();
    expect(connection.host).toBe("gateway.test:18789");
    expect(connection.admission).toMatchObject({ role: "node", deviceId: "device-1", publicKey: "public-key", authMethod: "token", local: true });
    expect(connection.admission?.params).toMatchObject({
      client: { id: "node-host", displayName: "Kitchen" },
      caps: ["tool-events"],
      commands: ["system.run"],
      role: "node",
    });
  });
});
