import type { ChannelAccountState } from "@openclaw/protocol";
import type { ChannelAccountStatus } from "./adapter.js";

/** What an adapter's `status()` returns: the wire status with `state` narrowed to the protocol's states. */
export type AdapterAccountStatus = Omit<ChannelAccountStatus, "state"> & { readonly state: ChannelAccountState };

/**
 * The status of one account, kept in one place: the adapter sets states as its connection moves,
 * and `status()` builds the `channels.status` entry. Optional fields appear only once known.
 */
export class AccountStatusTracker {
  state: ChannelAccountState = "stopped";
  lastError: string | undefined;
  reconnectAttempts = 0;
  lastConnectedAt: number | undefined;
  lastInboundAt: number | undefined;
  lastOutboundAt: number | undefined;
  /** For accounts that link a device or need a registration; unknown until the adapter finds out. */
  linked: boolean | undefined;
  /** The provider ended the session; only a relink helps. */
  relinkNeeded = false;
  /** A QR code waiting to be scanned. */
  qr: string | undefined;

  constructor(
    readonly accountId: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The connection works: clears the error and the attempt counter and stamps `lastConnectedAt`. */
  connected(): void {
    this.state = "connected";
    this.lastError = undefined;
    this.reconnectAttempts = 0;
    this.lastConnectedAt = this.now();
  }

  /** The connection is down and will be tried again. */
  reconnecting(attempt: number, lastError: string | undefined): void {
    this.state = "reconnecting";
    this.reconnectAttempts = attempt;
    if (lastError !== undefined) this.lastError = lastError;
  }

  /** Stopped for good with `reason` (`failed` unless a more precise terminal state is given). */
  failed(reason: string, state: ChannelAccountState = "failed"): void {
    this.state = state;
    this.lastError = reason;
  }

  /** Stopped by the gateway; a terminal state (failed, logged out, …) is kept so the status still says why. */
  stopped(keep: readonly ChannelAccountState[] = ["failed"]): void {
    if (!keep.includes(this.state)) this.state = "stopped";
  }

  inbound(): void {
    this.lastInboundAt = this.now();
  }

  outbound(): number {
    this.lastOutboundAt = this.now();
    return this.lastOutboundAt;
  }

  /** The `channels.status` entry; `overrides` replace computed fields (WhatsApp's `connected` is its socket's). */
  status(overrides: Partial<AdapterAccountStatus> = {}): AdapterAccountStatus {
    return {
      accountId: this.accountId,
      state: this.state,
      connected: this.state === "connected",
      reconnectAttempts: this.reconnectAttempts,
      ...(this.linked !== undefined ? { linked: this.linked } : {}),
      ...(this.relinkNeeded ? { relinkNeeded: true } : {}),
      ...(this.qr !== undefined ? { qr: this.qr } : {}),
      ...(this.lastError !== undefined ? { lastError: this.lastError } : {}),
      ...(this.lastConnectedAt !== undefined ? { lastConnectedAt: this.lastConnectedAt } : {}),
      ...(this.lastInboundAt !== undefined ? { lastInboundAt: this.lastInboundAt } : {}),
      ...(this.lastOutboundAt !== undefined ? { lastOutboundAt: this.lastOutboundAt } : {}),
      ...overrides,
    };
  }
}
