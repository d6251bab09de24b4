import { describe, expect, it } from "vitest";
import {
  ClientInfo,
  ConnectParams,
  EventFrame,
  GatewayFrame,
  RequestFrame,
  ResponseFrame,
  acceptsServerValue,
  clientView,
  protocolSchemas,
} from "../src/index.js";
import { minimalExample, wrongTypeExample } from "./examples.js";
import { readFixture, strictCheck } from "./helpers.js";

function asJson(schema: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
}

describe("every named schema", () => {
  const schemas = protocolSchemas();

  it("the catalog is large and named", () => {
    expect(Object.keys(schemas).length).toBeGreaterThan(150);
    expect(schemas["ConnectParams"]).toBe(ConnectParams);
  });

  for (const [name, schema] of Object.entries(schemas)) {
    it(`${name}: accepts a minimal valid example and rejects invalid ones`, () => {
      const json = asJson(schema);
      const valid = minimalExample(json);
      expect(strictCheck(schema, valid).message).toBe("");
      expect(acceptsServerValue(schema, valid)).toBe(true);

      const wrong = wrongTypeExample(json);
      if (wrong !== undefined && typeof wrong !== "symbol") {
        expect(strictCheck(schema, wrong).ok).toBe(false);
        expect(acceptsServerValue(schema, wrong)).toBe(false);
      }

      if (json["type"] === "object" && valid !== null && typeof valid === "object") {
        const withExtra = { ...(valid as object), zzUnknownKey: 1 };
        // Closed schemas refuse unknown keys on the gateway side; the client view never does.
        expect(strictCheck(schema, withExtra).ok).toBe(json["additionalProperties"] !== false);
        expect(acceptsServerValue(schema, withExtra)).toBe(true);
        const required = (json["required"] ?? []) as string[];
        if (required.length > 0) {
          const missing = { ...(valid as Record<string, unknown>) };
          delete missing[required[0]!];
          expect(strictCheck(schema, missing).ok).toBe(false);
        }
      }
    });
  }
});

describe("gateway-side messages match the reference gateway", () => {
  const connect = JSON.parse(
    JSON.stringify({
      minProtocol: 4,
      maxProtocol: 4,
      client: { id: "cli", version: "1.0.0", platform: "linux", mode: "cli" },
    }),
  );

  it("unknown client id", () => {
    const result = strictCheck(ConnectParams, { ...connect, client: { ...connect.client, id: "nope" } });
    expect(`invalid connect params: ${result.message}`).toBe("invalid connect params: at /client/id: must be equal to one of the allowed values");
  });

  it("unexpected property at the root", () => {
    expect(strictCheck(ConnectParams, { ...connect, foo: 1 }).message).toBe("at root: unexpected property 'foo'");
  });

  it("unexpected property deeper down", () => {
    expect(strictCheck(ConnectParams, { ...connect, client: { ...connect.client, bar: 1 } }).message).toBe("at /client: unexpected property 'bar'");
  });

  it("params that are not an object", () => {
    expect(strictCheck(ConnectParams, "x").message).toBe("must be object");
  });

  it("a frame with a wrong type", () => {
    expect(strictCheck(RequestFrame, { type: "bogus", id: "1" }).message).toBe("must have required property 'method'; at /type: must be equal to constant");
  });

  it("client ids and modes are closed sets", () => {
    expect(strictCheck(ClientInfo, { id: "cli", version: "1", platform: "linux", mode: "cli" }).ok).toBe(true);
    expect(strictCheck(ClientInfo, { id: "cli", version: "1", platform: "linux", mode: "robot" }).message).toBe(
      "at /mode: must be equal to one of the allowed values",
    );
  });

  it("shared secrets are bounded, device tokens are printable ASCII", () => {
    expect(strictCheck(ConnectParams, { ...connect, auth: { token: "t".repeat(4097) } }).ok).toBe(false);
    expect(strictCheck(ConnectParams, { ...connect, auth: { deviceToken: "has space" } }).ok).toBe(false);
    expect(strictCheck(ConnectParams, { ...connect, auth: { deviceToken: "abc-DEF_123" } }).ok).toBe(true);
  });
});

describe("client view", () => {
  it("tolerates added keys at every depth but keeps required keys and types", () => {
    const hello = JSON.parse(readFixture("hello-ok.json"));
    hello.server.someFutureField = { nested: true };
    hello.snapshot.futureThing = 1;
    expect(acceptsServerValue(GatewayFrame, { type: "res", id: "1", ok: true, payload: hello, extra: 1 })).toBe(true);
    expect(acceptsServerValue(ResponseFrame, { type: "res", id: "1" })).toBe(false);
    expect(acceptsServerValue(EventFrame, { type: "event", event: "tick", seq: -1 })).toBe(false);
  });

  it("does not change the gateway-side schema", () => {
    clientView(ConnectParams);
    expect(strictCheck(ConnectParams, { minProtocol: 4, maxProtocol: 4, client: { id: "cli", version: "1", platform: "x", mode: "cli" }, extra: 1 }).ok).toBe(
      false,
    );
  });
});
