// Swift Codable model generator: draft-07 JSON Schema (as emitted from our TypeBox
// schemas) -> one Swift source file. swift-walker.ts walks the schema into a small
// declaration model (swift-decls.ts) and swift-render.ts renders it. Output order follows
// `definitions` insertion order and never depends on time or hash order, so
// `git diff --exit-code` works as a drift check.
import { SwiftGenError, type SwiftDecl } from "./swift-decls.js";
import { camel, pascal, swiftString, uniqueNames } from "./swift-names.js";
import { indirectUnions, renderDecl } from "./swift-render.js";
import {
  ERROR_CODE,
  GATEWAY_FRAME,
  canonical,
  constAt,
  defPath,
  definitionsOf,
  descr,
  isObj,
  localRef,
  stringLiterals,
  type JsonSchema,
  type JsonSchemaDocument,
} from "./swift-schema.js";
import { SUPPORT_TYPES } from "./swift-support.js";
import { Walker } from "./swift-walker.js";

export { SwiftGenError };
export type { JsonSchema, JsonSchemaDocument };

export interface SwiftGenOptions {
  readonly protocolVersion: number;
  readonly minProtocolVersion: number;
  readonly errorCodes: readonly string[];
}

// Names the generated file itself defines or relies on; a definition with one of these
// names would shadow it and silently change the meaning of the emitted code.
const RESERVED = new Set(
  (
    "AnyCodable AnyCodingKey CodingKeys DiscriminatorKeys String Int Double Bool Array " +
    "Dictionary Optional Decoder Encoder Codable CodingKey DecodingError Sendable Equatable Hashable " +
    "CaseIterable Any Self Type Protocol"
  ).split(" "),
);

/** Definition name -> the top-level Swift type emitted for it, in definitions order. */
export function swiftTypeNames(doc: JsonSchemaDocument): Record<string, string> {
  const out: Record<string, string> = {};
  const seen = new Map<string, string>();
  for (const def of Object.keys(definitionsOf(doc))) {
    const name = pascal(def);
    if (RESERVED.has(name)) throw new SwiftGenError(defPath(def), `definition name maps to reserved Swift type "${name}"`);
    const other = seen.get(name);
    if (other !== undefined) throw new SwiftGenError(defPath(def), `Swift type "${name}" clashes with definition "${other}"`);
    seen.set(name, def);
    out[def] = name;
  }
  return out;
}

function errorCodeEnum(codes: readonly string[], defs: Readonly<Record<string, JsonSchema>>): SwiftDecl {
  if (codes.length === 0) throw new SwiftGenError("options.errorCodes", "must list at least one code (Swift enums with a raw type need a case)");
  if (new Set(codes).size !== codes.length) throw new SwiftGenError("options.errorCodes", "contains duplicate codes");
  const own = defs[ERROR_CODE];
  if (own !== undefined) {
    // The protocol may also define ErrorCode; it must agree with the options list since one Swift type serves both.
    const lits = isObj(own) && Array.isArray(own.anyOf) ? own.anyOf.map((m: JsonSchema) => stringLiterals(m)?.[0]) : stringLiterals(own);
    if (!lits || [...lits].sort().join("\n") !== [...codes].sort().join("\n")) {
      throw new SwiftGenError(defPath(ERROR_CODE), "definition ErrorCode differs from options.errorCodes");
    }
  }
  return { kind: "stringEnum", name: ERROR_CODE, doc: "Gateway error codes.", values: codes };
}

function gatewayFrame(doc: JsonSchemaDocument, w: Walker): SwiftDecl {
  const key = doc.discriminator?.propertyName ?? "type";
  if (!Array.isArray(doc.oneOf) || doc.oneOf.length === 0) throw new SwiftGenError("#/oneOf", "root oneOf listing the frame definitions is required");
  const frames = doc.oneOf.map((m, i) => {
    const path = `#/oneOf/${i}`;
    const ref = localRef(m, path);
    if (ref === undefined) throw new SwiftGenError(path, "frame must be a $ref to a definition");
    const tag = constAt(w.deref(m, path), key);
    if (typeof tag !== "string") throw new SwiftGenError(defPath(ref), `frame has no string const "${key}" property`);
    return { tag, type: w.names[ref] ?? pascal(ref) };
  });
  const own = w.defs[GATEWAY_FRAME];
  if (own !== undefined) {
    const members = isObj(own) ? (own.anyOf ?? own.oneOf) : undefined;
    const tags = Array.isArray(members) ? members.map((m: JsonSchema, i: number) => constAt(w.deref(m, `${defPath(GATEWAY_FRAME)}/anyOf/${i}`), key)) : [];
    if (canonical([...tags].sort()) !== canonical(frames.map((f) => f.tag).sort())) {
      throw new SwiftGenError(defPath(GATEWAY_FRAME), "definition GatewayFrame must be the union of the root oneOf frames");
    }
  }
  const names = uniqueNames(
    frames.map((f) => camel(f.tag)),
    ["unknown"],
  );
  const cases = frames.map((f, i) => ({ name: names[i] ?? camel(f.tag), payload: f.type, tag: f.tag }));
  const docText = `Any frame on the wire, selected by its ${swiftString(key)} field; unrecognised types decode as \`.unknown\`.`;
  return { kind: "union", name: "GatewayFrame", doc: docText, cases, discriminator: key, unknownCase: "unknown" };
}

export function generateSwiftModels(doc: JsonSchemaDocument, options: SwiftGenOptions): string {
  const defs = definitionsOf(doc);
  for (const k of ["protocolVersion", "minProtocolVersion"] as const) {
    if (!Number.isSafeInteger(options[k]) || options[k] < 0) throw new SwiftGenError(`options.${k}`, "must be a non-negative integer");
  }
  const names = swiftTypeNames(doc);
  for (const [def, name] of Object.entries(names)) {
    if ((name === ERROR_CODE || name === GATEWAY_FRAME) && def !== name)
      throw new SwiftGenError(defPath(def), `maps to "${name}", which the generator emits itself`);
  }
  const w = new Walker(defs, names);
  for (const [def, schema] of Object.entries(defs)) {
    if (def === ERROR_CODE || def === GATEWAY_FRAME) continue; // emitted specially (checked to agree)
    const name = names[def] ?? pascal(def);
    const start = w.decls.length;
    const r = w.typeOf(schema, name, defPath(def));
    // Not a struct/enum of its own (string, array, record, ref, ...): name it with an alias.
    if (r.type !== name) w.decls.splice(start, 0, { kind: "alias", name, doc: descr(schema), target: r.type });
  }
  const decls = w.decls.filter((d): d is SwiftDecl => d !== undefined);
  const indirect = indirectUnions(decls);
  const source = [doc.title, doc.$id].filter((x) => typeof x === "string" && x !== "").join(" ");
  const header = `// Code generated by \`pnpm gen\`. DO NOT EDIT.\n// Source schema: ${source || "(untitled)"}\n// swiftlint:disable all`;
  const blocks = [
    header,
    `public let GATEWAY_PROTOCOL_VERSION = ${options.protocolVersion}\npublic let GATEWAY_MIN_PROTOCOL_VERSION = ${options.minProtocolVersion}`,
    SUPPORT_TYPES,
    renderDecl(errorCodeEnum(options.errorCodes, defs)),
    renderDecl(gatewayFrame(doc, w)),
    ...decls.map((d) => renderDecl(d, indirect)),
  ];
  return `${blocks.join("\n\n")}\n`;
}
