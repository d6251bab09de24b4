import { html, nothing } from "lit";
import type { MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage, formatAgo, shortId } from "../format.js";
import { GatewayView } from "./gateway-view.js";

type DeviceList = MethodResult<"device.pair.list">;

/** Paired devices and pending pairing requests, approvable and rejectable here. */
export class DevicesView extends GatewayView {
  static override properties = {
    ...GatewayView.properties,
    list: { state: true },
    busy: { state: true },
    confirmRemove: { state: true },
  };

  declare list: DeviceList | undefined;
  /** Request or device ids with an action on its way. */
  declare busy: ReadonlySet<string>;
  declare confirmRemove: string | undefined;

  constructor() {
    super();
    this.list = undefined;
    this.busy = new Set();
    this.confirmRemove = undefined;
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    this.list = await connection.call("device.pair.list", {});
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    return [connection.on("device.pair.requested", () => void this.refresh()), connection.on("device.pair.resolved", () => void this.refresh())];
  }

  private async act(id: string, action: () => Promise<unknown>): Promise<void> {
    this.busy = new Set([...this.busy, id]);
    try {
      await action();
      await this.refresh();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      const next = new Set(this.busy);
      next.delete(id);
      this.busy = next;
    }
  }

  private approve(requestId: string) {
    return this.act(requestId, () => this.connection!.call("device.pair.approve", { requestId }));
  }

  private reject(requestId: string) {
    return this.act(requestId, () => this.connection!.call("device.pair.reject", { requestId }));
  }

  private removeDevice(deviceId: string) {
    if (this.confirmRemove !== deviceId) {
      this.confirmRemove = deviceId;
      return;
    }
    this.confirmRemove = undefined;
    void this.act(deviceId, () => this.connection!.call("device.pair.remove", { deviceId }));
  }

  override render() {
    const list = this.list;
    const self = this.connection?.deviceId;
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <h2>Pending pairing requests</h2>
      <div class="card" data-testid="pending-devices">
        ${
          !list
            ? html`<div class="empty">Loading…</div>`
            : list.pending.length === 0
              ? html`<div class="empty">No device is waiting for approval.</div>`
              : html`<table>
                  <tr>
                    <th>Device</th>
                    <th>Client</th>
                    <th>Asks for</th>
                    <th>From</th>
                    <th>When</th>
                    <th></th>
                  </tr>
                  ${list.pending.map(
                    (request) =>
                      html`<tr data-testid="pending-device" data-request-id=${request.requestId} data-device-id=${request.deviceId}>
                        <td>
                          <strong>${request.displayName ?? "unnamed device"}</strong>
                          ${request.isRepair ? html`<span class="pill">repair</span>` : nothing}
                          <div class="muted"><code>${shortId(request.deviceId, 16)}</code></div>
                        </td>
                        <td>
                          ${request.clientId ?? "—"} · ${request.clientMode ?? "—"}
                          <div class="muted">${request.platform ?? ""}</div>
                        </td>
                        <td>
                          ${request.role ?? "operator"}
                          <div class="muted">${(request.scopes ?? []).join(", ") || "no scopes"}</div>
                        </td>
                        <td>${request.remoteIp ?? "—"}</td>
                        <td>${formatAgo(request.ts)}</td>
                        <td class="row">
                          <button
                            class="primary"
                            data-testid="approve-device"
                            ?disabled=${this.busy.has(request.requestId)}
                            @click=${() => this.approve(request.requestId)}
                          >
                            Approve
                          </button>
                          <button
                            class="danger"
                            data-testid="reject-device"
                            ?disabled=${this.busy.has(request.requestId)}
                            @click=${() => this.reject(request.requestId)}
                          >
                            Reject
                          </button>
                        </td>
                      </tr>`,
                  )}
                </table>`
        }
      </div>

      <h2>Paired devices</h2>
      <div class="card" data-testid="paired-devices">
        ${
          !list || list.paired.length === 0
            ? html`<div class="empty">
                ${list ? "No paired devices yet. A browser or app that connects with the gateway token is paired here (approve it above when it asks)." : "Loading…"}
              </div>`
            : html`<table>
                <tr>
                  <th>Device</th>
                  <th>Client</th>
                  <th>Roles and scopes</th>
                  <th>Approved</th>
                  <th>Status</th>
                  <th></th>
                </tr>
                ${list.paired.map(
                  (device) =>
                    html`<tr data-testid="paired-device" data-device-id=${device.deviceId}>
                      <td>
                        <strong>${device.displayName ?? "unnamed device"}</strong>
                        ${device.deviceId === self ? html`<span class="pill">this browser</span>` : nothing}
                        <div class="muted"><code>${shortId(device.deviceId, 16)}</code></div>
                      </td>
                      <td>
                        ${device.clientId ?? "—"}
                        <div class="muted">${device.platform ?? ""}</div>
                      </td>
                      <td>
                        ${(device.roles ?? []).join(", ") || "—"}
                        <div class="muted">${(device.scopes ?? []).join(", ")}</div>
                      </td>
                      <td>
                        ${formatAgo(device.approvedAtMs)}
                        <div class="muted">${device.approvedVia ?? ""}</div>
                      </td>
                      <td><span class="pill ${device.connected ? "ok" : ""}">${device.connected ? "connected" : "offline"}</span></td>
                      <td>
                        <button class="danger" ?disabled=${this.busy.has(device.deviceId)} @click=${() => this.removeDevice(device.deviceId)}>
                          ${this.confirmRemove === device.deviceId ? "Confirm remove" : "Remove"}
                        </button>
                      </td>
                    </tr>`,
                )}
              </table>`
        }
      </div>
    `;
  }
}

customElements.define("oc-devices", DevicesView);
