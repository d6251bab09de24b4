import { Kind, Type, TypeRegistry, type ObjectOptions, type SchemaOptions, type TProperties, type TSchema, type TUnsafe } from "@sinclair/typebox";

/** A JSON string with at least one character. */
export const NonEmptyString = Type.String({ minLength: 1 });

/** A non-negative integer (epoch milliseconds, counters, sizes). */
export const NonNegativeInt = Type.Integer({ minimum: 0 });

/** An object that rejects unknown keys: what the gateway accepts from clients. */
export function closedObject<T extends TProperties>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: false });
}

/**
 * An object that tolerates added keys: results and event payloads whose exact shape
 * varies between gateway builds.
 */
export function openObject<T extends TProperties>(properties: T, options: ObjectOptions = {}) {
  return Type.Object(properties, { ...options, additionalProperties: true });
}

const STRING_ENUM_KIND = "StringEnum";

/**
 * A closed set of strings encoded as JSON Schema `enum`, so validators report
 * "must be equal to one of the allowed values" as the reference gateway does.
 */
export function StringEnum<const T extends readonly string[]>(values: T, options: SchemaOptions = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ ...options, [Kind]: STRING_ENUM_KIND, type: "string", enum: [...values] });
}

/** Lets TypeBox's own checker understand {@link StringEnum}; called before any `Value` use. */
export function registerProtocolKinds(): void {
  if (TypeRegistry.Has(STRING_ENUM_KIND)) return;
  TypeRegistry.Set<{ enum: string[] }>(STRING_ENUM_KIND, (schema, value) => typeof value === "string" && schema.enum.includes(value));
}

/** Any JSON value. */
export const AnyJson = Type.Unknown();

/** A string-keyed map. */
export function StringRecord<T extends TSchema>(value: T) {
  return Type.Record(Type.String(), value);
}
