// The declaration model the Swift generator builds (swift-walker.ts walks the schema into it,
// swift-render.ts turns it into text), and the one error the generator throws.

/** Thrown for anything the generator cannot map; `path` is a JSON pointer into the document. */
export class SwiftGenError extends Error {
  override readonly name = "SwiftGenError";
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`swift gen: ${path}: ${detail}`);
  }
}

export interface SwiftProp {
  readonly jsonKey: string;
  /** Raw Swift identifier (no backticks); `ident()` escapes it at render time. */
  readonly name: string;
  /** Non-optional Swift type; `optional` adds the `?`. */
  readonly type: string;
  readonly optional: boolean;
  /** Required-but-nullable: must be written as an explicit `null`, never omitted. */
  readonly encodeNull: boolean;
  readonly doc?: string | undefined;
  /** Swift literal used as the memberwise-init default (string consts). */
  readonly defaultValue?: string | undefined;
}

export interface StructDecl {
  readonly kind: "struct";
  readonly name: string;
  readonly doc?: string | undefined;
  readonly props: readonly SwiftProp[];
  /** Present when the schema allows extra keys (`additionalProperties: true | schema`). */
  readonly extras?: { readonly name: string; readonly valueType: string } | undefined;
}

export interface StringEnumDecl {
  readonly kind: "stringEnum";
  readonly name: string;
  readonly doc?: string | undefined;
  readonly values: readonly string[];
}

export interface UnionCase {
  readonly name: string;
  /** Associated value type; absent for literal (payload-less) cases. */
  readonly payload?: string | undefined;
  /** Exact string a payload-less case stands for. */
  readonly literal?: string | undefined;
  /** Discriminator value selecting this case (discriminated unions only). */
  readonly tag?: string | undefined;
}

export interface UnionDecl {
  readonly kind: "union";
  readonly name: string;
  readonly doc?: string | undefined;
  readonly cases: readonly UnionCase[];
  /** JSON key whose const value picks the case; otherwise each case is tried in order. */
  readonly discriminator?: string | undefined;
  /** Extra payload case for unrecognised discriminator values (GatewayFrame only). */
  readonly unknownCase?: string | undefined;
}

export interface AliasDecl {
  readonly kind: "alias";
  readonly name: string;
  readonly doc?: string | undefined;
  readonly target: string;
}

export type SwiftDecl = StructDecl | StringEnumDecl | UnionDecl | AliasDecl;
