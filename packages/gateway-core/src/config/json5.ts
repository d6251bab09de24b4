import { createRequire } from "node:module";
import type JSON5 from "json5";

let json5: typeof JSON5 | undefined;

/**
 * `JSON5.parse`, with plain JSON read by `JSON.parse` first: it gives the same value for any JSON text,
 * and json5 (its Unicode tables) took ~15 ms of the gateway's start to load, so it loads only for a
 * document that is not plain JSON. Errors are json5's (`JSON5: invalid character 'x' at 2:3`).
 */
export function parseJson5(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    json5 ??= createRequire(import.meta.url)("json5") as typeof JSON5;
    return json5.parse(text);
  }
}
