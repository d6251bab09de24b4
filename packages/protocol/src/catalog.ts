import type { TSchema } from "@sinclair/typebox";
import { EVENTS, METHODS } from "./registry.js";
import { DashboardRedeemError, DashboardRedeemRequest, DashboardRedeemResult } from "./schema/dashboard.js";
import { ClientInfo, ConnectAuth, ConnectChallenge, ConnectParams, DeviceProof } from "./schema/connect.js";
import { ErrorShape, MissingScopeDetails } from "./schema/errors.js";
import { CancelFrame, EventFrame, GatewayFrame, RequestFrame, ResponseFrame, StateVersion } from "./schema/frames.js";
import { HealthSnapshot, HelloOk, Policy, PresenceEntry, Snapshot } from "./schema/snapshot.js";

function pascalCase(name: string): string {
  return name
    .split(/[.\-_]/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]!.toUpperCase() + part.slice(1))
    .join("");
}

/** The definition name of a method's params or result, e.g. `node.invoke` → `NodeInvokeParams`. */
export function methodSchemaName(method: string, part: "Params" | "Result"): string {
  return `${pascalCase(method)}${part}`;
}

/** The definition name of an event's payload, e.g. `device.pair.requested` → `DevicePairRequestedEvent`. */
export function eventSchemaName(event: string): string {
  return `${pascalCase(event)}Event`;
}

/**
 * Every named schema of the protocol: the frames and handshake, then each
 * method's params and result and each event's payload, derived from the registry.
 * Generated JSON Schema and Swift models follow this order.
 */
export function protocolSchemas(): Record<string, TSchema> {
  const schemas: Record<string, TSchema> = {
    RequestFrame,
    ResponseFrame,
    EventFrame,
    CancelFrame,
    GatewayFrame,
    ErrorShape,
    MissingScopeDetails,
    StateVersion,
    ConnectChallenge,
    ClientInfo,
    DeviceProof,
    ConnectAuth,
    ConnectParams,
    PresenceEntry,
    HealthSnapshot,
    Snapshot,
    Policy,
    HelloOk,
  };
  const add = (name: string, schema: TSchema) => {
    const existing = schemas[name];
    if (existing !== undefined && existing !== schema) throw new Error(`protocol schema name ${name} is used for two different schemas`);
    schemas[name] = schema;
  };
  for (const [name, descriptor] of Object.entries(METHODS)) {
    add(methodSchemaName(name, "Params"), descriptor.params);
    add(methodSchemaName(name, "Result"), descriptor.result);
  }
  for (const [name, descriptor] of Object.entries(EVENTS)) add(eventSchemaName(name), descriptor.payload);
  // The one HTTP exchange of the protocol: the Control UI redeeming a dashboard code.
  Object.assign(schemas, { DashboardRedeemRequest, DashboardRedeemResult, DashboardRedeemError });
  return schemas;
}
