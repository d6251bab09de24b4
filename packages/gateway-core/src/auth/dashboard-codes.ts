import { randomBytes } from "node:crypto";
import { DASHBOARD_CODE_TTL_MS } from "@openclaw/protocol";
import { hashToken } from "./secret-compare.js";
import type { AuthSettings } from "./shared-auth.js";

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed is hard to get wrong. */
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** 20 random bytes: 160 bits, exactly 32 base32 characters. */
const CODE_BYTES = 20;

export interface DashboardCodeOptions {
  /** How long a code can be redeemed. @default 120000 */
  readonly ttlMs?: number;
  /** Codes kept at once; issuing more forgets the oldest. @default 16 */
  readonly maxLive?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** A code that was just issued; its text exists only here and in the caller's hands. */
export interface IssuedDashboardCode {
  readonly code: string;
  readonly expiresAtMs: number;
}

/** What redeeming a code found. */
export type DashboardRedemption = "redeemed" | "unknown" | "used" | "expired";

interface CodeRecord {
  readonly expiresAtMs: number;
  used: boolean;
  readonly timer: NodeJS.Timeout;
}

/** 160 random bits as 32 Crockford base32 characters in groups of four (`7K2Q-…`). */
function newCode(): string {
  const bytes = randomBytes(CODE_BYTES);
  let bits = 0;
  let value = 0;
  let text = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      text += ALPHABET[(value >>> bits) & 31];
    }
    value &= (1 << bits) - 1;
  }
  return text.match(/.{4}/g)!.join("-");
}

/**
 * A code as typed or pasted, in its canonical form: case, dashes and spaces do not matter, and
 * the letters Crockford base32 leaves out read as the digits they look like (O→0, I and L→1).
 */
export function normalizeDashboardCode(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
}

/**
 * One-time codes that sign a Control UI page in (`openclaw dashboard`). Each is random, works
 * once, and expires after `ttlMs`. Only the SHA-256 of a code is kept, in this process's memory:
 * a restart forgets every code. A redeemed or expired code is remembered (as its hash) until its
 * timer fires, so a second try can be told apart from a wrong code; `close` clears every timer.
 */
export class DashboardCodes {
  private readonly records = new Map<string, CodeRecord>();
  private readonly ttlMs: number;
  private readonly maxLive: number;
  private readonly now: () => number;

  constructor(options: DashboardCodeOptions = {}) {
    this.ttlMs = options.ttlMs ?? DASHBOARD_CODE_TTL_MS;
    this.maxLive = options.maxLive ?? 16;
    this.now = options.now ?? Date.now;
  }

  /** Codes remembered right now, live, used or expired (for tests and health). */
  get size(): number {
    return this.records.size;
  }

  issue(): IssuedDashboardCode {
    const code = newCode();
    const hash = hashToken(normalizeDashboardCode(code));
    const expiresAtMs = this.now() + this.ttlMs;
    // Kept past expiry for one more lifetime, to say "expired" or "used" rather than "unknown".
    const timer = setTimeout(() => this.forget(hash), 2 * this.ttlMs);
    timer.unref();
    this.records.set(hash, { expiresAtMs, used: false, timer });
    while (this.records.size > this.maxLive) this.forget(this.records.keys().next().value!);
    return { code, expiresAtMs };
  }

  /** Use a code up. Only the first redeem of a live code answers "redeemed". */
  redeem(text: string): DashboardRedemption {
    const record = this.records.get(hashToken(normalizeDashboardCode(text)));
    if (record === undefined) return "unknown";
    if (record.used) return "used";
    if (this.now() >= record.expiresAtMs) return "expired";
    record.used = true;
    return "redeemed";
  }

  /** Forget every code and clear every timer (the gateway is stopping). */
  close(): void {
    for (const hash of [...this.records.keys()]) this.forget(hash);
  }

  private forget(hash: string): void {
    const record = this.records.get(hash);
    if (record === undefined) return;
    clearTimeout(record.timer);
    this.records.delete(hash);
  }
}

/**
 * What a redeemed code hands the page: the shared secret it would otherwise have pasted, and the
 * `connect.auth` field it goes in. Undefined when the auth mode has none (`none`, `trusted-proxy`).
 */
export function dashboardSecret(auth: AuthSettings): { readonly auth: "token" | "password"; readonly secret: string } | undefined {
  if (auth.mode === "token" && auth.token) return { auth: "token", secret: auth.token };
  if (auth.mode === "password" && auth.password) return { auth: "password", secret: auth.password };
  return undefined;
}
