/** Deeper JSON than any method needs; past it, a frame is refused before anything walks it. */
export const MAX_FRAME_DEPTH = 64;

/**
 * Whether the JSON text nests objects and arrays deeper than `limit`. Parsing deep JSON is safe,
 * but everything that walks it afterwards (validation, serialization, hashing) recurses, and a
 * 100 000-level frame would overflow the stack there. A text scan, skipping strings.
 */
export function nestsDeeperThan(text: string, limit: number = MAX_FRAME_DEPTH): boolean {
  // Each level needs two brackets, so short frames cannot be too deep.
  if (text.length <= limit * 2) return false;
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c) index += 1;
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      depth += 1;
      if (depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) depth -= 1;
  }
  return false;
}
