// JSON Schema reading for the Swift generator: the document types and the small pure
// helpers the walker and the entry point share (pointers, refs, literals, canonical shapes).
import { SwiftGenError } from "./swift-decls.js";

export type JsonSchema = boolean | { readonly [key: string]: unknown };

export interface JsonSchemaDocument {
  readonly $schema?: string;
  readonly $id?: string;
  readonly title?: string;
  readonly oneOf?: readonly JsonSchema[];
  readonly discriminator?: { readonly propertyName: string };
  readonly definitions?: { readonly [name: string]: JsonSchema };
}

export type Obj = { readonly [key: string]: unknown };

// Emitted from options / the root oneOf; a same-named definition must agree and is then skipped.
export const ERROR_CODE = "ErrorCode";
export const GATEWAY_FRAME = "GatewayFrame";
const ANNOTATIONS = new Set(["description", "title", "$id", "$comment", "examples"]);

export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const ptr = (key: string): string => key.replace(/~/g, "~0").replace(/\//g, "~1");
export const defPath = (name: string): string => `#/definitions/${ptr(name)}`;
export const descr = (s: JsonSchema): string | undefined => (isObj(s) && typeof s.description === "string" ? s.description : undefined);
export const isNullSchema = (s: JsonSchema): boolean => isObj(s) && (s.type === "null" || s.const === null);
/** The `const` of property `key` of an object schema (discriminators, frame types). */
export const constAt = (s: JsonSchema, key: string): unknown => {
  const p = isObj(s) && isObj(s.properties) ? s.properties[key] : undefined;
  return isObj(p) ? p.const : undefined;
};

export function localRef(s: JsonSchema, path: string): string | undefined {
  if (!isObj(s) || s.$ref === undefined) return undefined;
  const m = typeof s.$ref === "string" ? /^#\/definitions\/(.+)$/.exec(s.$ref) : null;
  if (!m?.[1]) throw new SwiftGenError(path, `only local "#/definitions/<Name>" $refs are supported, got ${JSON.stringify(s.$ref)}`);
  return m[1].replace(/~1/g, "/").replace(/~0/g, "~");
}

/** String values of a `const`/`enum` string schema, or undefined if it is anything else. */
export function stringLiterals(s: JsonSchema): string[] | undefined {
  if (!isObj(s)) return undefined;
  if (typeof s.const === "string") return [s.const];
  if (Array.isArray(s.enum) && s.enum.length > 0 && s.enum.every((v) => typeof v === "string")) return s.enum as string[];
  return undefined;
}

/** Key-sorted JSON without annotations: equal strings mean the same Swift type. */
export function canonical(s: unknown): string {
  if (Array.isArray(s)) return `[${s.map(canonical).join(",")}]`;
  if (!isObj(s)) return JSON.stringify(s);
  const keys = Object.keys(s)
    .filter((k) => !ANNOTATIONS.has(k))
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(s[k])}`).join(",")}}`;
}

/** Whether `s` becomes a struct/enum of its own (rather than a primitive, array, record or alias). */
export function declares(s: JsonSchema): boolean {
  if (!isObj(s)) return false;
  if (isObj(s.properties) || Array.isArray(s.enum) || "allOf" in s || (s.type === "object" && s.additionalProperties === false && !isObj(s.patternProperties)))
    return true;
  const members = s.anyOf ?? s.oneOf;
  if (!Array.isArray(members)) return false;
  const rest = members.filter((m: JsonSchema) => !isNullSchema(m));
  return rest.length > 1 || (rest.length === 1 && declares(rest[0] as JsonSchema));
}

export function definitionsOf(doc: JsonSchemaDocument): Readonly<Record<string, JsonSchema>> {
  if (!isObj(doc.definitions)) throw new SwiftGenError("#/definitions", "document has no definitions object");
  return doc.definitions as Record<string, JsonSchema>;
}
