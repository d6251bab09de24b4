import {
  PROTOCOL_VERSION,
  base64UrlEncode,
  buildDeviceAuthPayload,
  signedCredential,
  utf8Encode,
  type ConnectAuth,
  type ConnectChallenge,
  type ConnectParams,
} from "@openclaw/protocol";
import type { ResolvedOptions } from "./options.js";

/** Credentials the caller configured explicitly. */
export interface ExplicitCredentials {
  readonly token?: string;
  readonly password?: string;
  readonly deviceToken?: string;
}

/** The `connect.auth` to send, and whether its `token` slot came from the device-token store. */
export interface SelectedAuth {
  readonly auth: ConnectAuth | undefined;
  readonly tokenFromStore: boolean;
}

/**
 * Pick what goes in `connect.auth`, as the reference clients do: the password whenever set; in the
 * `token` slot the shared token, else the explicit device token, else the stored one;
 * in the `deviceToken` slot the explicit device token, or the stored one next to a shared
 * token (the gateway falls back to it when the shared token is refused).
 */
export function selectConnectAuth(explicit: ExplicitCredentials, stored: string | undefined): SelectedAuth {
  const auth: { token?: string; password?: string; deviceToken?: string } = {};
  const token = explicit.token ?? explicit.deviceToken ?? stored;
  if (token !== undefined) auth.token = token;
  const deviceToken = explicit.deviceToken ?? (explicit.token !== undefined ? stored : undefined);
  if (deviceToken !== undefined) auth.deviceToken = deviceToken;
  if (explicit.password !== undefined) auth.password = explicit.password;
  const tokenFromStore = explicit.token === undefined && explicit.deviceToken === undefined && stored !== undefined;
  return { auth: Object.keys(auth).length > 0 ? auth : undefined, tokenFromStore };
}

/**
 * The params of `connect` for one challenge. With an identity, the v3 payload is signed at
 * the challenge's `ts` (the gateway's clock, so a skewed local clock cannot expire it)
 * over the credential placed first in `auth`.
 */
export async function buildConnectParams(options: ResolvedOptions, challenge: ConnectChallenge, auth: ConnectAuth | undefined): Promise<ConnectParams> {
  const params: ConnectParams = {
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    client: options.client,
    role: options.role,
    scopes: [...options.scopes],
    ...(options.caps ? { caps: [...options.caps] } : {}),
    ...(options.commands ? { commands: [...options.commands] } : {}),
    ...(options.permissions ? { permissions: { ...options.permissions } } : {}),
    ...(auth ? { auth } : {}),
  };
  const identity = options.identity;
  if (identity === undefined) return params;
  const payload = buildDeviceAuthPayload({
    version: "v3",
    deviceId: identity.id,
    clientId: options.client.id,
    clientMode: options.client.mode,
    role: options.role,
    scopes: options.scopes,
    signedAtMs: challenge.ts,
    token: signedCredential(auth),
    nonce: challenge.nonce,
    platform: options.client.platform,
    deviceFamily: options.client.deviceFamily,
  });
  const signature = await identity.sign(utf8Encode(payload));
  return {
    ...params,
    device: { id: identity.id, publicKey: identity.publicKey, signature: base64UrlEncode(signature), signedAt: challenge.ts, nonce: challenge.nonce },
  };
}
