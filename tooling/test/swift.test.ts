import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SwiftGenError, generateSwiftModels, swiftTypeNames, type JsonSchemaDocument } from "../gen/swift.js";

const str = { type: "string" } as const;
const lit = (v: string) => ({ const: v, type: "string" });
const ref = (name: string) => ({ $ref: `#/definitions/${name}` });
const imagePart = { type: "object", required: ["kind", "url"], properties: { kind: lit("image"), url: str } };
const requestFrame = {
  type: "object",
  additionalProperties: false,
  required: ["type", "id", "method"],
  properties: { type: lit("req"), id: { type: "string", minLength: 1 }, method: str, params: {} },
};

// Small hand-written protocol touching every construct the generator claims to support,
// shaped like TypeBox's JSON output.
const doc: JsonSchemaDocument = {
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: "https://openclaw.dev/schema/test.json",
  title: "OpenClawProtocol",
  oneOf: [ref("RequestFrame"), ref("ResponseFrame"), ref("EventFrame")],
  discriminator: { propertyName: "type" },
  definitions: {
    RequestFrame: requestFrame,
    ResponseFrame: {
      type: "object",
      additionalProperties: false,
      required: ["type", "id", "ok"],
      properties: { type: lit("res"), id: str, ok: { type: "boolean" }, payload: {}, error: ref("ErrorShape") },
    },
    EventFrame: {
      type: "object",
      required: ["type", "event"],
      properties: { type: lit("event"), event: str, payload: {}, seq: { type: "integer", minimum: 0 } },
    },
    ErrorShape: {
      type: "object",
      description: "Error payload.",
      required: ["code", "message"],
      properties: { code: ref("ErrorCode"), message: str, details: {}, retryAfterMs: { type: "integer" } },
    },
    ErrorCode: { anyOf: [lit("INVALID_REQUEST"), lit("UNAVAILABLE")] },
    PresenceMode: { anyOf: [lit("online"), lit("away"), lit("do-not-disturb"), lit("default")] },
    Role: { type: "string", enum: ["operator", "node"] },
    Timestamp: { type: "string", format: "date-time" },
    MaybeName: { anyOf: [str, { type: "null" }] },
    Tags: { type: "object", patternProperties: { "^(.*)$": str } },
    HelloOk: {
      type: "object",
      additionalProperties: false,
      required: ["type", "protocol", "server", "features", "snapshot", "ratio", "label"],
      properties: {
        type: lit("hello-ok"),
        protocol: { type: "integer" },
        server: {
          type: "object",
          required: ["version", "connId"],
          properties: { version: str, connId: str, host: str },
        },
        features: { type: "object", required: ["methods"], properties: { methods: { type: "array", items: str } } },
        snapshot: { type: "object", patternProperties: { "^(.*)$": ref("Presence") } },
        "x-y": str,
        default: str,
        ratio: { type: "number" },
        label: ref("MaybeName"),
        mode: ref("PresenceMode"),
        role: ref("Role"),
        tags: ref("Tags"),
        at: ref("Timestamp"),
        policy: { anyOf: [lit("allow"), lit("deny")] },
        image: { ...imagePart, description: "An inlined copy of ImagePart." },
      },
    },
    Presence: {
      type: "object",
      required: ["host"],
      properties: { host: str, lastSeen: { type: "integer" }, meta: { type: "object", additionalProperties: { type: "number" } } },
    },
    Metadata: {
      type: "object",
      required: ["name"],
      properties: { name: str },
      additionalProperties: true,
    },
    Content: {
      anyOf: [{ type: "object", required: ["kind", "text"], properties: { kind: lit("text"), text: str } }, ref("ImagePart")],
    },
    ImagePart: imagePart,
    // TypeBox inlines instead of $ref-ing: the frame union repeats the frame schemas.
    GatewayFrame: { anyOf: [requestFrame, ref("ResponseFrame"), ref("EventFrame")] },
    Scalar: { anyOf: [lit("auto"), str, { type: "integer" }, { type: "number" }, { type: "boolean" }, { type: "null" }] },
    Shape: {
      anyOf: [
        { type: "object", required: ["radius"], properties: { radius: { type: "number" } } },
        { type: "object", required: ["width"], properties: { width: { type: "number" } } },
      ],
    },
    Empty: { type: "object", properties: {}, additionalProperties: false },
    Anything: {},
    Combined: { allOf: [ref("ImagePart"), { type: "object", required: ["alt"], properties: { alt: str } }] },
    NullableRequired: {
      type: "object",
      required: ["value"],
      properties: { value: { anyOf: [{ type: "integer" }, { type: "null" }] } },
    },
  },
};
const options = { protocolVersion: 4, minProtocolVersion: 3, errorCodes: ["INVALID_REQUEST", "UNAVAILABLE"] } as const;
const out = generateSwiftModels(doc, options);

/** Body of `public <kind> <name>...{ ... }` up to its closing brace at column 0. */
function block(name: string): string {
  const m = new RegExp(`^public (?:struct|enum) ${name}\\b[^\\n]*\\{\\n[\\s\\S]*?^\\}`, "m").exec(out);
  if (!m) throw new Error(`no declaration for ${name}`);
  return m[0];
}

describe("generateSwiftModels", () => {
  it("emits the header, version constants and ErrorCode", () => {
    expect(out.startsWith("// Code generated by `pnpm gen`. DO NOT EDIT.\n")).toBe(true);
    expect(out).toContain("public let GATEWAY_PROTOCOL_VERSION = 4\n");
    expect(out).toContain("public let GATEWAY_MIN_PROTOCOL_VERSION = 3\n");
    const codes = block("ErrorCode");
    expect(codes).toContain("public enum ErrorCode: String, Codable, Sendable, CaseIterable {");
    expect(codes).toContain('case invalidRequest = "INVALID_REQUEST"');
    expect(codes).toContain('case unavailable = "UNAVAILABLE"');
    expect(out.match(/^public enum ErrorCode\b/gm)).toHaveLength(1);
  });

  it("emits AnyCodable once and uses it for unknown schemas", () => {
    expect(out.match(/^public enum AnyCodable: Codable, Sendable, Equatable, Hashable \{/gm)).toHaveLength(1);
    expect(block("AnyCodable")).toContain("case object([String: AnyCodable])");
    expect(block("RequestFrame")).toContain("public let params: AnyCodable?");
    expect(out).toContain("public typealias Anything = AnyCodable");
  });

  it("emits GatewayFrame decoding by type with an unknown fallback", () => {
    const frame = block("GatewayFrame");
    expect(frame).toContain("public enum GatewayFrame: Codable, Sendable, Equatable {");
    for (const c of ["case req(RequestFrame)", "case res(ResponseFrame)", "case event(EventFrame)", "case unknown(type: String, raw: AnyCodable)"]) {
      expect(frame).toContain(c);
    }
    expect(frame).toContain('case discriminator = "type"');
    expect(frame).toContain('case "req":\n            self = try .req(RequestFrame(from: decoder))');
    expect(frame).toContain("self = try .unknown(type: tag, raw: AnyCodable(from: decoder))");
  });

  it("emits structs with optionals, nested types, keywords and CodingKeys", () => {
    const hello = block("HelloOk");
    expect(hello).toContain("public struct HelloOk: Codable, Sendable, Equatable {");
    expect(hello).toContain("public let `protocol`: Int");
    expect(hello).toContain("public let server: HelloOkServer\n");
    expect(hello).toContain("public let features: HelloOkFeatures\n");
    expect(hello).toContain("public let xY: String?");
    expect(hello).toContain('case xY = "x-y"');
    expect(hello).toContain("public let `default`: String?");
    expect(hello).toContain("public let ratio: Double\n");
    expect(hello).toContain("public let at: Timestamp?");
    expect(hello).toContain('/// Always "hello-ok".');
    expect(hello).toContain("xY: String? = nil");
    expect(hello).toContain("self.xY = try c.decodeIfPresent(String.self, forKey: .xY)");
    expect(hello).toContain("try c.encodeIfPresent(self.xY, forKey: .xY)");
    const server = block("HelloOkServer");
    expect(server).toContain("public let connId: String\n");
    expect(server).toContain("public let host: String?");
    expect(block("HelloOkFeatures")).toContain("public let methods: [String]");
    expect(block("EventFrame")).toContain("public let seq: Int?");
    // Required string consts default in the memberwise init, so callers need not repeat them.
    expect(block("RequestFrame")).toContain('public init(type: String = "req", id: String, method: String, params: AnyCodable? = nil) {');
  });

  it("maps string enums (anyOf consts and enum keyword), nested ones included", () => {
    const mode = block("PresenceMode");
    expect(mode).toContain("public enum PresenceMode: String, Codable, Sendable, CaseIterable {");
    expect(mode).toContain("case online\n");
    expect(mode).toContain('case doNotDisturb = "do-not-disturb"');
    expect(mode).toContain("case `default`\n");
    expect(block("Role")).toContain("case node\n");
    expect(block("HelloOkPolicy")).toContain("case deny\n");
    expect(block("HelloOk")).toContain("public let mode: PresenceMode?");
  });

  it("maps records to dictionaries and nullable refs to optionals", () => {
    expect(out).toContain("public typealias Tags = [String: String]");
    expect(block("HelloOk")).toContain("public let snapshot: [String: Presence]\n");
    expect(block("Presence")).toContain("public let meta: [String: Double]?");
    expect(out).toContain("public typealias MaybeName = String\n");
    expect(block("HelloOk")).toContain("public let label: MaybeName?");
    // Required + nullable: decoded leniently, but always written (as null when nil).
    expect(block("HelloOk")).toContain("try c.encode(self.label, forKey: .label)");
    expect(block("NullableRequired")).toContain("try c.encode(self.value, forKey: .value)");
  });

  it("keeps extra keys when additionalProperties allows them", () => {
    const meta = block("Metadata");
    expect(meta).toContain("public let additionalProperties: [String: AnyCodable]");
    expect(meta).toContain("for key in dyn.allKeys where CodingKeys(stringValue: key.stringValue) == nil {");
    expect(block("AnyCodingKey")).toContain("public struct AnyCodingKey: CodingKey, Sendable, Hashable {");
  });

  it("maps object unions to enums with associated values", () => {
    const content = block("Content");
    expect(content).toContain("public enum Content: Codable, Sendable, Equatable {");
    expect(content).toContain("case text(ContentText)");
    expect(content).toContain("case image(ImagePart)");
    expect(content).toContain('case discriminator = "kind"');
    expect(block("ContentText")).toContain("public let text: String");
    const shape = block("Shape"); // no shared const: decoded by trying each case in order
    expect(shape).toContain("case object(ShapeObject)");
    expect(shape).toContain("case object2(ShapeObject2)");
    expect(shape).toContain("if let value = try? c.decode(ShapeObject.self) {");
    const scalar = block("Scalar");
    for (const c of ["case auto\n", "case string(String)", "case int(Int)", "case double(Double)", "case bool(Bool)"]) expect(scalar).toContain(c);
    expect(scalar).toContain('if let value = try? c.decode(String.self), value == "auto" {');
  });

  it("reuses a definition's type for inlined copies of it", () => {
    expect(block("HelloOk")).toContain("/// An inlined copy of ImagePart.\n    public let image: ImagePart?");
    expect(out).not.toContain("HelloOkImage");
    expect(out.match(/^public enum GatewayFrame\b/gm)).toHaveLength(1);
  });

  it("handles empty objects and allOf", () => {
    expect(block("Empty")).toContain("public init() {");
    expect(block("Empty")).toContain("_ = try decoder.container(keyedBy: AnyCodingKey.self)");
    const combined = block("Combined");
    expect(combined).toContain("public let kind: String\n");
    expect(combined).toContain("public let alt: String\n");
  });

  it("emits a top-level type for every definition", () => {
    const names = swiftTypeNames(doc);
    expect(Object.keys(names)).toEqual(Object.keys(doc.definitions ?? {}));
    for (const name of Object.values(names)) {
      expect(out, name).toMatch(new RegExp(`^public (?:struct|enum|typealias) ${name}\\b`, "m"));
    }
    // ...and never the same type twice.
    const decls = [...out.matchAll(/^public (?:struct|enum|typealias) (\w+)/gm)].map((m) => m[1]);
    expect(new Set(decls).size).toBe(decls.length);
  });

  it("is deterministic", () => {
    const again = generateSwiftModels(structuredClone(doc), options);
    expect(again).toBe(out);
  });

  it("throws a clear error naming the path of an unsupported construct", () => {
    const bad: JsonSchemaDocument = {
      ...doc,
      definitions: { ...doc.definitions, Bad: { type: "object", properties: { when: { not: { type: "string" } } } } },
    };
    expect(() => generateSwiftModels(bad, options)).toThrow(SwiftGenError);
    expect(() => generateSwiftModels(bad, options)).toThrow('#/definitions/Bad/properties/when: unsupported keyword "not"');
    const tuple: JsonSchemaDocument = { ...doc, definitions: { ...doc.definitions, Pair: { type: "array", items: [str, str] } } };
    expect(() => generateSwiftModels(tuple, options)).toThrow("#/definitions/Pair: tuple arrays");
    const remote: JsonSchemaDocument = { ...doc, definitions: { ...doc.definitions, R: { $ref: "other.json#/X" } } };
    expect(() => generateSwiftModels(remote, options)).toThrow("#/definitions/R: only local");
  });

  it("makes recursive unions indirect and rejects recursive structs", () => {
    const tree: JsonSchemaDocument = {
      ...doc,
      definitions: {
        ...doc.definitions,
        // Node -> Child (union) -> Node: legal once the enum is indirect.
        Node: { type: "object", required: ["name"], properties: { name: str, child: ref("Child"), kids: { type: "array", items: ref("Node") } } },
        Child: { anyOf: [ref("Node"), str] },
      },
    };
    const text = generateSwiftModels(tree, options);
    expect(text).toContain("public indirect enum Child: Codable, Sendable, Equatable {");
    expect(text).not.toMatch(/indirect enum (?!Child\b)/);
    const loop: JsonSchemaDocument = {
      ...doc,
      definitions: { ...doc.definitions, Loop: { type: "object", properties: { next: ref("Loop") } } },
    };
    expect(() => generateSwiftModels(loop, options)).toThrow("recursive structs Loop -> Loop");
  });

  it("rejects name clashes and ErrorCode drift", () => {
    const clash: JsonSchemaDocument = { ...doc, definitions: { ...doc.definitions, HelloOkServer: { type: "string" } } };
    expect(() => generateSwiftModels(clash, options)).toThrow('"HelloOkServer" is already used by #/definitions/HelloOkServer');
    expect(() => generateSwiftModels(doc, { ...options, errorCodes: ["INVALID_REQUEST"] })).toThrow("differs from options.errorCodes");
    const reserved: JsonSchemaDocument = { ...doc, definitions: { ...doc.definitions, AnyCodable: {} } };
    expect(() => swiftTypeNames(reserved)).toThrow("reserved Swift type");
    const frame: JsonSchemaDocument = { ...doc, definitions: { ...doc.definitions, GatewayFrame: { anyOf: [ref("RequestFrame")] } } };
    expect(() => generateSwiftModels(frame, options)).toThrow("#/definitions/GatewayFrame: definition GatewayFrame must be the union");
  });

  it("maps awkward JSON keys and enum values to valid, unique Swift names", () => {
    const edge: JsonSchemaDocument = {
      ...doc,
      definitions: {
        ...doc.definitions,
        "odd-names": {
          type: "object",
          required: ["2fa"],
          additionalProperties: { type: "integer" },
          properties: {
            "2fa": { type: ["string", "null"] },
            snake_case: str,
            URLPath: str,
            self: str,
            "a-b": str,
            aB: str,
            "": str,
            additionalProperties: str,
            flags: { type: "array", items: { anyOf: [lit("A_B"), lit("a.b"), lit("123")] } },
            nothing: { type: "null" },
            box: { type: ["object", "null"], required: ["w"], properties: { w: { type: "integer" } } },
          },
        },
      },
    };
    expect(swiftTypeNames(edge)["odd-names"]).toBe("OddNames");
    const text = generateSwiftModels(edge, options);
    const odd = /^public struct OddNames\b[\s\S]*?^\}/m.exec(text)?.[0] ?? "";
    for (const line of [
      "public let _2fa: String?",
      'case _2fa = "2fa"',
      "try c.encode(self._2fa, forKey: ._2fa)", // required + nullable: explicit null
      'case snakeCase = "snake_case"',
      'case urlPath = "URLPath"',
      'case self_ = "self"',
      'case aB = "a-b"',
      'case aB2 = "aB"',
      'case value = ""',
      "case additionalProperties\n",
      "public let additionalProperties2: [String: Int]",
      "public let flags: [OddNamesFlagsItem]?",
      "public let nothing: AnyCodable?",
      "public let box: OddNamesBox?",
    ]) {
      expect(odd).toContain(line);
    }
    expect(text).toMatch(/^public struct OddNamesBox\b[\s\S]*?public let w: Int\n/m);
    const flags = /^public enum OddNamesFlagsItem\b[\s\S]*?^\}/m.exec(text)?.[0] ?? "";
    expect(flags).toContain('case aB = "A_B"');
    expect(flags).toContain('case aB2 = "a.b"');
    expect(flags).toContain('case _123 = "123"');
  });

  // Only where a Swift toolchain exists (e.g. a macOS dev box); never installed by the tests.
  const hasSwiftc = spawnSync("which", ["swiftc"]).status === 0;
  const withSwift = (fn: (dir: string) => void) => () => {
    const dir = mkdtempSync(join(tmpdir(), "swift-gen-"));
    try {
      writeFileSync(join(dir, "Models.swift"), out);
      fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  it.skipIf(!hasSwiftc)(
    "type-checks with swiftc",
    withSwift((dir) => {
      const res = spawnSync("swiftc", ["-typecheck", join(dir, "Models.swift")], { encoding: "utf8" });
      expect(res.status, res.stderr).toBe(0);
    }),
    120_000,
  );

  it.skipIf(!hasSwiftc)(
    "round-trips JSON through the generated types",
    withSwift((dir) => {
      const cases: [type: string, json: string][] = [
        ["GatewayFrame", '{"id":"1","method":"health","params":{"a":[1,2.5,"x",null,true]},"type":"req"}'],
        ["GatewayFrame", '{"error":{"code":"UNAVAILABLE","message":"m"},"id":"1","ok":false,"type":"res"}'],
        ["GatewayFrame", '{"event":"tick","seq":3,"type":"event"}'],
        ["GatewayFrame", '{"type":"future","x":1}'],
        ["Metadata", '{"extra":{"k":[]},"name":"n"}'],
        ["NullableRequired", '{"value":null}'],
        ["Content", '{"kind":"image","url":"u"}'],
        ["Scalar", '"auto"'],
        [
          "HelloOk",
          '{"features":{"methods":[]},"label":null,"protocol":4,"ratio":0.5,"server":{"connId":"c","version":"1"},"snapshot":{},"type":"hello-ok","x-y":"z"}',
        ],
      ];
      const lines = cases.map(([type, json]) => `roundTrip(${type}.self, ${JSON.stringify(json)})`);
      const main = [
        "import Foundation",
        "func roundTrip<T: Codable>(_ type: T.Type, _ json: String) {",
        "    let encoder = JSONEncoder()",
        "    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]",
        "    let value = try! JSONDecoder().decode(T.self, from: Data(json.utf8))",
        "    print(String(decoding: try! encoder.encode(value), as: UTF8.self))",
        "}",
        ...lines,
        "",
      ].join("\n");
      writeFileSync(join(dir, "main.swift"), main);
      const exe = join(dir, "roundtrip");
      const build = spawnSync("swiftc", [join(dir, "Models.swift"), join(dir, "main.swift"), "-o", exe], { encoding: "utf8" });
      expect(build.status, build.stderr).toBe(0);
      const run = spawnSync(exe, [], { encoding: "utf8" });
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout.trim().split("\n")).toEqual(cases.map(([, json]) => json));
    }),
    300_000,
  );
});
