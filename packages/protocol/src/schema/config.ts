import { Type } from "@sinclair/typebox";
import { AnyJson, NonEmptyString, NonNegativeInt, StringRecord, closedObject, openObject } from "./primitives.js";

/** The config file as the gateway sees it on disk (secrets redacted). */
export const ConfigGetResult = openObject({
  path: Type.String(),
  exists: Type.Boolean(),
  raw: Type.Union([Type.String(), Type.Null()]),
  config: AnyJson,
  valid: Type.Boolean(),
  issues: Type.Optional(Type.Array(openObject({ path: Type.String(), message: Type.String() }))),
  hash: Type.String(),
});

export const ConfigSetParams = closedObject({
  raw: Type.String(),
  baseHash: Type.Optional(NonEmptyString),
});
export const DeliveryContext = closedObject({
  channel: Type.Optional(Type.String()),
  to: Type.Optional(Type.String()),
  accountId: Type.Optional(Type.String()),
  threadId: Type.Optional(Type.String()),
});
export const ConfigApplyParams = closedObject({
  raw: Type.String(),
  baseHash: Type.Optional(NonEmptyString),
  sessionKey: Type.Optional(Type.String()),
  deliveryContext: Type.Optional(DeliveryContext),
  note: Type.Optional(Type.String()),
  restartDelayMs: Type.Optional(NonNegativeInt),
});
export const ConfigPatchParams = closedObject({
  ...ConfigApplyParams.properties,
  replacePaths: Type.Optional(Type.Array(Type.String(), { maxItems: 256 })),
});
export const ConfigWriteResult = openObject({
  ok: Type.Literal(true),
  path: Type.String(),
  hash: Type.String(),
  config: AnyJson,
  restartRequired: Type.Optional(Type.Boolean()),
  /** A restart the gateway scheduled for this write (in place: same port, clients reconnect). */
  restart: Type.Optional(closedObject({ delayMs: NonNegativeInt })),
});
export const ConfigSchemaResult = openObject({
  schema: AnyJson,
  uiHints: StringRecord(AnyJson),
  version: Type.String(),
  generatedAt: Type.String(),
});

/** Payload of `config.changed`: never the contents. */
export const ConfigChangedEvent = openObject({ path: Type.String(), hash: Type.String(), ts: NonNegativeInt });
