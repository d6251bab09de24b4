// What serve answers: the real 2026.9.6 payloads, with hello-ok cut down to the fields the
// closed HelloOk schema declares (§2.7), so a strict client can parse every byte of it.
import { randomUUID } from "node:crypto";
import { HelloOk, MAX_BUFFERED_BYTES, MAX_PAYLOAD_BYTES, PROTOCOL_VERSION } from "@openclaw/protocol";
import { HEALTH_FIXTURE, HELLO_OK_FIXTURE, STATUS_FIXTURE } from "./fixture.js";

/** The methods serve answers, and so advertises in `features.methods`. */
export const SERVED_METHODS = ["health", "status", "system-presence"] as const;

/** The events serve sends, and so advertises in `features.events`. */
export const SERVED_EVENTS = ["connect.challenge", "presence", "tick", "shutdown"] as const;

type Json = unknown;

/** The parts of a JSON schema the projection follows. */
interface SchemaNode {
  readonly properties?: Readonly<Record<string, SchemaNode>>;
  readonly items?: SchemaNode;
  readonly patternProperties?: Readonly<Record<string, SchemaNode>>;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * `value` with every key the schema does not declare removed, at every depth the schema
 * describes (objects, arrays, records). Values under unions are kept as they are.
 */
export function projectToSchema(schema: object, value: Json): Json {
  const node = schema as SchemaNode;
  if (Array.isArray(value)) return node.items ? value.map((item) => projectToSchema(node.items!, item)) : value;
  if (!isPlainObject(value)) return value;
  if (node.properties) {
    const out: Record<string, Json> = {};
    for (const [key, inner] of Object.entries(value)) {
      const declared = node.properties[key];
      if (declared) out[key] = projectToSchema(declared, inner);
    }
    return out;
  }
  const valueSchema = node.patternProperties ? Object.values(node.patternProperties)[0] : undefined;
  if (valueSchema) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, projectToSchema(valueSchema, inner)]));
  return value;
}

export interface HelloOptions {
  readonly role: string;
  readonly scopes: readonly string[];
  /** Issued to a connection that proved a device. */
  readonly deviceToken?: string | undefined;
  readonly tickIntervalMs: number;
  /** The `presence` state version of this connection's snapshot. */
  readonly presenceVersion: number;
}

const clone = <T>(value: T): T => structuredClone(value);

/**
 * hello-ok: the 2026.9.6 capture projected onto HelloOk, with this connection's id, the role and
 * scopes the client asked for (serve grants them all), and what serve actually serves.
 */
export function buildHelloOk(options: HelloOptions): HelloOk {
  const base = projectToSchema(HelloOk, clone(HELLO_OK_FIXTURE)) as Record<string, any>;
  const now = Date.now();
  const auth: Record<string, unknown> = { ...base["auth"], role: options.role, scopes: [...options.scopes], issuedAtMs: now };
  delete auth["deviceToken"];
  if (options.deviceToken !== undefined) auth["deviceToken"] = options.deviceToken;
  return {
    ...base,
    type: "hello-ok",
    protocol: PROTOCOL_VERSION,
    server: { ...base["server"], connId: randomUUID() },
    features: { methods: [...SERVED_METHODS], events: [...SERVED_EVENTS] },
    snapshot: { ...base["snapshot"], stateVersion: { presence: options.presenceVersion, health: 1 } },
    auth,
    policy: { ...base["policy"], maxPayload: MAX_PAYLOAD_BYTES, maxBufferedBytes: MAX_BUFFERED_BYTES, tickIntervalMs: options.tickIntervalMs },
  } as HelloOk;
}

/** The `health` result: the capture, stamped now. */
export const healthPayload = (): Json => ({ ...clone(HEALTH_FIXTURE), ts: Date.now() });

/** The `status` result: the capture. */
export const statusPayload = (): Json => clone(STATUS_FIXTURE);

/** The `system-presence` result: the capture's presence table. */
export const presencePayload = (): Json => clone(HELLO_OK_FIXTURE.snapshot.presence);
