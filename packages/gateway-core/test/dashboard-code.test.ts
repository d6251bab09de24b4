import { describe, expect, it } from "vitest";
import { DASHBOARD_REDEEM_PATH } from "@openclaw/protocol";
import { DEFAULT_RATE_LIMIT, type GatewayServer, type GatewayServerOptions } from "../src/index.js";
import { TOKEN, closeAfterEach, connectClient, connectParams, startGateway, tokenAuth } from "./harness.js";

const opened = closeAfterEach();

async function start(options: Partial<GatewayServerOptions> = {}): Promise<GatewayServer> {
  const server = await startGateway({ dashboard: { path: "/" }, ...options });
  opened.gateways.push(server);
  return server;
}

async function operator(server: GatewayServer, scopes: string[]) {
  const { client, hello } = await connectClient(server, () => connectParams({ scopes }));
  opened.clients.push(client);
  expect(hello.ok).toBe(true);
  return client;
}

async function issueCode(server: GatewayServer): Promise<string> {
  const answer = await (await operator(server, ["operator.admin"])).call("dashboard.code", {});
  expect(answer.ok).toBe(true);
  return answer.payload.code as string;
}

/** POST a code the way the Control UI page does: JSON, from the gateway's own origin. */
function redeem(server: GatewayServer, code: unknown, init: { origin?: string | null; contentType?: string; method?: string } = {}) {
  const origin = init.origin === undefined ? `http://127.0.0.1:${server.port}` : init.origin;
  return fetch(`http://127.0.0.1:${server.port}${DASHBOARD_REDEEM_PATH}`, {
    method: init.method ?? "POST",
    headers: { "content-type": init.contentType ?? "application/json", ...(origin === null ? {} : { origin }) },
    ...((init.method ?? "POST") === "POST" ? { body: JSON.stringify({ code }) } : {}),
  });
}

describe("dashboard.code and the redeem route", () => {
  it("needs operator.admin: a read, write or pairing connection is refused", async () => {
    const server = await start();
    for (const scopes of [["operator.read"], ["operator.read", "operator.write"], ["operator.pairing"]]) {
      const answer = await (await operator(server, scopes)).call("dashboard.code", {});
      expect(answer.error, scopes.join()).toMatchObject({ code: "FORBIDDEN", details: { missingScope: "operator.admin" } });
    }
    const admin = await (await operator(server, ["operator.admin"])).call("dashboard.code", {});
    expect(admin.payload).toEqual({ path: "/", code: expect.stringMatching(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/), expiresAtMs: expect.any(Number) });
    // Closed params: nothing may ride along.
    expect((await (await operator(server, ["operator.admin"])).call("dashboard.code", { token: "x" })).error?.code).toBe("INVALID_REQUEST");
  });

  it("is served but not advertised: the reference gateway has no such method", async () => {
    const server = await start();
    const { client, hello } = await connectClient(server, () => connectParams({ scopes: ["operator.admin"] }));
    opened.clients.push(client);
    expect(hello.payload.features.methods).not.toContain("dashboard.code");
    expect((await client.call("dashboard.code", {})).ok).toBe(true);
  });

  it("hands the token over once, uncached; the second redeem of the same code is refused", async () => {
    const server = await start();
    const code = await issueCode(server);
    const first = await redeem(server, code);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("no-store");
    expect(await first.json()).toEqual({ auth: "token", secret: TOKEN });

    const second = await redeem(server, code);
    expect(second.status).toBe(401);
    expect(await second.json()).toEqual({ error: { reason: "used-code", message: expect.stringContaining("already used") } });
  });

  it("hands over the password on a password gateway", async () => {
    const server = await start({ auth: tokenAuth({ mode: "password", token: undefined, password: "hunter2-but-longer" }) });
    const { client } = await connectClient(server, () => connectParams({ scopes: ["operator.admin"], auth: { password: "hunter2-but-longer" } }));
    opened.clients.push(client);
    const { payload } = await client.call("dashboard.code", {});
    expect(await (await redeem(server, payload.code)).json()).toEqual({ auth: "password", secret: "hunter2-but-longer" });
  });

  it("refuses a wrong code, counts it against the failed-auth limit, and locks the origin out", async () => {
    const server = await start({ auth: tokenAuth({ rateLimit: { ...DEFAULT_RATE_LIMIT, maxAttempts: 3 } }) });
    const code = await issueCode(server);
    const wrong = code.slice(0, -1) + (code.endsWith("0") ? "1" : "0");
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const refused = await redeem(server, wrong);
      expect(refused.status).toBe(401);
      expect(await refused.json()).toMatchObject({ error: { reason: "unknown-code", message: expect.stringContaining("not valid") } });
    }
    // Locked out: not even the right code is looked at, so it stays unused.
    const locked = await redeem(server, code);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await locked.json()).toMatchObject({ error: { reason: "rate-limited", retryAfterMs: expect.any(Number) } });
    expect(server.limiter.retryAfterMs({ address: "127.0.0.1", loopback: true, origin: `http://127.0.0.1:${server.port}` }, "dashboard-code")).toBeGreaterThan(
      0,
    );
    // Other credential classes keep their own buckets: the token still connects.
    expect((await connectClient(server, () => connectParams())).hello.ok).toBe(true);
  });

  it("refuses cross-origin pages and requests without an Origin, leaving the code unused", async () => {
    const server = await start();
    const code = await issueCode(server);
    for (const origin of ["http://evil.example", `http://localhost.evil.example:${server.port}`, "null", null]) {
      const refused = await redeem(server, code, { origin });
      expect(refused.status, String(origin)).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { reason: "cross-origin" } });
    }
    // A form post (no JSON) and other methods are refused too.
    expect((await redeem(server, code, { contentType: "text/plain" })).status).toBe(400);
    expect((await redeem(server, code, { method: "GET" })).status).toBe(405);
    expect((await redeem(server, { code }, {})).status).toBe(400);
    expect((await redeem(server, code)).status).toBe(200);
  });

  it("an allowed origin may redeem, as it may open the WebSocket", async () => {
    const server = await start({ allowedOrigins: ["https://control.example"] });
    const code = await issueCode(server);
    expect((await redeem(server, code, { origin: "https://control.example" })).status).toBe(200);
  });

  it("with auth mode none there is nothing to hand over: the path alone", async () => {
    const server = await start({ auth: tokenAuth({ mode: "none", token: undefined }) });
    const { payload } = await (await operator(server, ["operator.admin"])).call("dashboard.code", {});
    expect(payload).toEqual({ path: "/" });
  });

  it("without the Control UI there is no method and no route", async () => {
    const server = await startGateway();
    opened.gateways.push(server);
    const admin = await operator(server, ["operator.admin"]);
    expect((await admin.call("dashboard.code", {})).error?.code).toBe("INVALID_REQUEST");
    expect((await redeem(server, "0000")).status).toBe(404);
  });

  it("stopping the gateway forgets its codes", async () => {
    const server = await start();
    await issueCode(server);
    const codes = (server as unknown as { dashboardCodes: { size: number } }).dashboardCodes;
    expect(codes.size).toBe(1);
    await server.stop();
    expect(codes.size).toBe(0);
  });
});
