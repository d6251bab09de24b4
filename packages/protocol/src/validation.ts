import type { TSchema } from "@sinclair/typebox";
import { Value } from "@sinclair/typebox/value";
import { EventFrame, ResponseFrame } from "./schema/frames.js";
import { registerProtocolKinds } from "./schema/primitives.js";

/** The fields of a validator error this package formats (Ajv's `ErrorObject` has them). */
export interface ValidationIssue {
  readonly instancePath: string;
  readonly keyword: string;
  readonly message?: string | undefined;
  readonly params?: Readonly<Record<string, unknown>>;
}

/**
 * Render validator errors the way the reference gateway does:
 * `at /client/id: must be equal to one of the allowed values`,
 * `at root: unexpected property 'foo'`, joined with `; `.
 */
export function formatValidationErrors(issues: readonly ValidationIssue[]): string {
  const parts: string[] = [];
  for (const issue of issues) {
    let text: string;
    if (issue.keyword === "additionalProperties") {
      text = `at ${issue.instancePath || "root"}: unexpected property '${String(issue.params?.["additionalProperty"])}'`;
    } else {
      const message = issue.message ?? "is invalid";
      text = issue.instancePath ? `at ${issue.instancePath}: ${message}` : message;
    }
    if (!parts.includes(text)) parts.push(text);
  }
  return parts.length > 0 ? parts.join("; ") : "is invalid";
}

const clientViews = new WeakMap<TSchema, TSchema>();

function relax(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(relax);
  if (node === null || typeof node !== "object") return node;
  const out: Record<PropertyKey, unknown> = {};
  for (const key of Reflect.ownKeys(node)) {
    const value = (node as Record<PropertyKey, unknown>)[key];
    if (key === "additionalProperties" && value === false) continue;
    out[key] = relax(value);
  }
  return out;
}

/**
 * The client-side view of a schema: the same shape, but tolerant of keys it does
 * not know, so a newer gateway never breaks an older client.
 */
export function clientView<T extends TSchema>(schema: T): T {
  registerProtocolKinds();
  let view = clientViews.get(schema);
  if (view === undefined) {
    view = relax(schema) as TSchema;
    clientViews.set(schema, view);
  }
  return view as T;
}

/** Whether a value a gateway sent fits a schema's client view. */
export function acceptsServerValue(schema: TSchema, value: unknown): boolean {
  return Value.Check(clientView(schema), value);
}

/** Why a value a gateway sent does not fit a schema's client view (empty when it fits). */
export function serverValueProblems(schema: TSchema, value: unknown): string[] {
  return [...Value.Errors(clientView(schema), value)].map((error) => `${error.path || "/"}: ${error.message}`);
}

export type ServerFrame = ResponseFrame | EventFrame;

export type ParsedServerFrame = { ok: true; frame: ServerFrame } | { ok: false; error: string };

/** Parse and check one text frame from a gateway, tolerating added fields. */
export function parseServerFrame(text: string): ParsedServerFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: "frame is not JSON" };
  }
  const type = (value as { type?: unknown } | null)?.type;
  const schema = type === "res" ? ResponseFrame : type === "event" ? EventFrame : undefined;
  if (schema === undefined) return { ok: false, error: `unexpected frame type ${JSON.stringify(type)}` };
  if (!acceptsServerValue(schema, value)) return { ok: false, error: `invalid ${String(type)} frame: ${serverValueProblems(schema, value).join("; ")}` };
  return { ok: true, frame: value as ServerFrame };
}
