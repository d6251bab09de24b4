import { afterEach, describe, expect, it } from "vitest";
import type { GatewayServer } from "../src/index.js";
import { RawClient, connectClient, startGateway } from "./harness.js";

let server: GatewayServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

describe("one port for HTTP and WebSocket", () => {
  it("serves /healthz and /readyz, 404 for anything else", async () => {
    server = await startGateway();
    const base = `http://127.0.0.1:${server.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/../etc/passwd`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(405);
  });

  it("refuses WebSocket upgrades on other paths", async () => {
    server = await startGateway();
    await expect(RawClient.open(`ws://127.0.0.1:${server.port}/other`)).rejects.toThrow(/404/);
  });

  it("a loopback bind also listens on ::1", async () => {
    server = await startGateway({ hosts: ["127.0.0.1", "::1"] });
    const probe = await fetch(`http://[::1]:${server.port}/healthz`).catch(() => undefined);
    // Hosts without IPv6 skip the extra listener; where ::1 exists it must answer.
    if (probe !== undefined) expect(probe.status).toBe(200);
    const { client, hello } = await connectClient(server);
    expect(hello.ok).toBe(true);
    client.close();
  });

  it("fails to start on a port that is taken, naming the error", async () => {
    server = await startGateway();
    const second = startGateway({ port: server.port });
    await expect(second).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
