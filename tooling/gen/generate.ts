import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { ErrorCodes, MIN_CLIENT_PROTOCOL_VERSION, PROTOCOL_VERSION } from "@openclaw/protocol";
import { buildProtocolJsonSchema } from "./json-schema.js";
import { generateSwiftModels } from "./swift.js";

/** Where the committed artifacts live; `.ci/run` fails when they drift. */
export const OUTPUTS = {
  jsonSchema: fileURLToPath(new URL("../../packages/protocol/generated/protocol.schema.json", import.meta.url)),
  swift: fileURLToPath(new URL("../../packages/protocol/generated/swift/GatewayModels.swift", import.meta.url)),
};

function write(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  console.log(`wrote ${path}`);
}

const schema = buildProtocolJsonSchema();
write(OUTPUTS.jsonSchema, `${JSON.stringify(schema, null, 2)}\n`);
write(
  OUTPUTS.swift,
  generateSwiftModels(schema, {
    protocolVersion: PROTOCOL_VERSION,
    minProtocolVersion: MIN_CLIENT_PROTOCOL_VERSION,
    errorCodes: Object.values(ErrorCodes),
  }),
);
