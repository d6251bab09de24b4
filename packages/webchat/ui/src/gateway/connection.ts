import {
  CLIENT_VERSION,
  backoffDelay,
  connect,
  type CallArgs,
  type ClientEventName,
  type EventHandler,
  type GatewayClient,
  type ReconnectPolicy,
} from "@openclaw/client";
import type { HelloOk, MethodName, MethodResult } from "@openclaw/protocol";
import { classifyConnectFailure } from "./connect-failure.js";
import { loadOrCreateBrowserIdentity } from "./identity.js";
import { redeemDashboardCode } from "./dashboard-code.js";
import { clearGatewayCredential, loadGatewayCredential, LocalStorageDeviceTokenStore, saveGatewayCredential, type GatewayCredential } from "./storage.js";

/** Where the page's gateway connection is. */
export type ConnectionPhase =
  | { readonly kind: "needs-token"; readonly problem?: string }
  | { readonly kind: "connecting" }
  | { readonly kind: "open"; readonly hello: HelloOk; readonly openedAt: number }
  | { readonly kind: "reconnecting"; readonly attempt: number; readonly delayMs: number; readonly reason: string }
  | { readonly kind: "awaiting-approval"; readonly requestId: string | undefined; readonly message: string }
  | { readonly kind: "failed"; readonly message: string };

/** `connect` options every Control UI connection uses. */
export const CONTROL_UI_CLIENT = { id: "openclaw-control-ui", mode: "ui", platform: "web", displayName: "Control UI", version: CLIENT_VERSION } as const;
/** The UI approves devices and reads every tab, so it asks for operator authority. */
export const CONTROL_UI_SCOPES = ["operator.admin", "operator.read", "operator.write", "operator.pairing", "operator.approvals"] as const;
/** A browser tab should come back quickly after a gateway restart. */
export const CONTROL_UI_RECONNECT: Partial<ReconnectPolicy> = { initialMs: 500, maxMs: 5000 };
const FIRST_CONNECT_POLICY: ReconnectPolicy = { initialMs: 500, maxMs: 5000, factor: 2, jitter: 0.2, maxAttempts: Infinity };
const APPROVAL_POLL_POLICY: ReconnectPolicy = { initialMs: 2000, maxMs: 10_000, factor: 1.5, jitter: 0.2, maxAttempts: Infinity };

type AnyHandler = (payload: unknown, message: unknown) => void;

/**
 * The page's one gateway connection. It always targets the WebSocket of the host that
 * served the page, keeps the shared token in this origin's localStorage once the gateway
 * accepted it, and relays events to views across reconnects and new clients.
 *
 * DOM events: `phase` on every change, and `ready` on each hello-ok (`detail.resumed` after a
 * reconnect: events were missed, so views re-fetch). Gateway events, and the client's own
 * `gap`, come through `on`.
 */
export class GatewayConnection extends EventTarget {
  private current: ConnectionPhase = { kind: "connecting" };
  private client: GatewayClient | undefined;
  private readonly handlers = new Map<string, Set<AnyHandler>>();
  private readonly tokenStore = new LocalStorageDeviceTokenStore();
  private generation = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private everOpened = false;
  deviceId: string | undefined;

  constructor(readonly url: string) {
    super();
  }

  get phase(): ConnectionPhase {
    return this.current;
  }

  get hello(): HelloOk | undefined {
    return this.current.kind === "open" ? this.current.hello : this.client?.hello;
  }

  /** Whether this page was connected at some point (a drop then shows as "reconnecting"). */
  get wasOpen(): boolean {
    return this.everOpened;
  }

  /** Whether the gateway serves a method (from hello-ok `features.methods`). */
  has(method: string): boolean {
    return this.hello?.features.methods.includes(method) ?? false;
  }

  /** Whether this connection was granted `scope` (from hello-ok `auth.scopes`); controls it lacks are not shown. */
  hasScope(scope: string): boolean {
    return this.hello?.auth.scopes.includes(scope) ?? false;
  }

  /**
   * Connect with a token pasted now (or the credential a one-time code handed over), else with
   * the one this origin kept; without either, ask for one.
   */
  async start(given?: string | GatewayCredential): Promise<void> {
    const generation = this.reset();
    const pasted = typeof given === "string" ? (given.trim() ? { kind: "token" as const, secret: given.trim() } : undefined) : given;
    const credential = pasted ?? loadGatewayCredential();
    if (credential === undefined) {
      this.setPhase({ kind: "needs-token" });
      return;
    }
    await this.attempt(generation, credential, pasted !== undefined, 0);
  }

  /**
   * Trade a one-time code from `openclaw dashboard` for the gateway's credential at this origin,
   * then connect as if it had been pasted. A refused code asks again, saying why.
   */
  async redeem(code: string): Promise<void> {
    const generation = this.reset();
    this.setPhase({ kind: "connecting" });
    const redemption = await redeemDashboardCode(code.trim());
    if (generation !== this.generation) return;
    if (!redemption.ok) {
      this.setPhase({ kind: "needs-token", problem: redemption.message });
      return;
    }
    await this.start(redemption.credential);
  }

  /** Close the connection and forget the token (and this origin's device tokens). */
  async forget(): Promise<void> {
    this.reset();
    clearGatewayCredential();
    this.tokenStore.clearAll();
    this.setPhase({ kind: "needs-token" });
  }

  /** Call a method on the open connection (calls made while reconnecting wait for it). */
  call<M extends MethodName>(method: M, ...args: CallArgs<M>): Promise<MethodResult<M>> {
    const client = this.client;
    if (client === undefined) return Promise.reject(new Error(`not connected to the gateway (${method})`));
    return client.call(method, ...args);
  }

  /** Subscribe to a gateway event for as long as this page lives, across reconnects; returns the unsubscribe. */
  on<E extends ClientEventName>(event: E, handler: EventHandler<E>): () => void {
    let set = this.handlers.get(event);
    if (set === undefined) {
      set = new Set();
      this.handlers.set(event, set);
      this.client?.on(event, this.relay(event) as EventHandler<E>);
    }
    set.add(handler as unknown as AnyHandler);
    return () => set.delete(handler as unknown as AnyHandler);
  }

  private relay(event: string): AnyHandler {
    return (payload, message) => {
      for (const handler of [...(this.handlers.get(event) ?? [])]) handler(payload, message);
    };
  }

  /** Stop whatever is running; returns the new generation so stale async work can tell. */
  private reset(): number {
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const old = this.client;
    this.client = undefined;
    void old?.close();
    return this.generation;
  }

  private async attempt(generation: number, credential: GatewayCredential, pasted: boolean, attempt: number): Promise<void> {
    if (attempt === 0) this.setPhase({ kind: "connecting" });
    let client: GatewayClient;
    try {
      const identity = await loadOrCreateBrowserIdentity();
      this.deviceId = identity.id;
      client = await connect({
        url: this.url,
        ...(credential.kind === "token" ? { token: credential.secret } : { password: credential.secret }),
        identity,
        identityStore: this.tokenStore,
        client: CONTROL_UI_CLIENT,
        scopes: CONTROL_UI_SCOPES,
        caps: ["tool-events"],
        reconnect: CONTROL_UI_RECONNECT,
      });
    } catch (error) {
      if (generation !== this.generation) return;
      this.onConnectFailed(generation, credential, pasted, attempt, error);
      return;
    }
    if (generation !== this.generation) {
      void client.close();
      return;
    }
    // Kept only once the gateway accepted it, so a mistyped token is not remembered.
    saveGatewayCredential(credential);
    this.adopt(client);
  }

  private onConnectFailed(generation: number, credential: GatewayCredential, pasted: boolean, attempt: number, error: unknown): void {
    const failure = classifyConnectFailure(error);
    const retry = (policy: ReconnectPolicy, floorMs = 0) => {
      const delayMs = Math.max(floorMs, backoffDelay(attempt + 1, policy));
      this.retryTimer = setTimeout(() => void this.attempt(generation, credential, pasted, attempt + 1), delayMs);
      return delayMs;
    };
    switch (failure.kind) {
      case "auth":
        if (!pasted) clearGatewayCredential();
        this.setPhase({ kind: "needs-token", problem: failure.message });
        return;
      case "pairing":
        retry(APPROVAL_POLL_POLICY);
        this.setPhase({ kind: "awaiting-approval", requestId: failure.requestId, message: failure.message });
        return;
      case "retry": {
        const delayMs = retry(FIRST_CONNECT_POLICY, failure.retryAfterMs ?? 0);
        this.setPhase({ kind: "reconnecting", attempt: attempt + 1, delayMs, reason: failure.message });
        return;
      }
      case "fatal":
        this.setPhase({ kind: "failed", message: failure.message });
    }
  }

  private adopt(client: GatewayClient): void {
    this.client = client;
    for (const event of this.handlers.keys()) client.on(event as ClientEventName, this.relay(event) as EventHandler<ClientEventName>);
    client.onStatus((status) => {
      if (this.client !== client) return;
      if (status.state === "open") this.opened(status.hello, true);
      else if (status.state === "reconnecting") {
        this.setPhase({ kind: "reconnecting", attempt: status.attempt, delayMs: status.delayMs, reason: status.lastError.message });
      } else if (status.state === "closed") {
        this.client = undefined;
        const failure = classifyConnectFailure(status.reason);
        if (failure.kind === "auth") {
          clearGatewayCredential();
          this.setPhase({ kind: "needs-token", problem: failure.message });
        } else if (failure.kind === "fatal") this.setPhase({ kind: "failed", message: failure.message });
        // Pairing revoked or a retry the client gave up on: start over with the kept token.
        else void this.start();
      }
    });
    this.opened(client.hello!, false);
  }

  private opened(hello: HelloOk, resumed: boolean): void {
    this.everOpened = true;
    // sessions.changed reaches only connections that asked for it, and each new socket starts without.
    if (hello.features.methods.includes("sessions.subscribe")) void this.client?.call("sessions.subscribe", {}).catch(() => undefined);
    this.setPhase({ kind: "open", hello, openedAt: Date.now() });
    this.dispatchEvent(new CustomEvent("ready", { detail: { resumed } }));
  }

  private setPhase(phase: ConnectionPhase): void {
    this.current = phase;
    this.dispatchEvent(new CustomEvent("phase", { detail: phase }));
  }
}
