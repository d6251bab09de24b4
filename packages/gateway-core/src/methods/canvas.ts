import { canvasCapabilityUrl, type CanvasCapabilities } from "../canvas/index.js";
import type { MethodHandlers } from "./types.js";

/**
 * `node.pluginSurface.refresh`: a node's fresh canvas capability URL. `baseUrl` is the origin the
 * caller's connection reached the gateway on, so the node can follow the URL back.
 */
export function createCanvasHandlers(capabilities: CanvasCapabilities, baseUrl: (connId: string) => string): MethodHandlers {
  return {
    "node.pluginSurface.refresh": (_params, context) => {
      const nodeId = context.deviceId ?? context.client.id;
      const grant = capabilities.refresh(nodeId);
      return { surface: "canvas" as const, url: canvasCapabilityUrl(baseUrl(context.connId), grant.capability), expiresAtMs: grant.expiresAtMs };
    },
  };
}
