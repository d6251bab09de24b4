import { randomBytes } from "node:crypto";

/** How long a canvas capability stays valid after its last use. */
export const CANVAS_CAPABILITY_TTL_MS = 600_000;

/** A capability handed to a node, for `hello-ok.pluginSurfaceUrls.canvas` and `node.pluginSurface.refresh`. */
export interface CanvasCapabilityGrant {
  /** 18 random bytes, base64url. */
  readonly capability: string;
  readonly expiresAtMs: number;
}

export interface CanvasCapabilitiesOptions {
  /** Sliding lifetime: each authorized use pushes expiry this far out. @default 600000 */
  readonly ttlMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

interface Entry {
  readonly nodeId: string;
  expiresAtMs: number;
}

/**
 * Capabilities that let a node's WebView reach the canvas without headers. Each node holds
 * at most one, bound to its live connection: issue on connect, revoke on disconnect.
 */
export class CanvasCapabilities {
  private readonly byCapability = new Map<string, Entry>();
  private readonly byNode = new Map<string, string>();
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: CanvasCapabilitiesOptions = {}) {
    this.ttlMs = options.ttlMs ?? CANVAS_CAPABILITY_TTL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Mint a fresh capability for the node; its previous one stops working. */
  issue(nodeId: string): CanvasCapabilityGrant {
    this.revokeNode(nodeId);
    const capability = randomBytes(18).toString("base64url");
    const entry: Entry = { nodeId, expiresAtMs: this.now() + this.ttlMs };
    this.byCapability.set(capability, entry);
    this.byNode.set(nodeId, capability);
    return { capability, expiresAtMs: entry.expiresAtMs };
  }

  /**
   * `node.pluginSurface.refresh`: keep the node's live capability (so an open page keeps
   * working) with a renewed expiry, or mint one when it has none or it lapsed.
   */
  refresh(nodeId: string): CanvasCapabilityGrant {
    const capability = this.byNode.get(nodeId);
    const entry = capability === undefined ? undefined : this.live(capability);
    if (capability === undefined || entry === undefined) return this.issue(nodeId);
    entry.expiresAtMs = this.now() + this.ttlMs;
    return { capability, expiresAtMs: entry.expiresAtMs };
  }

  /** True when the capability is live; each successful use slides its expiry. */
  authorize(capability: string): boolean {
    const entry = this.live(capability);
    if (!entry) return false;
    entry.expiresAtMs = this.now() + this.ttlMs;
    return true;
  }

  /** Drop the node's capability (on disconnect or unpairing). Returns whether it had one. */
  revokeNode(nodeId: string): boolean {
    const capability = this.byNode.get(nodeId);
    if (capability === undefined) return false;
    this.byNode.delete(nodeId);
    this.byCapability.delete(capability);
    return true;
  }

  /** Forget lapsed capabilities; returns how many. Cheap enough for the maintenance tick. */
  sweep(): number {
    let removed = 0;
    for (const [capability, entry] of this.byCapability) {
      if (entry.expiresAtMs > this.now()) continue;
      this.revokeNode(entry.nodeId);
      this.byCapability.delete(capability);
      removed += 1;
    }
    return removed;
  }

  private live(capability: string): Entry | undefined {
    const entry = this.byCapability.get(capability);
    if (!entry) return undefined;
    if (entry.expiresAtMs > this.now()) return entry;
    this.revokeNode(entry.nodeId);
    return undefined;
  }
}
