import { dashboardSecret, type DashboardCodes } from "../auth/dashboard-codes.js";
import type { AuthSettings } from "../auth/shared-auth.js";
import type { MethodHandlers } from "./types.js";

/**
 * `dashboard.code`: the Control UI's path, and a one-time code that signs a browser in there
 * (redeemed at `/__openclaw__/dashboard/redeem`). A gateway without a shared secret (auth mode
 * `none` or `trusted-proxy`) has nothing to hand over and answers the path alone.
 */
export function createDashboardHandlers(codes: DashboardCodes, auth: AuthSettings, path: string): MethodHandlers {
  return {
    "dashboard.code": () => {
      if (dashboardSecret(auth) === undefined) return { path };
      const issued = codes.issue();
      return { path, code: issued.code, expiresAtMs: issued.expiresAtMs };
    },
  };
}
