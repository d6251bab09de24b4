import type { DeviceTokenKey, DeviceTokenRecord, DeviceTokenStore } from "@openclaw/client";

/** localStorage is per origin, so the token (or password) stays with the gateway that served this page. */
const GATEWAY_TOKEN_KEY = "openclaw.control-ui.gateway-token.v1";
/** A password gateway's secret, as a one-time dashboard code hands it over. */
const GATEWAY_PASSWORD_KEY = "openclaw.control-ui.gateway-password.v1";
const DEVICE_TOKENS_KEY = "openclaw.device.auth.v1";
const CHAT_SESSION_KEY = "openclaw.control-ui.chat-session.v1";

function storage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    // Storage can be disabled by the browser; the UI then asks for the token each time.
    return undefined;
  }
}

/** The gateway's shared secret, and which `connect.auth` field it goes in. */
export interface GatewayCredential {
  readonly kind: "token" | "password";
  readonly secret: string;
}

export function loadGatewayCredential(): GatewayCredential | undefined {
  const token = storage()?.getItem(GATEWAY_TOKEN_KEY);
  if (token) return { kind: "token", secret: token };
  const password = storage()?.getItem(GATEWAY_PASSWORD_KEY);
  return password ? { kind: "password", secret: password } : undefined;
}

/** Keep one credential: saving a token forgets a kept password, and the other way round. */
export function saveGatewayCredential(credential: GatewayCredential): void {
  storage()?.setItem(credential.kind === "token" ? GATEWAY_TOKEN_KEY : GATEWAY_PASSWORD_KEY, credential.secret);
  storage()?.removeItem(credential.kind === "token" ? GATEWAY_PASSWORD_KEY : GATEWAY_TOKEN_KEY);
}

export function clearGatewayCredential(): void {
  storage()?.removeItem(GATEWAY_TOKEN_KEY);
  storage()?.removeItem(GATEWAY_PASSWORD_KEY);
}

export function loadChatSession(): string | undefined {
  return storage()?.getItem(CHAT_SESSION_KEY) ?? undefined;
}

export function saveChatSession(sessionKey: string): void {
  storage()?.setItem(CHAT_SESSION_KEY, sessionKey);
}

type StoredTokens = Record<string, DeviceTokenRecord>;

/** Device tokens the gateway issued, per (gateway URL, device, role), in localStorage. */
export class LocalStorageDeviceTokenStore implements DeviceTokenStore {
  get(key: DeviceTokenKey): DeviceTokenRecord | undefined {
    return this.read()[keyString(key)];
  }

  set(key: DeviceTokenKey, record: DeviceTokenRecord): void {
    const all = this.read();
    all[keyString(key)] = { token: record.token, scopes: [...record.scopes], issuedAtMs: record.issuedAtMs };
    storage()?.setItem(DEVICE_TOKENS_KEY, JSON.stringify(all));
  }

  clear(key: DeviceTokenKey): void {
    const all = this.read();
    delete all[keyString(key)];
    storage()?.setItem(DEVICE_TOKENS_KEY, JSON.stringify(all));
  }

  /** Forget every device token (with "forget this gateway"). */
  clearAll(): void {
    storage()?.removeItem(DEVICE_TOKENS_KEY);
  }

  private read(): StoredTokens {
    try {
      const parsed: unknown = JSON.parse(storage()?.getItem(DEVICE_TOKENS_KEY) ?? "{}");
      return parsed !== null && typeof parsed === "object" ? (parsed as StoredTokens) : {};
    } catch {
      return {};
    }
  }
}

function keyString(key: DeviceTokenKey): string {
  return `${key.gatewayUrl}|${key.deviceId}|${key.role}`;
}
