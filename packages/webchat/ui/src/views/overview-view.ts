import { html, nothing } from "lit";
import type { HealthSnapshot, MethodResult, PresenceEntry } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { formatAgo, formatDuration, shortId } from "../format.js";
import { GatewayView } from "./gateway-view.js";
import "./model-picker.js";

type StatusResult = MethodResult<"status"> & {
  auth?: { mode?: string };
  tls?: { enabled?: boolean; fingerprint256?: string; notAfter?: string };
  bind?: string;
};

/** The gateway at a glance: version, uptime, auth, TLS, health and who is connected. */
export class OverviewView extends GatewayView {
  static override properties = {
    ...GatewayView.properties,
    status: { state: true },
    health: { state: true },
    presence: { state: true },
    now: { state: true },
  };

  declare status: StatusResult | undefined;
  declare health: HealthSnapshot | undefined;
  declare presence: PresenceEntry[];
  declare now: number;
  private healthVersion = -1;

  constructor() {
    super();
    this.status = undefined;
    this.health = undefined;
    this.presence = [];
    this.now = Date.now();
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    const hello = connection.hello;
    if (hello) {
      this.presence = hello.snapshot.presence;
      this.applyHealth(hello.snapshot.health as HealthSnapshot, hello.snapshot.stateVersion.health);
    }
    const [status, health] = await Promise.all([connection.call("status", {}), connection.call("health", {})]);
    this.status = status as StatusResult;
    this.health = health;
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    // Uptime ticks on screen; the timer is cleared when the tab goes away.
    const timer = setInterval(() => (this.now = Date.now()), 1000);
    return [
      () => clearInterval(timer),
      connection.on("health", (payload, message) => this.applyHealth(payload, message.stateVersion?.health)),
      connection.on("presence", (payload) => (this.presence = payload.presence)),
    ];
  }

  private applyHealth(health: HealthSnapshot, version: number | undefined): void {
    // Stale snapshots (lower stateVersion) are dropped.
    if (version !== undefined) {
      if (version < this.healthVersion) return;
      this.healthVersion = version;
    }
    this.health = health;
  }

  override render() {
    const connection = this.connection;
    const phase = connection?.phase;
    const hello = connection?.hello;
    if (!hello || !connection) return html`<div class="empty">Not connected yet.</div>`;
    const openedAt = phase?.kind === "open" ? phase.openedAt : this.now;
    const uptimeMs = hello.snapshot.uptimeMs + Math.max(0, this.now - openedAt);
    const authMode = hello.snapshot.authMode ?? this.status?.auth?.mode ?? "unknown";
    const health = this.health;
    const channels = health?.channels ? Object.keys(health.channels as Record<string, unknown>) : [];
    const sessions = (health?.sessions as { count?: number } | undefined)?.count;
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <div class="grid">
        ${stat("Version", hello.server.version, "overview-version")} ${stat("Uptime", formatDuration(uptimeMs), "overview-uptime")}
        ${stat("Auth mode", authMode, "overview-auth-mode")} ${stat("TLS", this.tlsText(), "overview-tls")}
        ${stat("Health", health === undefined ? "…" : health.ok === false ? "degraded" : "ok", "overview-health")}
        ${stat("Protocol", `v${hello.protocol}`, "overview-protocol")} ${stat("Sessions", sessions === undefined ? "—" : String(sessions), "overview-sessions")}
        ${stat("Channels", channels.length === 0 ? "none yet: add one in Channels" : channels.join(", "), "overview-channels")}
      </div>

      <h3>Model</h3>
      <oc-model-picker .connection=${connection}></oc-model-picker>

      <h3>This connection</h3>
      <div class="card">
        <table>
          <tr>
            <th>Gateway URL</th>
            <td><code>${connection.url}</code></td>
          </tr>
          <tr>
            <th>Connection id</th>
            <td><code>${hello.server.connId}</code></td>
          </tr>
          <tr>
            <th>Device</th>
            <td><code data-testid="overview-device-id">${connection.deviceId ?? "—"}</code></td>
          </tr>
          <tr>
            <th>Role</th>
            <td>${hello.auth.role}</td>
          </tr>
          <tr>
            <th>Scopes</th>
            <td>${hello.auth.scopes.join(", ") || "none"}</td>
          </tr>
          <tr>
            <th>Host</th>
            <td>${(hello.server as { host?: string }).host ?? "—"}</td>
          </tr>
          ${
            this.status?.pid !== undefined
              ? html`<tr>
                  <th>Gateway pid</th>
                  <td>${this.status.pid}</td>
                </tr>`
              : nothing
          }
        </table>
      </div>

      <h3>Presence</h3>
      <div class="card">
        ${
          this.presence.length === 0
            ? html`<div class="empty">Nobody else is connected. Clients such as <code>openclaw tui</code>, a node or another browser show up here.</div>`
            : html`<table>
                <tr>
                  <th>Who</th>
                  <th>Mode</th>
                  <th>Platform</th>
                  <th>Address</th>
                  <th>Seen</th>
                </tr>
                ${this.presence.map(
                  (entry) =>
                    html`<tr>
                      <td>${entry.host ?? (entry.deviceId ? shortId(entry.deviceId) : "—")}</td>
                      <td>${entry.mode ?? "—"}</td>
                      <td>${entry.platform ?? "—"}</td>
                      <td>${entry.ip ?? "—"}</td>
                      <td>${formatAgo(entry.ts, this.now)}</td>
                    </tr>`,
                )}
              </table>`
        }
      </div>
    `;
  }

  private tlsText(): string {
    const tls = this.status?.tls;
    if (tls?.enabled && tls.fingerprint256) return `on · SHA-256 ${tls.fingerprint256}`;
    if (tls?.enabled) return "on";
    if (tls && !tls.enabled) return "off (plain ws://)";
    return globalThis.location?.protocol === "https:" ? "on (fingerprint not reported)" : "off (plain ws://)";
  }
}

function stat(label: string, value: string, testId: string) {
  return html`<div class="stat">
    <div class="label">${label}</div>
    <div class="value" data-testid=${testId}>${value}</div>
  </div>`;
}

customElements.define("oc-overview", OverviewView);
