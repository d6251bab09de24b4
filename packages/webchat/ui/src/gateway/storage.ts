import type { DeviceTokenKey, DeviceTokenRecord, DeviceTokenStore } from "@openclaw/client";

/** localStorage is per origin, so the token stays with the gateway that served this page. */
const GATEWAY_TOKEN_KEY = "openclaw.control-ui.gateway-token.v1";
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

export function loadGatewayToken(): string | undefined {
  const value = storage()?.getItem(GATEWAY_TOKEN_KEY);
  return value ? value : undefined;
}

export function saveGatewayToken(token: string): void {
  storage()?.setItem(GATEWAY_TOKEN_KEY, token);
}

export function clearGatewayToken(): void {
  storage()?.removeItem(GATEWAY_TOKEN_KEY);
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
