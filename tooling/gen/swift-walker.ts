// Walks a JSON Schema into the Swift declaration model (swift-decls.ts): one Walker per
// document; `typeOf` resolves a schema to a Swift type and records the declarations it needs
// in `decls`, parents ahead of the nested types they create.
import { SwiftGenError, type StructDecl, type SwiftDecl, type SwiftProp, type UnionCase } from "./swift-decls.js";
import { camel, pascal, swiftString, uniqueNames } from "./swift-names.js";
import {
  GATEWAY_FRAME,
  canonical,
  constAt,
  declares,
  defPath,
  descr,
  isNullSchema,
  isObj,
  localRef,
  ptr,
  stringLiterals,
  type JsonSchema,
  type Obj,
} from "./swift-schema.js";

export interface Resolved {
  readonly type: string; // never Optional; nullability travels separately
  readonly nullable: boolean;
}

const ANY: Resolved = { type: "AnyCodable", nullable: false };
const PRIMITIVES: Readonly<Record<string, string>> = { string: "String", integer: "Int", number: "Double", boolean: "Bool" };
// Keywords that change the shape of valid data in ways a Codable model cannot express.
// Pure validation keywords (minLength, pattern, format, minimum, ...) are ignored on purpose.
const UNSUPPORTED = ["not", "if", "then", "else", "dependencies", "dependentSchemas", "prefixItems", "$recursiveRef", "$dynamicRef"];

export class Walker {
  readonly decls: (SwiftDecl | undefined)[] = [];
  private readonly claimed = new Map<string, string>(); // Swift type name -> JSON pointer that owns it
  private readonly shapes = new Map<string, string>(); // canonical schema -> first definition with it

  constructor(
    readonly defs: Readonly<Record<string, JsonSchema>>,
    readonly names: Record<string, string>,
  ) {
    for (const [def, name] of Object.entries(names)) {
      this.claimed.set(name, defPath(def));
      const schema = defs[def];
      if (def === GATEWAY_FRAME || schema === undefined || !declares(schema)) continue;
      const shape = canonical(schema);
      if (!this.shapes.has(shape)) this.shapes.set(shape, def);
    }
  }

  /** Reserves a generated type name. The same name may be re-claimed from below its owner
   *  (a hint passed down unchanged, e.g. through `T | null`), never from elsewhere. */
  private claim(name: string, path: string): number {
    const owner = this.claimed.get(name);
    if (owner !== undefined && path !== owner && !path.startsWith(`${owner}/`)) {
      throw new SwiftGenError(path, `generated Swift type name "${name}" is already used by ${owner}; move one into its own definition`);
    }
    this.claimed.set(name, owner ?? path);
    this.decls.push(undefined); // placeholder keeps parents ahead of the nested types they create
    return this.decls.length - 1;
  }

  private schemaAt(def: string, path: string): JsonSchema {
    const s = this.defs[def];
    if (s === undefined) throw new SwiftGenError(path, `$ref to missing definition "${def}"`);
    return s;
  }

  /** Follows $ref chains (cycle-safe) to the schema that actually describes the value. */
  deref(s: JsonSchema, path: string, seen = new Set<string>()): JsonSchema {
    const ref = localRef(s, path);
    if (ref === undefined) return s;
    if (seen.has(ref)) throw new SwiftGenError(path, `$ref cycle through "${ref}"`);
    seen.add(ref);
    return this.deref(this.schemaAt(ref, path), defPath(ref), seen);
  }

  /** Whether values of `s` may be JSON null; must agree with what `typeOf` reports. */
  nullable(s: JsonSchema, path: string, seen = new Set<string>()): boolean {
    if (!isObj(s)) return false;
    const ref = localRef(s, path);
    if (ref !== undefined) {
      if (seen.has(ref)) return false;
      seen.add(ref);
      return this.nullable(this.schemaAt(ref, path), defPath(ref), seen);
    }
    if (isNullSchema(s) || (Array.isArray(s.type) && s.type.includes("null"))) return true;
    const members = s.anyOf ?? s.oneOf;
    return Array.isArray(members) && members.some((m: JsonSchema) => isNullSchema(m) || this.nullable(m, path, seen));
  }

  typeOf(s: JsonSchema, hint: string, path: string): Resolved {
    if (s === true) return ANY;
    if (!isObj(s)) throw new SwiftGenError(path, "schema `false` matches nothing and has no Swift type");
    for (const k of UNSUPPORTED) if (k in s) throw new SwiftGenError(path, `unsupported keyword "${k}"`);
    const ref = localRef(s, path);
    if (ref !== undefined) {
      this.schemaAt(ref, path);
      return { type: this.names[ref] ?? pascal(ref), nullable: this.nullable(s, path) };
    }
    // TypeBox inlines referenced schemas instead of emitting $ref; reuse the named
    // definition's struct/enum rather than generating a structurally identical copy.
    const same = this.shapes.get(canonical(s));
    if (same !== undefined && defPath(same) !== path) return { type: this.names[same] ?? pascal(same), nullable: this.nullable(s, path) };
    if (Array.isArray(s.type)) {
      // `type: ["object", "null"]` is a union spelled differently; each member keeps the other keywords.
      const { type, description, ...rest } = s;
      return this.typeOf({ description, anyOf: (type as unknown[]).map((t) => ({ ...rest, type: t })) }, hint, path);
    }
    for (const key of ["anyOf", "oneOf"] as const) if (key in s) return this.union(s, key, hint, path);
    if ("allOf" in s) return this.typeOf(this.mergeAllOf(s, path), hint, path);
    if ("const" in s) return this.constType(s.const, path);
    if (Array.isArray(s.enum)) {
      const values = s.enum as unknown[];
      if (values.length > 0 && values.every((v) => typeof v === "string")) return this.stringEnum(values as string[], hint, path, descr(s));
      if (values.length > 0 && values.every((v) => typeof v === "number")) return this.constType(values.every(Number.isInteger) ? 0 : 0.5, path);
      throw new SwiftGenError(path, "enum must be all strings or all numbers");
    }
    const type = s.type ?? ("properties" in s || "patternProperties" in s || "additionalProperties" in s ? "object" : "items" in s ? "array" : undefined);
    const primitive = typeof type === "string" ? PRIMITIVES[type] : undefined;
    if (primitive !== undefined) return { type: primitive, nullable: false };
    switch (type) {
      case undefined:
        return ANY; // `{}` or annotations only: any JSON value
      case "null":
        return { ...ANY, nullable: true }; // Swift has no null-only type; AnyCodable? carries it
      case "array": {
        if (Array.isArray(s.items)) throw new SwiftGenError(path, "tuple arrays (items: [...]) are not supported");
        if (s.items === undefined) return { type: "[AnyCodable]", nullable: false };
        const item = this.typeOf(s.items as JsonSchema, `${hint}Item`, `${path}/items`);
        return { type: `[${item.type}${item.nullable ? "?" : ""}]`, nullable: false };
      }
      case "object":
        return this.objectType(s, hint, path);
      default:
        throw new SwiftGenError(path, `unsupported type ${JSON.stringify(type)}`);
    }
  }

  private constType(value: unknown, path: string): Resolved {
    // A lone const is typed by its JSON type; schema validation (not Swift) pins the value.
    if (typeof value === "string") return { type: "String", nullable: false };
    if (typeof value === "boolean") return { type: "Bool", nullable: false };
    if (typeof value === "number") return { type: Number.isInteger(value) ? "Int" : "Double", nullable: false };
    if (value === null) return { ...ANY, nullable: true };
    throw new SwiftGenError(path, "object/array const values are not supported");
  }

  private mergeAllOf(s: Obj, path: string): Obj {
    const { allOf, ...rest } = s;
    if (!Array.isArray(allOf)) throw new SwiftGenError(path, "allOf must be an array");
    const properties: Record<string, unknown> = {};
    const required = new Set<string>();
    allOf.forEach((m: JsonSchema, i: number) => {
      const p = `${path}/allOf/${i}`;
      let member = this.deref(m, p);
      if (isObj(member) && "allOf" in member) member = this.mergeAllOf(member, p);
      if (!isObj(member) || !isObj(member.properties)) throw new SwiftGenError(p, "allOf is only supported over object schemas with properties");
      Object.assign(properties, member.properties);
      if (Array.isArray(member.required)) for (const r of member.required) required.add(String(r));
    });
    return { ...rest, type: "object", properties, required: [...required] };
  }

  private objectType(s: Obj, hint: string, path: string): Resolved {
    if (isObj(s.properties)) {
      this.struct(s, hint, path);
      return { type: hint, nullable: false };
    }
    if (isObj(s.patternProperties)) {
      // Records: TypeBox emits one pattern ("^(.*)$"); keys become plain String either way.
      const entries = Object.entries(s.patternProperties);
      const first = entries[0];
      if (!first || entries.some(([, v]) => JSON.stringify(v) !== JSON.stringify(first[1]))) {
        throw new SwiftGenError(`${path}/patternProperties`, "patternProperties must have exactly one value schema");
      }
      return this.record(first[1] as JsonSchema, hint, `${path}/patternProperties/${ptr(first[0])}`);
    }
    const ap = s.additionalProperties;
    if (ap === false) {
      this.struct(s, hint, path); // closed empty object
      return { type: hint, nullable: false };
    }
    if (ap === undefined || ap === true) return { type: "[String: AnyCodable]", nullable: false };
    return this.record(ap as JsonSchema, hint, `${path}/additionalProperties`);
  }

  private record(value: JsonSchema, hint: string, path: string): Resolved {
    const v = this.typeOf(value, `${hint}Value`, path);
    return { type: `[String: ${v.type}${v.nullable ? "?" : ""}]`, nullable: false };
  }

  private struct(s: Obj, name: string, path: string): void {
    const slot = this.claim(name, path);
    const props = isObj(s.properties) ? s.properties : {};
    const required = new Set(Array.isArray(s.required) ? s.required.map(String) : []);
    const keys = Object.keys(props);
    const ap = s.additionalProperties;
    const hasExtras = ap === true || isObj(ap);
    const idents = uniqueNames([...keys.map(camel), ...(hasExtras ? ["additionalProperties"] : [])]);
    const out: SwiftProp[] = keys.map((key, i) => {
      const schema = props[key] as JsonSchema;
      const r = this.typeOf(schema, `${name}${pascal(key)}`, `${path}/properties/${ptr(key)}`);
      const isRequired = required.has(key);
      const lit = stringLiterals(schema);
      // A required string const (e.g. a discriminator) gets a default so callers need not repeat it.
      const fixed = isObj(schema) && typeof schema.const === "string" && isRequired ? swiftString(schema.const) : undefined;
      const doc = descr(schema) ?? (lit?.length === 1 ? `Always ${swiftString(lit[0] ?? "")}.` : undefined);
      const optional = !isRequired || r.nullable;
      return { jsonKey: key, name: idents[i] ?? camel(key), type: r.type, optional, encodeNull: isRequired && r.nullable, doc, defaultValue: fixed };
    });
    let extras: StructDecl["extras"];
    if (hasExtras) {
      const v = ap === true ? ANY : this.typeOf(ap as JsonSchema, `${name}AdditionalProperty`, `${path}/additionalProperties`);
      extras = { name: idents[keys.length] ?? "additionalProperties", valueType: `${v.type}${v.nullable ? "?" : ""}` };
    }
    this.decls[slot] = { kind: "struct", name, doc: descr(s), props: out, extras };
  }

  private stringEnum(values: readonly string[], name: string, path: string, doc: string | undefined): Resolved {
    const slot = this.claim(name, path);
    this.decls[slot] = { kind: "stringEnum", name, doc, values: [...new Set(values)] };
    return { type: name, nullable: false };
  }

  private union(s: Obj, key: "anyOf" | "oneOf", hint: string, path: string): Resolved {
    const members = s[key];
    if (!Array.isArray(members) || members.length === 0) throw new SwiftGenError(path, `${key} must be a non-empty array`);
    let nullable = false;
    const rest: { schema: JsonSchema; path: string }[] = [];
    members.forEach((m: JsonSchema, i: number) => {
      if (isNullSchema(m)) nullable = true;
      else rest.push({ schema: m, path: `${path}/${key}/${i}` });
    });
    const only = rest[0];
    if (!only) return { ...ANY, nullable: true };
    if (rest.length === 1) {
      // `T | null`: same type, flagged nullable (becomes `T?` at the use site).
      const r = this.typeOf(only.schema, hint, only.path);
      return { type: r.type, nullable: nullable || r.nullable };
    }
    const lits = rest.map((m) => stringLiterals(m.schema));
    if (lits.every((l) => l !== undefined)) return { ...this.stringEnum(lits.flat(), hint, path, descr(s)), nullable };
    const consts = rest.map((m) => (isObj(m.schema) ? m.schema.const : undefined));
    if (consts.every((c) => typeof c === "number")) return { ...this.constType(consts.every(Number.isInteger) ? 0 : 0.5, path), nullable };
    if (consts.every((c) => typeof c === "boolean")) return { type: "Bool", nullable };
    return { type: hint, nullable: this.unionEnum(rest, hint, path, descr(s)) || nullable };
  }

  /** Object members that all carry a required string const under one key -> that key. */
  private discriminator(members: readonly { schema: JsonSchema; path: string }[]): { key: string; tags: string[] } | undefined {
    const objs = members.map((m) => this.deref(m.schema, m.path));
    const first = objs[0];
    if (!isObj(first) || !isObj(first.properties)) return undefined;
    for (const key of Object.keys(first.properties)) {
      const tags = objs.map((o) => {
        const tag = isObj(o) && Array.isArray(o.required) && o.required.includes(key) ? constAt(o, key) : undefined;
        return typeof tag === "string" ? tag : undefined;
      });
      if (tags.every((t) => t !== undefined) && new Set(tags).size === tags.length) return { key, tags };
    }
    return undefined;
  }

  /** Enum with associated values; returns whether any member admitted null. */
  private unionEnum(members: readonly { schema: JsonSchema; path: string }[], name: string, path: string, doc: string | undefined): boolean {
    const slot = this.claim(name, path);
    const disc = this.discriminator(members);
    const baseNames = members.map((m, i) => (disc ? camel(disc.tags[i] ?? "") : this.caseName(m.schema, m.path)));
    const caseNames = uniqueNames(baseNames);
    let nullable = false;
    const cases: UnionCase[] = members.map((m, i) => {
      const caseName = caseNames[i] ?? `case${i}`;
      const lit = stringLiterals(m.schema);
      if (!disc && lit?.length === 1) return { name: caseName, literal: lit[0] };
      const r = this.typeOf(m.schema, `${name}${pascal(caseName)}`, m.path);
      nullable ||= r.nullable;
      return { name: caseName, payload: r.type, tag: disc?.tags[i] };
    });
    this.decls[slot] = { kind: "union", name, doc, cases, discriminator: disc?.key };
    return nullable;
  }

  /** Case name from the member's shape, before de-duplication. */
  private caseName(s: JsonSchema, path: string): string {
    if (!isObj(s)) return "any";
    const ref = localRef(s, path);
    if (ref !== undefined) return camel(this.names[ref] ?? ref);
    const lit = stringLiterals(s);
    if (lit?.length === 1) return camel(lit[0] ?? "");
    if (s.anyOf !== undefined || s.oneOf !== undefined || lit !== undefined) return "variant";
    const t = s.type ?? ("properties" in s ? "object" : undefined);
    if (t === "object") return isObj(s.properties) ? "object" : "dictionary";
    return { string: "string", integer: "int", number: "double", boolean: "bool", array: "array" }[String(t)] ?? "any";
  }
}
