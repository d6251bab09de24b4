import { LitElement, html, nothing } from "lit";
import type { GatewayConnection } from "../gateway/connection.js";
import { viewStyles } from "../styles.js";

/**
 * Asks for the gateway token once, or for a one-time code from `openclaw dashboard`, which the
 * gateway that served this page trades for its credential. The token is typed or pasted here,
 * never taken from the address bar or a link, and kept in this origin's localStorage after the
 * gateway accepts it.
 */
export class ConnectionPanel extends LitElement {
  static override styles = [viewStyles];
  static override properties = { connection: { attribute: false }, token: { state: true }, code: { state: true } };

  declare connection: GatewayConnection | undefined;
  declare token: string;
  declare code: string;

  constructor() {
    super();
    this.connection = undefined;
    this.token = "";
    this.code = "";
  }

  private submitCode(event: Event): void {
    event.preventDefault();
    const code = this.code.trim();
    if (code === "" || this.connection === undefined) return;
    this.code = "";
    void this.connection.redeem(code);
  }

  private submit(event: Event): void {
    event.preventDefault();
    const token = this.token.trim();
    if (token === "" || this.connection === undefined) return;
    this.token = "";
    void this.connection.start(token);
  }

  override render() {
    const connection = this.connection;
    const phase = connection?.phase;
    const problem = phase?.kind === "needs-token" ? phase.problem : undefined;
    return html`
      <form class="card" data-testid="connection-panel" @submit=${this.submit}>
        <h2>Connect to this gateway</h2>
        <p class="muted">
          This page talks only to the gateway that served it: <code data-testid="gateway-url">${connection?.url ?? ""}</code>. Paste the gateway token
          (<code>gateway.auth.token</code>, shown by <code>openclaw gateway run</code>) once; this browser keeps it for this address only.
        </p>
        ${problem ? html`<p class="error" data-testid="connection-problem">${problem}</p>` : nothing}
        <label for="token">Gateway token</label>
        <div class="row">
          <input
            id="token"
            type="password"
            autocomplete="off"
            spellcheck="false"
            size="48"
            data-testid="token-input"
            .value=${this.token}
            @input=${(event: Event) => (this.token = (event.target as HTMLInputElement).value)}
          />
          <button class="primary" type="submit" data-testid="connect-button" ?disabled=${this.token.trim() === ""}>Connect</button>
        </div>
      </form>
      <form class="card" data-testid="code-panel" @submit=${this.submitCode}>
        <label for="code">Or a one-time code</label>
        <p class="muted">Run <code>openclaw dashboard</code> on the gateway host: it prints a code that works once, for two minutes.</p>
        <div class="row">
          <input
            id="code"
            type="text"
            autocomplete="one-time-code"
            spellcheck="false"
            size="48"
            placeholder="XXXX-XXXX-…"
            data-testid="code-input"
            .value=${this.code}
            @input=${(event: Event) => (this.code = (event.target as HTMLInputElement).value)}
          />
          <button type="submit" data-testid="code-button" ?disabled=${this.code.trim() === ""}>Use code</button>
        </div>
      </form>
    `;
  }
}

customElements.define("oc-connection-panel", ConnectionPanel);
