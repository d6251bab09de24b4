// Browser entry for the A2UI renderer served at /__openclaw__/a2ui/.
// It renders A2UI v0.8 surfaces with @a2ui/lit and exposes `globalThis.openclawA2UI`
// so a native node (or a test page) can push messages with a plain JS call.
import { Data } from "@a2ui/lit/v0_8";
// Registers <a2ui-surface> and the component elements as a side effect.
import "@a2ui/lit/ui";

const processor = Data.createSignalA2uiMessageProcessor();
const surfaceElements = new Map();

function host() {
  return document.getElementById("openclaw-a2ui") ?? document.body;
}

// Surfaces are created by messages; mirror the processor's surfaces into elements.
function render() {
  const surfaces = processor.getSurfaces();
  for (const [surfaceId, surface] of surfaces) {
    let element = surfaceElements.get(surfaceId);
    if (!element) {
      element = document.createElement("a2ui-surface");
      element.surfaceId = surfaceId;
      element.processor = processor;
      element.dataset.surfaceId = surfaceId;
      host().append(element);
      surfaceElements.set(surfaceId, element);
    }
    element.surface = surface;
  }
  for (const [surfaceId, element] of surfaceElements) {
    if (surfaces.has(surfaceId)) continue;
    element.remove();
    surfaceElements.delete(surfaceId);
  }
}

// An action's context entries are bindings; the agent wants resolved values.
function resolveContext(detail, surfaceId) {
  const context = {};
  for (const entry of detail.action?.context ?? []) {
    const value = entry.value ?? {};
    if (value.path !== undefined && detail.sourceComponent) context[entry.key] = processor.getData(detail.sourceComponent, value.path, surfaceId);
    else context[entry.key] = value.literalString ?? value.literalNumber ?? value.literalBoolean ?? null;
  }
  return context;
}

// User actions bubble (composed) out of the surface; forward them over the page bridge.
document.addEventListener("a2uiaction", (event) => {
  const detail = event.detail ?? {};
  const surfaceElement = event.composedPath().find((node) => node instanceof HTMLElement && node.tagName === "A2UI-SURFACE");
  const surfaceId = surfaceElement?.dataset.surfaceId ?? "";
  const userAction = {
    id: globalThis.crypto?.randomUUID?.() ?? String(Date.now()),
    name: detail.action?.name ?? "",
    surfaceId,
    sourceComponentId: detail.sourceComponentId ?? "",
    context: resolveContext(detail, surfaceId),
  };
  globalThis.OpenClaw?.sendUserAction?.(userAction);
});

globalThis.openclawA2UI = {
  applyMessages(messages) {
    processor.processMessages(Array.isArray(messages) ? messages : [messages]);
    render();
    return { surfaces: [...processor.getSurfaces().keys()] };
  },
  reset() {
    processor.clearSurfaces();
    render();
  },
  surfaceIds() {
    return [...processor.getSurfaces().keys()];
  },
};
