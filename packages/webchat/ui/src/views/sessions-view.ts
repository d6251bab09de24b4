import { html, nothing } from "lit";
import type { MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { formatAgo } from "../format.js";
import { GatewayView } from "./gateway-view.js";

type SessionsList = MethodResult<"sessions.list">;

/** Agent sessions, newest first; each opens in WebChat. */
export class SessionsView extends GatewayView {
  static override properties = { ...GatewayView.properties, list: { state: true } };

  declare list: SessionsList | undefined;

  constructor() {
    super();
    this.list = undefined;
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    this.list = await connection.call("sessions.list", {});
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    return [connection.on("sessions.changed", () => void this.refresh())];
  }

  private open(sessionKey: string): void {
    this.dispatchEvent(new CustomEvent("open-chat", { detail: sessionKey, bubbles: true, composed: true }));
  }

  override render() {
    const list = this.list;
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <h2>Sessions</h2>
      <div class="card">
        ${
          !list
            ? html`<div class="empty">Loading…</div>`
            : list.sessions.length === 0
              ? html`<div class="empty">No sessions yet. Start one in Chat.</div>`
              : html`<table>
                  <tr>
                    <th>Session</th>
                    <th>Updated</th>
                    <th>Model</th>
                    <th>Run</th>
                    <th></th>
                  </tr>
                  ${list.sessions.map(
                    (session) =>
                      html`<tr data-testid="session-row" data-session-key=${session.key}>
                        <td>${session.label ? html`<strong>${session.label}</strong><br />` : nothing}<code>${session.key}</code></td>
                        <td>${formatAgo(session.updatedAt ?? undefined)}</td>
                        <td>${session.model ?? list.defaults.model ?? "—"}</td>
                        <td>${session.hasActiveRun ? html`<span class="pill ok">running</span>` : html`<span class="muted">idle</span>`}</td>
                        <td><button @click=${() => this.open(session.key)}>Open chat</button></td>
                      </tr>`,
                  )}
                </table>`
        }
      </div>
    `;
  }
}

customElements.define("oc-sessions", SessionsView);
