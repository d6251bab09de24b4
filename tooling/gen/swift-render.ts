// Swift text rendering for the Codable generator (swift-walker.ts walks the schema into
// the declaration model of swift-decls.ts; this file only turns it into text).
// Kept free of schema knowledge so the emitted Swift shapes are reviewable in one place.
import { SwiftGenError, type StringEnumDecl, type StructDecl, type SwiftDecl, type UnionDecl } from "./swift-decls.js";
import { camel, ident, swiftString, uniqueNames } from "./swift-names.js";

const I = "    ";

function docLines(doc: string | undefined, indent: string, out: string[]): void {
  if (doc === undefined || doc.trim() === "") return;
  for (const line of doc.trim().split(/\r?\n/)) out.push(`${indent}///${line === "" ? "" : ` ${line}`}`);
}

// CodingKeys case: the raw value is only spelled out when it differs from the identifier.
function keyCase(name: string, jsonKey: string): string {
  return name === jsonKey ? `case ${ident(name)}` : `case ${ident(name)} = ${swiftString(jsonKey)}`;
}

function renderStruct(d: StructDecl): string[] {
  const out: string[] = [];
  docLines(d.doc, "", out);
  out.push(`public struct ${d.name}: Codable, Sendable, Equatable {`);
  for (const p of d.props) {
    docLines(p.doc, I, out);
    out.push(`${I}public let ${ident(p.name)}: ${p.type}${p.optional ? "?" : ""}`);
  }
  const ex = d.extras;
  if (ex) {
    out.push(`${I}/// Keys not declared in the schema; kept so the value round-trips.`);
    out.push(`${I}public let ${ident(ex.name)}: [String: ${ex.valueType}]`);
  }
  // Public memberwise init: Swift's synthesized one is internal, useless to other modules.
  const params = d.props.map((p) => {
    const dflt = p.defaultValue ?? (p.optional ? "nil" : undefined);
    return `${ident(p.name)}: ${p.type}${p.optional ? "?" : ""}${dflt === undefined ? "" : ` = ${dflt}`}`;
  });
  if (ex) params.push(`${ident(ex.name)}: [String: ${ex.valueType}] = [:]`);
  if (d.props.length > 0 || ex) out.push("");
  if (params.length === 0) out.push(`${I}public init() {}`, "");
  else {
    out.push(`${I}public init(${params.join(", ")}) {`);
    for (const p of d.props) out.push(`${I}${I}self.${ident(p.name)} = ${ident(p.name)}`);
    if (ex) out.push(`${I}${I}self.${ident(ex.name)} = ${ident(ex.name)}`);
    out.push(`${I}}`, "");
  }

  // Codable is hand-written (not synthesized) so required-nullable keys encode as
  // explicit nulls and extra keys survive; an empty CodingKeys enum would not compile.
  const hasKeys = d.props.length > 0;
  if (hasKeys) {
    out.push(`${I}private enum CodingKeys: String, CodingKey {`);
    for (const p of d.props) out.push(`${I}${I}${keyCase(p.name, p.jsonKey)}`);
    out.push(`${I}}`, "");
  }
  out.push(`${I}public init(from decoder: any Decoder) throws {`);
  if (hasKeys) out.push(`${I}${I}let c = try decoder.container(keyedBy: CodingKeys.self)`);
  else if (!ex) out.push(`${I}${I}_ = try decoder.container(keyedBy: AnyCodingKey.self)`);
  for (const p of d.props) {
    const fn = p.optional ? "decodeIfPresent" : "decode";
    out.push(`${I}${I}self.${ident(p.name)} = try c.${fn}(${p.type}.self, forKey: .${ident(p.name)})`);
  }
  if (ex) {
    const filter = hasKeys ? " where CodingKeys(stringValue: key.stringValue) == nil" : "";
    out.push(`${I}${I}let dyn = try decoder.container(keyedBy: AnyCodingKey.self)`);
    out.push(`${I}${I}var extras: [String: ${ex.valueType}] = [:]`);
    out.push(`${I}${I}for key in dyn.allKeys${filter} {`);
    out.push(`${I}${I}${I}extras[key.stringValue] = try dyn.decode(${ex.valueType}.self, forKey: key)`);
    out.push(`${I}${I}}`);
    out.push(`${I}${I}self.${ident(ex.name)} = extras`);
  }
  out.push(`${I}}`, "");
  out.push(`${I}public func encode(to encoder: any Encoder) throws {`);
  if (hasKeys) out.push(`${I}${I}var c = encoder.container(keyedBy: CodingKeys.self)`);
  else if (!ex) out.push(`${I}${I}_ = encoder.container(keyedBy: AnyCodingKey.self)`);
  for (const p of d.props) {
    // Optional values passed to encode() write `null`; encodeIfPresent() omits the key.
    const fn = p.optional && !p.encodeNull ? "encodeIfPresent" : "encode";
    out.push(`${I}${I}try c.${fn}(self.${ident(p.name)}, forKey: .${ident(p.name)})`);
  }
  if (ex) {
    const filter = hasKeys ? " where CodingKeys(stringValue: key) == nil" : "";
    out.push(`${I}${I}var dyn = encoder.container(keyedBy: AnyCodingKey.self)`);
    out.push(`${I}${I}for (key, value) in self.${ident(ex.name)}.sorted(by: { $0.key < $1.key })${filter} {`);
    out.push(`${I}${I}${I}try dyn.encode(value, forKey: AnyCodingKey(key))`);
    out.push(`${I}${I}}`);
  }
  out.push(`${I}}`, "}");
  return out;
}

function renderStringEnum(d: StringEnumDecl): string[] {
  const out: string[] = [];
  docLines(d.doc, "", out);
  out.push(`public enum ${d.name}: String, Codable, Sendable, CaseIterable {`);
  const names = uniqueNames(d.values.map(camel));
  d.values.forEach((v, i) => out.push(`${I}${keyCase(names[i] ?? camel(v), v)}`));
  out.push("}");
  return out;
}

function renderUnion(d: UnionDecl, indirect: boolean): string[] {
  const out: string[] = [];
  docLines(d.doc, "", out);
  out.push(`public ${indirect ? "indirect " : ""}enum ${d.name}: Codable, Sendable, Equatable {`);
  for (const c of d.cases) out.push(`${I}case ${ident(c.name)}${c.payload === undefined ? "" : `(${c.payload})`}`);
  if (d.unknownCase) out.push(`${I}case ${ident(d.unknownCase)}(type: String, raw: AnyCodable)`);
  out.push("");
  const I2 = I + I;
  if (d.discriminator !== undefined) {
    out.push(`${I}private enum DiscriminatorKeys: String, CodingKey {`);
    out.push(`${I2}${keyCase("discriminator", d.discriminator)}`);
    out.push(`${I}}`, "");
    out.push(`${I}public init(from decoder: any Decoder) throws {`);
    out.push(`${I2}let c = try decoder.container(keyedBy: DiscriminatorKeys.self)`);
    out.push(`${I2}let tag = try c.decode(String.self, forKey: .discriminator)`);
    out.push(`${I2}switch tag {`);
    for (const c of d.cases) {
      out.push(`${I2}case ${swiftString(c.tag ?? c.name)}:`);
      out.push(`${I2}${I}self = try .${ident(c.name)}(${c.payload ?? "AnyCodable"}(from: decoder))`);
    }
    out.push(`${I2}default:`);
    if (d.unknownCase) {
      // Forward compatibility: newer peers may send frame types this client predates.
      out.push(`${I2}${I}self = try .${ident(d.unknownCase)}(type: tag, raw: AnyCodable(from: decoder))`);
    } else {
      const msg = swiftString(`Unknown ${d.name} ${d.discriminator}: `).slice(0, -1) + '\\(tag)"';
      out.push(`${I2}${I}throw DecodingError.dataCorruptedError(forKey: .discriminator, in: c, debugDescription: ${msg})`);
    }
    out.push(`${I2}}`, `${I}}`, "");
    out.push(`${I}public func encode(to encoder: any Encoder) throws {`);
    out.push(`${I2}switch self {`);
    for (const c of d.cases) out.push(`${I2}case .${ident(c.name)}(let value): try value.encode(to: encoder)`);
    if (d.unknownCase) out.push(`${I2}case .${ident(d.unknownCase)}(_, let raw): try raw.encode(to: encoder)`);
    out.push(`${I2}}`, `${I}}`, "}");
    return out;
  }
  out.push(`${I}public init(from decoder: any Decoder) throws {`);
  out.push(`${I2}let c = try decoder.singleValueContainer()`);
  // Exact literals first, then payload cases in schema order: the first one that decodes wins.
  for (const c of d.cases) {
    if (c.literal === undefined) continue;
    out.push(`${I2}if let value = try? c.decode(String.self), value == ${swiftString(c.literal)} {`);
    out.push(`${I2}${I}self = .${ident(c.name)}`, `${I2}${I}return`, `${I2}}`);
  }
  for (const c of d.cases) {
    if (c.payload === undefined) continue;
    out.push(`${I2}if let value = try? c.decode(${c.payload}.self) {`);
    out.push(`${I2}${I}self = .${ident(c.name)}(value)`, `${I2}${I}return`, `${I2}}`);
  }
  out.push(`${I2}throw DecodingError.dataCorruptedError(in: c, debugDescription: ${swiftString(`No ${d.name} variant matched`)})`);
  out.push(`${I}}`, "");
  out.push(`${I}public func encode(to encoder: any Encoder) throws {`);
  out.push(`${I2}var c = encoder.singleValueContainer()`);
  out.push(`${I2}switch self {`);
  for (const c of d.cases) {
    if (c.payload === undefined) out.push(`${I2}case .${ident(c.name)}: try c.encode(${swiftString(c.literal ?? c.name)})`);
    else out.push(`${I2}case .${ident(c.name)}(let value): try c.encode(value)`);
  }
  out.push(`${I2}}`, `${I}}`, "}");
  return out;
}

/**
 * Value types cannot contain themselves inline (Optional included); arrays and
 * dictionaries break the cycle, as does an `indirect` enum. Returns the unions that must
 * be `indirect`, and throws for a cycle made of structs (and aliases) only.
 */
export function indirectUnions(decls: readonly SwiftDecl[]): Set<string> {
  const byName = new Map(decls.map((d) => [d.name, d]));
  const indirect = new Set<string>();
  const edges = (d: SwiftDecl): string[] => {
    if (indirect.has(d.name)) return [];
    const types =
      d.kind === "struct" ? d.props.map((p) => p.type) : d.kind === "union" ? d.cases.map((c) => c.payload ?? "") : d.kind === "alias" ? [d.target] : [];
    return types.filter((t) => byName.has(t)); // "[T]" / "[String: T]" never match a name
  };
  const findCycle = (): string[] | undefined => {
    const state = new Map<string, "open" | "done">();
    const stack: string[] = [];
    const visit = (name: string): string[] | undefined => {
      state.set(name, "open");
      stack.push(name);
      const d = byName.get(name);
      for (const next of d ? edges(d) : []) {
        if (state.get(next) === "open") return stack.slice(stack.indexOf(next));
        const found = state.has(next) ? undefined : visit(next);
        if (found) return found;
      }
      stack.pop();
      state.set(name, "done");
      return undefined;
    };
    for (const d of decls) {
      const cycle = state.has(d.name) ? undefined : visit(d.name);
      if (cycle) return cycle;
    }
    return undefined;
  };
  for (let cycle = findCycle(); cycle; cycle = findCycle()) {
    const union = cycle.find((n) => byName.get(n)?.kind === "union");
    if (union === undefined)
      throw new SwiftGenError("#/definitions", `recursive structs ${[...cycle, cycle[0]].join(" -> ")} need an array, dictionary or union in between`);
    indirect.add(union);
  }
  return indirect;
}

export function renderDecl(d: SwiftDecl, indirect: ReadonlySet<string> = new Set()): string {
  switch (d.kind) {
    case "struct":
      return renderStruct(d).join("\n");
    case "stringEnum":
      return renderStringEnum(d).join("\n");
    case "union":
      return renderUnion(d, indirect.has(d.name)).join("\n");
    case "alias": {
      const out: string[] = [];
      docLines(d.doc, "", out);
      out.push(`public typealias ${d.name} = ${d.target}`);
      return out.join("\n");
    }
  }
}
