import { html } from "lit";
import QRCode from "qrcode";

/** A link QR payload as an SVG image (the page allows `data:` images, nothing else). */
export async function qrDataUrl(payload: string): Promise<string> {
  const svg = await QRCode.toString(payload, { type: "svg", errorCorrectionLevel: "L", margin: 2 });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The QR to scan, with its payload for a phone that cannot scan the screen. */
export function renderQr(qr: string, image: string | undefined) {
  return html`<div data-testid="channel-qr" data-qr=${qr}>
    <div class="muted">Link this account: in the app, open Linked devices › Link a device and scan this code. A new code replaces it every few seconds.</div>
    ${image ? html`<img data-testid="channel-qr-image" class="qr" width="240" height="240" alt="QR code to link the account" src=${image} />` : html`<pre>${qr}</pre>`}
  </div>`;
}

/** What a linking account shows while no QR has arrived yet. */
export function renderWaitingForQr() {
  return html`<div class="muted" data-testid="channel-qr-waiting">Waiting for the gateway to offer a link code…</div>`;
}
