// The canvas host's public surface; src/index.ts re-exports from here.
export { createCanvasHost, type CanvasHost, type CanvasHostOptions } from "./canvas-host.js";
export { CANVAS_CAPABILITY_TTL_MS, CanvasCapabilities, type CanvasCapabilitiesOptions, type CanvasCapabilityGrant } from "./capabilities.js";
export { A2UI_BUNDLE_DIR, defaultA2uiRoot } from "./a2ui-assets.js";
export { LIVE_RELOAD_DEBOUNCE_MS } from "./live-reload.js";
export {
  A2UI_PATH,
  CANVAS_CAPABILITY_PATH,
  CANVAS_CAPABILITY_QUERY,
  CANVAS_HOST_PATH,
  CANVAS_WS_PATH,
  canvasCapabilityUrl,
  type CanvasSurface,
} from "./paths.js";
