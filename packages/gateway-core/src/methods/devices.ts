import type { DevicePairing, PairingActor } from "../pairing/device-pairing.js";
import type { MethodHandlers, RequestContext } from "./types.js";

function actor(context: RequestContext): PairingActor {
  return { connId: context.connId, deviceId: context.deviceId, scopes: context.scopes, authMethod: context.authMethod };
}

/** `device.pair.*` and `device.token.*`, backed by the pairing service. */
export function createDeviceHandlers(pairing: DevicePairing): MethodHandlers {
  return {
    "device.pair.list": (_params, context) => pairing.list(actor(context)),
    "device.pair.approve": (params, context) => pairing.approve(params.requestId, actor(context)),
    "device.pair.reject": (params) => pairing.reject(params.requestId),
    "device.pair.remove": (params) => pairing.remove(params.deviceId),
    "device.pair.rename": (params) => pairing.rename(params.deviceId, params.label),
    "device.token.rotate": (params, context) => pairing.rotate(params.deviceId, params.role, params.scopes, actor(context)),
    "device.token.revoke": (params) => pairing.revoke(params.deviceId, params.role),
  };
}
