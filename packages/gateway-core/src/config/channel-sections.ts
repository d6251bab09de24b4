import type { TObject, TSchema } from "@sinclair/typebox";
import { DM_POLICY_MODES, GROUP_POLICY_MODES } from "@openclaw/channel-kit";
import { StringEnum, Type, closedObject } from "@openclaw/protocol";

/** The settings schema of each channel a gateway can run, by channel id: each adapter's `configSchema`. */
export type ChannelConfigSchemas = Readonly<Record<string, TObject>>;

const SenderList = Type.Array(Type.String(), { description: "a list of sender ids" });

/** Settings the core reads from `channels.<id>` and from each of its accounts; the adapter reads its own keys. */
export const CHANNEL_POLICY_SETTINGS = {
  enabled: Type.Boolean(),
  dmPolicy: StringEnum(DM_POLICY_MODES),
  allowFrom: SenderList,
  groupPolicy: StringEnum(GROUP_POLICY_MODES),
  groupAllowFrom: SenderList,
  /** Per-group settings by chat id, or `"*"` for every group. */
  groups: Type.Record(Type.String(), closedObject({ requireMention: Type.Optional(Type.Boolean()) })),
  /** Capped by the channel's own maximum when the account starts. */
  textChunkLimit: Type.Integer({ minimum: 1 }),
  chunkMode: StringEnum(["length", "paragraph"] as const),
  maxLinesPerMessage: Type.Integer({ minimum: 1, maximum: 10_000 }),
  /** The largest inbound file downloaded for the agent, in megabytes; larger ones are refused with a reply. */
  mediaMaxMb: Type.Number({ exclusiveMinimum: 0, maximum: 2048, description: "megabytes above 0 (at most 2048)" }),
  /** Mark a message read on the provider when it starts an agent run (channels that have receipts). @default false */
  readReceipts: Type.Boolean(),
} satisfies Record<string, TSchema>;

/**
 * `schema` with channel-kit's `secret: true` turned into the standard `writeOnly: true` at every
 * depth: strict JSON Schema tools accept it, and the validator still never echoes the value.
 */
function withWriteOnlySecrets(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withWriteOnlySecrets);
  if (schema === null || typeof schema !== "object") return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "secret") {
      if (value === true) out["writeOnly"] = true;
    } else out[key] = withWriteOnlySecrets(value);
  }
  return out;
}

/** Every key optional: a section or account may set any of them, and an account inherits the rest from its section. */
function optional(properties: Record<string, TSchema>): Record<string, TSchema> {
  const out: Record<string, TSchema> = {};
  for (const [key, value] of Object.entries(properties)) out[key] = Type.Optional(value);
  return out;
}

/**
 * `channels.<id>` for one channel: the core's policy settings and the adapter's own, closed. Without
 * `accounts` the section is the `default` account; with it, each account takes the same keys and
 * inherits the section's. Keys the adapter requires are optional here, because they may come from
 * the section, a file or the environment: the adapter checks them when the account starts.
 */
export function channelSectionSchema(adapter: TObject): TObject {
  const adapterSettings: Record<string, TSchema> = {};
  for (const [key, value] of Object.entries(adapter.properties)) adapterSettings[key] = Type.Unsafe(withWriteOnlySecrets(value) as object);
  const account = optional({ ...CHANNEL_POLICY_SETTINGS, ...adapterSettings });
  return closedObject({
    ...account,
    accounts: Type.Optional(Type.Record(Type.String(), closedObject(account), { description: "accounts by id" })),
    defaultAccount: Type.Optional(Type.String({ minLength: 1 })),
  });
}

/** The `channels` section of a gateway that can run exactly `channels`: an unknown channel id is refused. */
export function channelsSchema(channels: ChannelConfigSchemas): TObject {
  const sections: Record<string, TSchema> = {};
  for (const [id, schema] of Object.entries(channels)) sections[id] = Type.Optional(channelSectionSchema(schema));
  return closedObject(sections);
}
