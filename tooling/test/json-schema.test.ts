import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { ErrorCodes, MIN_CLIENT_PROTOCOL_VERSION, PROTOCOL_VERSION, protocolSchemas } from "@openclaw/protocol";
import { buildProtocolJsonSchema } from "../gen/json-schema.js";
import { generateSwiftModels, swiftTypeNames } from "../gen/swift.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/openclaw-2026.9.6/", import.meta.url));
const GENERATED = fileURLToPath(new URL("../../packages/protocol/generated/", import.meta.url));

function fixtureFrames(): Record<string, unknown>[] {
  const frames: Record<string, unknown>[] = [];
  for (const file of ["gateway-call-health.jsonl", "logs.jsonl", "tui.jsonl", "status-remote-config.jsonl"]) {
    for (const line of readFileSync(`${FIXTURES}frames/${file}`, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const frame = (JSON.parse(line) as { frame?: Record<string, unknown> }).frame;
      if (frame && frame["truncated"] !== true) frames.push(frame);
    }
  }
  return frames;
}

describe("generated JSON Schema", () => {
  const doc = buildProtocolJsonSchema();
  const ajv = new Ajv({ allErrors: true, strict: false, discriminator: true });
  ajv.addSchema(doc, "protocol");

  it("names every schema of the catalog", () => {
    expect(Object.keys(doc.definitions)).toEqual(Object.keys(protocolSchemas()));
    expect(Object.keys(doc.definitions).length).toBeGreaterThan(150);
  });

  it("compiles in Ajv, and the captured client frames validate against the root", () => {
    const validate = ajv.getSchema("protocol")!;
    const sent = fixtureFrames().filter((frame) => frame["type"] === "req");
    expect(sent.length).toBeGreaterThan(10);
    for (const frame of sent) expect(validate(frame), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ type: "req", id: "1" })).toBe(false);
    expect(validate({ type: "nope" })).toBe(false);
  });

  it("captured server payloads validate against their definitions", () => {
    const hello = JSON.parse(readFileSync(`${FIXTURES}hello-ok.json`, "utf8"));
    const health = JSON.parse(readFileSync(`${FIXTURES}health.json`, "utf8"));
    expect(ajv.validate("protocol#/definitions/HelloOk", hello), JSON.stringify(ajv.errors)).toBe(true);
    expect(ajv.validate("protocol#/definitions/HealthSnapshot", health)).toBe(true);
    expect(ajv.validate("protocol#/definitions/ConnectParams", { minProtocol: 4 })).toBe(false);
  });

  it("the committed file is what the generator writes", () => {
    expect(readFileSync(`${GENERATED}protocol.schema.json`, "utf8")).toBe(`${JSON.stringify(doc, null, 2)}\n`);
  });
});

describe("generated Swift models", () => {
  const doc = buildProtocolJsonSchema();
  const swift = generateSwiftModels(doc, {
    protocolVersion: PROTOCOL_VERSION,
    minProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
    errorCodes: Object.values(ErrorCodes),
  });

  it("has a type for every named definition", () => {
    const names = swiftTypeNames(doc);
    expect(Object.keys(names)).toEqual(Object.keys(doc.definitions));
    for (const typeName of new Set(Object.values(names))) {
      expect(swift, typeName).toMatch(new RegExp(`public (struct|enum|typealias) ${typeName}\\b`));
    }
  });

  it("carries the version constants and the error codes", () => {
    expect(swift).toContain(`public let GATEWAY_PROTOCOL_VERSION = ${PROTOCOL_VERSION}`);
    for (const code of Object.values(ErrorCodes)) expect(swift).toContain(`"${code}"`);
  });

  it("the committed snapshot is what the generator writes (no swiftc on this machine)", () => {
    expect(readFileSync(`${GENERATED}swift/GatewayModels.swift`, "utf8")).toBe(swift);
  });
});
