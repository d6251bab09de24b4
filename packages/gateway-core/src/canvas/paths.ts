/** Canvas files from the canvas root. */
export const CANVAS_HOST_PATH = "/__openclaw__/canvas";
/** The bundled A2UI renderer. */
export const A2UI_PATH = "/__openclaw__/a2ui";
/** The live-reload WebSocket. */
export const CANVAS_WS_PATH = "/__openclaw__/ws";
/** Capability-scoped access: `/__openclaw__/cap/<capability>` followed by one of the paths above. */
export const CANVAS_CAPABILITY_PATH = "/__openclaw__/cap";
/** Query parameter that carries a capability when the path cannot. */
export const CANVAS_CAPABILITY_QUERY = "oc_cap";

export type CanvasSurface = "canvas" | "a2ui" | "ws";

/** What a request URL asks of the canvas host, before any decoding of the file part. */
export interface CanvasTarget {
  /** `undefined` under a capability prefix whose remainder names no canvas surface. */
  readonly surface: CanvasSurface | undefined;
  /** The still percent-encoded path after the surface prefix: `""` or `/…`. */
  readonly rest: string;
  /** The capability from `/__openclaw__/cap/<capability>/…` or from `?oc_cap=`. */
  readonly capability: string | undefined;
  /** True when the capability came from the path prefix (the host then owns the request). */
  readonly capabilityPrefixed: boolean;
}

const SURFACES: readonly (readonly [CanvasSurface, string])[] = [
  ["canvas", CANVAS_HOST_PATH],
  ["a2ui", A2UI_PATH],
  ["ws", CANVAS_WS_PATH],
];

// Capabilities are base64url; anything else cannot be one, so it is not looked up.
const CAPABILITY_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

function matchSurface(path: string): { surface: CanvasSurface; rest: string } | undefined {
  for (const [surface, prefix] of SURFACES) {
    if (path === prefix || path.startsWith(`${prefix}/`)) return { surface, rest: path.slice(prefix.length) };
  }
  return undefined;
}

/**
 * Classify a request URL. Under the capability prefix the remainder is an ordinary gateway
 * path, so `/__openclaw__/cap/<cap>/__openclaw__/canvas/x.html` is canvas file `x.html`.
 * Returns undefined for URLs the canvas host does not own.
 */
export function parseCanvasTarget(url: string): CanvasTarget | undefined {
  const queryAt = url.indexOf("?");
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? "" : url.slice(queryAt + 1));
  const queryCapability = query.get(CANVAS_CAPABILITY_QUERY) ?? undefined;
  if (path.startsWith(`${CANVAS_CAPABILITY_PATH}/`)) {
    const after = path.slice(CANVAS_CAPABILITY_PATH.length + 1);
    const slash = after.indexOf("/");
    const capability = slash === -1 ? after : after.slice(0, slash);
    const matched = slash === -1 ? undefined : matchSurface(after.slice(slash));
    return {
      surface: matched?.surface,
      rest: matched?.rest ?? "",
      capability: CAPABILITY_SHAPE.test(capability) ? capability : undefined,
      capabilityPrefixed: true,
    };
  }
  const matched = matchSurface(path);
  if (!matched) return undefined;
  return { ...matched, capability: queryCapability, capabilityPrefixed: false };
}

/** The URL a node gets in `hello-ok.pluginSurfaceUrls.canvas`, e.g. `https://host:18789/__openclaw__/cap/<cap>`. */
export function canvasCapabilityUrl(baseUrl: string, capability: string): string {
  return `${baseUrl.replace(/\/+$/, "")}${CANVAS_CAPABILITY_PATH}/${capability}`;
}

/**
 * Turn the encoded path after a surface prefix into file-name segments, or undefined when it
 * could reach outside the root. Callers still check the resolved real path: this only refuses
 * the spellings of traversal, the realpath check refuses symlinks.
 */
export function safeSegments(rawRest: string): string[] | undefined {
  // Encoded separators and backslashes never name a canvas file; they are how `..` hides.
  if (rawRest.includes("\\") || /%(2f|5c|00)/i.test(rawRest)) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawRest);
  } catch {
    return undefined;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return undefined;
  // Still-encoded text after one decode was encoded twice, to slip past a later decoder.
  if (/%[0-9a-f]{2}/i.test(decoded)) return undefined;
  const segments = decoded.split("/").filter((segment) => segment !== "" && segment !== ".");
  // A colon would let a segment act as a drive letter on Windows.
  if (segments.some((segment) => segment === ".." || segment.includes(":"))) return undefined;
  return segments;
}
