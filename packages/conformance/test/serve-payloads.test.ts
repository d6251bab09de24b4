import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { HelloOk } from "@openclaw/protocol";
import { HEALTH_FIXTURE, HELLO_OK_FIXTURE, STATUS_FIXTURE } from "../src/serve/fixture.js";
import { buildHelloOk } from "../src/serve/payloads.js";

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../../fixtures/openclaw-2026.9.6/${name}`, import.meta.url), "utf8"));

/** The schema with every object closed, as the spec's HelloOkSchema is (§2.7). */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) out[key] = closed(value);
  if ("properties" in out) out["additionalProperties"] = false;
  return out;
}

describe("what serve answers", () => {
  it("is the 2026.9.6 capture, verbatim (hello-ok without features)", () => {
    const { features: _features, ...hello } = fixture("hello-ok.json");
    expect(HELLO_OK_FIXTURE).toEqual(hello);
    expect(HEALTH_FIXTURE).toEqual(fixture("health.json"));
    expect(STATUS_FIXTURE).toEqual(fixture("status.json"));
  });

  it("hello-ok fits the closed HelloOk schema, with the client's role and scopes and what serve serves", () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(closed(JSON.parse(JSON.stringify(HelloOk))) as object);
    const hello = buildHelloOk({ role: "operator", scopes: ["operator.read"], deviceToken: "t-1", tickIntervalMs: 30_000, presenceVersion: 1 });
    const valid = validate(hello);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(hello.auth).toMatchObject({ role: "operator", scopes: ["operator.read"], deviceToken: "t-1" });
    expect(hello.features).toEqual({ methods: ["health", "status", "system-presence"], events: ["connect.challenge", "presence", "tick", "shutdown"] });
    // The capture's snapshot survives the projection.
    expect(hello.snapshot.sessionDefaults?.mainSessionKey).toBe("agent:main:main");
  });

  it("the projection drops what the closed schema does not declare, so the raw capture would not fit", () => {
    const validate = new Ajv({ allErrors: true, strict: true }).compile(closed(JSON.parse(JSON.stringify(HelloOk))) as object);
    expect(validate(fixture("hello-ok.json"))).toBe(false);
    expect(validate.errors?.map((error) => error.params["additionalProperty"])).toContain("controlUiLinkReaders");
  });
});
