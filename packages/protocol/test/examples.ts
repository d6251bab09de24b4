/**
 * Builds a minimal valid instance of a JSON Schema (as TypeBox emits it), so every
 * schema in the catalog can be exercised with a valid and an invalid example.
 */
type Schema = Record<string, unknown>;

const PATTERN_CANDIDATES = ["x", "main", "a1", "0".repeat(64)];

export function minimalExample(schema: Schema): unknown {
  if ("const" in schema) return schema["const"];
  if (Array.isArray(schema["enum"])) return schema["enum"][0];
  if (Array.isArray(schema["anyOf"])) return minimalExample(schema["anyOf"][0] as Schema);
  switch (schema["type"]) {
    case "object": {
      const properties = (schema["properties"] ?? {}) as Record<string, Schema>;
      const out: Record<string, unknown> = {};
      for (const key of (schema["required"] ?? []) as string[]) out[key] = minimalExample(properties[key]!);
      return out;
    }
    case "array": {
      const count = (schema["minItems"] as number | undefined) ?? 0;
      return Array.from({ length: count }, () => minimalExample(schema["items"] as Schema));
    }
    case "string": {
      const minLength = (schema["minLength"] as number | undefined) ?? 0;
      const pattern = schema["pattern"] as string | undefined;
      if (pattern !== undefined) {
        const match = PATTERN_CANDIDATES.find((candidate) => new RegExp(pattern).test(candidate));
        if (match === undefined) throw new Error(`no example for pattern ${pattern}`);
        return match;
      }
      return "x".repeat(Math.max(minLength, 1));
    }
    case "integer":
    case "number":
      return (schema["minimum"] as number | undefined) ?? 0;
    case "boolean":
      return false;
    case "null":
      return null;
    default:
      return {};
  }
}

/** A value that no schema of this shape accepts, or undefined for `unknown`. */
export function wrongTypeExample(schema: Schema): unknown {
  if ("const" in schema) return typeof schema["const"] === "string" ? 12345 : "not-the-constant";
  if (Array.isArray(schema["enum"])) return "definitely-not-allowed-value";
  if (Array.isArray(schema["anyOf"])) return Symbol.for("none");
  switch (schema["type"]) {
    case "object":
      return "not an object";
    case "array":
      return { not: "an array" };
    case "string":
      return 42;
    case "integer":
    case "number":
      return "42";
    case "boolean":
      return "true";
    case "null":
      return 0;
    default:
      return undefined;
  }
}
