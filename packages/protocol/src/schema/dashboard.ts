import { Type, type Static } from "@sinclair/typebox";
import { NonEmptyString, NonNegativeInt, StringEnum, closedObject } from "./primitives.js";

/** Where the gateway takes one-time dashboard codes: same origin as the Control UI, POST only. */
export const DASHBOARD_REDEEM_PATH = "/__openclaw__/dashboard/redeem";

/** How long a dashboard code can be redeemed. */
export const DASHBOARD_CODE_TTL_MS = 120_000;

/** The longest code text the redeem route reads (codes are 32 characters, grouped or not). */
export const DASHBOARD_CODE_MAX_LENGTH = 64;

/** `dashboard.code` takes nothing. */
export const DashboardCodeParams = closedObject({});
export type DashboardCodeParams = Static<typeof DashboardCodeParams>;

/**
 * `dashboard.code`: where the Control UI is served, and a one-time code that signs a browser in
 * there. `code` and `expiresAtMs` are absent when the gateway's auth mode has no shared secret to
 * hand over (`none`, `trusted-proxy`): the UI then needs no code.
 */
export const DashboardCodeResult = closedObject({
  /** The Control UI's path on the gateway's origin (`gateway.controlUi.basePath`), ending in "/". */
  path: NonEmptyString,
  code: Type.Optional(NonEmptyString),
  expiresAtMs: Type.Optional(NonNegativeInt),
});
export type DashboardCodeResult = Static<typeof DashboardCodeResult>;

/** The JSON body of `POST /__openclaw__/dashboard/redeem`. */
export const DashboardRedeemRequest = closedObject({ code: Type.String({ minLength: 1, maxLength: DASHBOARD_CODE_MAX_LENGTH }) });
export type DashboardRedeemRequest = Static<typeof DashboardRedeemRequest>;

/** A redeemed code: the gateway's shared secret, and which `connect.auth` field it goes in. */
export const DashboardRedeemResult = closedObject({
  auth: StringEnum(["token", "password"] as const),
  secret: NonEmptyString,
});
export type DashboardRedeemResult = Static<typeof DashboardRedeemResult>;

/** Why a redeem was refused (`error.reason` of a 4xx answer). */
export const DASHBOARD_REDEEM_REFUSALS = ["invalid-request", "cross-origin", "unknown-code", "used-code", "expired-code", "rate-limited"] as const;

/** A refused redeem: a stable reason and a message to show as it is. */
export const DashboardRedeemError = closedObject({
  error: closedObject({
    reason: StringEnum(DASHBOARD_REDEEM_REFUSALS),
    message: NonEmptyString,
    retryAfterMs: Type.Optional(NonNegativeInt),
  }),
});
export type DashboardRedeemError = Static<typeof DashboardRedeemError>;
