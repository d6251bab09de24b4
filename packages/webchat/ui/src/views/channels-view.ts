import { html, nothing } from "lit";
import QRCode from "qrcode";
import type { MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { formatAgo } from "../format.js";
import { GatewayView } from "./gateway-view.js";

type ChannelsStatus = MethodResult<"channels.status">;

/** While an account shows a QR or is connecting, its state changes without an event. */
const POLL_MS = 3000;

/** Messaging channels and the state of each account, with the link QR when one is offered. */
export class ChannelsView extends GatewayView {
  static override properties = { ...GatewayView.properties, status: { state: true }, unsupported: { state: true }, qrImages: { state: true } };

  declare status: ChannelsStatus | undefined;
  declare unsupported: boolean;
  /** Link QR payloads drawn as SVG data URLs, keyed by payload (a rotated QR is a new key). */
  declare qrImages: ReadonlyMap<string, string>;

  constructor() {
    super();
    this.status = undefined;
    this.unsupported = false;
    this.qrImages = new Map();
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    this.unsupported = !connection.has("channels.status");
    if (this.unsupported) return;
    const status = await connection.call("channels.status", {});
    this.status = status;
    const payloads = Object.values(status.channels).flatMap((channel) => channel.accounts.flatMap((account) => (account.qr === undefined ? [] : [account.qr])));
    const images = new Map<string, string>();
    for (const payload of payloads) images.set(payload, this.qrImages.get(payload) ?? (await qrDataUrl(payload)));
    this.qrImages = images;
  }

  protected override subscribe(): (() => void)[] {
    const timer = setInterval(() => {
      const accounts = Object.values(this.status?.channels ?? {}).flatMap((channel) => channel.accounts);
      if (accounts.some((account) => account.qr !== undefined || account.state === "connecting" || account.state === "starting")) void this.refresh();
    }, POLL_MS);
    return [() => clearInterval(timer)];
  }

  override render() {
    if (this.unsupported) return html`<div class="card empty">This gateway has no messaging channels configured.</div>`;
    const status = this.status;
    const names = status ? (status.channelOrder ?? Object.keys(status.channels)) : [];
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <h2>Channels</h2>
      ${
        !status
          ? html`<div class="card empty">Loading…</div>`
          : names.length === 0
            ? html`<div class="card empty">No channel accounts.</div>`
            : names.map((name) => {
                const accounts = status.channels[name]?.accounts ?? [];
                return html`<div class="card" data-testid="channel" data-channel=${name}>
                  <h3>${name}</h3>
                  <table>
                    <tr>
                      <th>Account</th>
                      <th>State</th>
                      <th>Connected</th>
                      <th>Last inbound</th>
                      <th>Last outbound</th>
                      <th>Problem</th>
                    </tr>
                    ${accounts.map(
                      (account) =>
                        html`<tr data-testid="channel-account">
                            <td>${account.accountId}</td>
                            <td><span class="pill ${account.connected ? "ok" : account.lastError ? "error" : ""}">${account.state}</span></td>
                            <td>
                              ${account.connected ? "yes" : "no"}${account.reconnectAttempts ? html` <span class="muted">(${account.reconnectAttempts} retries)</span>` : nothing}
                            </td>
                            <td>${formatAgo(account.lastInboundAt)}</td>
                            <td>${formatAgo(account.lastOutboundAt)}</td>
                            <td class="error">${account.lastError ?? ""}${account.relinkNeeded ? " (relink needed)" : ""}</td>
                          </tr>
                          ${
                            account.qr !== undefined
                              ? html`<tr>
                                  <td colspan="6">${renderQr(account.qr, this.qrImages.get(account.qr))}</td>
                                </tr>`
                              : nothing
                          }`,
                    )}
                  </table>
                </div>`;
              })
      }
    `;
  }
}

/** A link QR payload as an SVG image (the page allows `data:` images, nothing else). */
async function qrDataUrl(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "L", margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The QR to scan, with its payload for a phone that cannot scan the screen. */
function renderQr(qr: string, image: string | undefined) {
  return html`<div data-testid="channel-qr" data-qr=${qr}>
    <div class="muted">Link this account: in the app, open Linked devices › Link a device and scan this code.</div>
    ${image ? html`<img data-testid="channel-qr-image" class="qr" width="240" height="240" alt="QR code to link the account" src=${image} />` : html`<pre>${qr}</pre>`}
  </div>`;
}

customElements.define("oc-channels", ChannelsView);
