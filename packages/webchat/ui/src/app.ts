import { LitElement, css, html, nothing } from "lit";
import { UI_TABS, basePathFromScript, pathBelowBase, pathUnderBase, tabForPath, type UiTabId } from "../../src/spa-paths.js";
import { GatewayConnection } from "./gateway/connection.js";
import { takeDashboardCode } from "./gateway/dashboard-code.js";
import { sameOriginGatewayUrl, scrubLinkCredentials } from "./gateway/link-credentials.js";
import { loadChatSession, saveChatSession } from "./gateway/storage.js";
import { viewStyles } from "./styles.js";
import "./views/connection-panel.js";
import "./views/overview-view.js";
import "./views/devices-view.js";
import "./views/nodes-view.js";
import "./views/channels-view.js";
import "./views/sessions-view.js";
import "./views/logs-view.js";
import "./views/cron-view.js";
import "./chat/chat-view.js";

const DEFAULT_CHAT_SESSION = "agent:main:main";
/** Where the gateway serves this UI (`gateway.controlUi.basePath`). */
const BASE_PATH = basePathFromScript(import.meta.url);

function tabAt(pathname: string): UiTabId {
  const below = pathBelowBase(BASE_PATH, pathname);
  return (below === undefined ? undefined : tabForPath(below)) ?? "overview";
}

/** The Control UI shell: connection state, the reconnect banner, tabs, and the current view. */
export class OpenClawApp extends LitElement {
  static override styles = [
    viewStyles,
    css`
      header {
        display: flex;
        align-items: center;
        gap: 1rem;
        padding: 0.6rem 1.25rem;
        background: var(--oc-surface);
        border-bottom: 1px solid var(--oc-border);
      }
      .brand {
        font-weight: 700;
        letter-spacing: 0.01em;
      }
      .brand span {
        color: var(--oc-accent);
      }
      nav {
        display: flex;
        gap: 0.25rem;
        flex-wrap: wrap;
      }
      nav a {
        color: var(--oc-muted);
        text-decoration: none;
        padding: 0.35rem 0.7rem;
        border-radius: 7px;
      }
      nav a[aria-current="page"] {
        background: var(--oc-code-bg);
        color: var(--oc-text);
        font-weight: 600;
      }
      main {
        padding: 1rem 1.25rem;
        max-width: 1200px;
        margin: 0 auto;
      }
      .banner {
        padding: 0.5rem 1.25rem;
        background: var(--oc-warn);
        color: #fff;
        font-weight: 600;
      }
      .banner.info {
        background: var(--oc-muted);
      }
      .status {
        font-size: 0.85rem;
      }
    `,
  ];
  static override properties = { tab: { state: true }, chatSession: { state: true }, notice: { state: true }, revision: { state: true } };

  declare tab: UiTabId;
  declare chatSession: string;
  declare notice: string | undefined;
  /** Bumped on every connection phase change. */
  declare revision: number;
  readonly connection = new GatewayConnection(sameOriginGatewayUrl(location));
  private readonly onPhase = () => (this.revision += 1);
  private readonly onPopState = () => (this.tab = tabAt(location.pathname));

  constructor() {
    super();
    this.tab = tabAt(location.pathname);
    this.chatSession = loadChatSession() ?? DEFAULT_CHAT_SESSION;
    this.notice = undefined;
    this.revision = 0;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A one-time code from `openclaw dashboard` is read once and leaves the address bar (and history) at once.
    const taken = takeDashboardCode(location.href);
    if (taken.href !== location.href) history.replaceState(history.state, "", taken.href);
    // Links may carry gatewayUrl/token parameters; they are dropped unread.
    const scrubbed = scrubLinkCredentials(location.href);
    if (scrubbed.removed.length > 0) {
      history.replaceState(history.state, "", scrubbed.href);
      this.notice = `Ignored ${scrubbed.removed.join(", ")} in the link: this page only connects to the gateway that served it, with a token you enter here.`;
    }
    this.connection.addEventListener("phase", this.onPhase);
    window.addEventListener("popstate", this.onPopState);
    // The code can only be redeemed here, at the gateway that served this page: a link cannot point it elsewhere.
    void (taken.code === undefined ? this.connection.start() : this.connection.redeem(taken.code));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.connection.removeEventListener("phase", this.onPhase);
    window.removeEventListener("popstate", this.onPopState);
  }

  private navigate(event: MouseEvent, tab: UiTabId, path: string): void {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    if (location.pathname !== path) history.pushState(null, "", path);
    this.tab = tab;
  }

  private setChatSession(sessionKey: string): void {
    this.chatSession = sessionKey;
    saveChatSession(sessionKey);
  }

  private openChat(sessionKey: string): void {
    this.setChatSession(sessionKey);
    history.pushState(null, "", pathUnderBase(BASE_PATH, "/chat"));
    this.tab = "chat";
  }

  override render() {
    const phase = this.connection.phase;
    return html`
      <header>
        <div class="brand">Open<span>Claw</span> Control</div>
        <nav>
          ${UI_TABS.map(
            (tab) =>
              html`<a
                href=${pathUnderBase(BASE_PATH, tab.path)}
                data-testid="tab-${tab.id}"
                aria-current=${tab.id === this.tab ? "page" : "false"}
                @click=${(event: MouseEvent) => this.navigate(event, tab.id, pathUnderBase(BASE_PATH, tab.path))}
                >${tab.label}</a
              >`,
          )}
        </nav>
        <span class="spacer"></span>
        <span class="status" data-testid="connection-status" data-phase=${phase.kind}>${this.statusText()}</span>
        ${phase.kind === "open" ? html`<button type="button" data-testid="forget-token" @click=${() => void this.connection.forget()}>Sign out</button>` : nothing}
      </header>
      ${this.renderBanner()} ${this.notice ? html`<div class="banner info" data-testid="link-notice">${this.notice}</div>` : nothing}
      <main
        @open-chat=${(event: CustomEvent<string>) => this.openChat(event.detail)}
        @chat-session=${(event: CustomEvent<string>) => this.setChatSession(event.detail)}
      >
        ${this.renderMain()}
      </main>
    `;
  }

  private statusText(): string {
    const phase = this.connection.phase;
    switch (phase.kind) {
      case "open":
        return `● connected · ${phase.hello.server.version}`;
      case "connecting":
        return "connecting…";
      case "reconnecting":
        return "reconnecting…";
      case "needs-token":
        return "not connected";
      case "awaiting-approval":
        return "waiting for approval";
      case "failed":
        return "disconnected";
    }
  }

  private renderBanner() {
    const phase = this.connection.phase;
    if (phase.kind === "reconnecting") {
      return html`<div class="banner" data-testid="reconnect-banner" role="status">
        Connection to the gateway lost — reconnecting (attempt ${phase.attempt})… <span class="muted">${phase.reason}</span>
      </div>`;
    }
    if (phase.kind === "awaiting-approval") {
      return html`<div class="banner" data-testid="pairing-banner" role="status">
        This browser is waiting for
        approval${phase.requestId ? html`: run <code>openclaw devices approve ${phase.requestId}</code> on the gateway host` : nothing}.
      </div>`;
    }
    if (phase.kind === "failed") {
      return html`<div class="banner" data-testid="failed-banner" role="alert">
        ${phase.message} <button type="button" @click=${() => void this.connection.start()}>Reconnect</button>
      </div>`;
    }
    return nothing;
  }

  private renderMain() {
    const phase = this.connection.phase;
    if (phase.kind === "needs-token") return html`<oc-connection-panel .connection=${this.connection}></oc-connection-panel>`;
    // Views stay on screen while reconnecting; they reload on the next hello.
    if (!this.connection.wasOpen) {
      if (phase.kind === "failed") return html`<oc-connection-panel .connection=${this.connection}></oc-connection-panel>`;
      return html`<div class="card muted" data-testid="connecting">Connecting to ${this.connection.url}…</div>`;
    }
    const connection = this.connection;
    switch (this.tab) {
      case "overview":
        return html`<oc-overview .connection=${connection}></oc-overview>`;
      case "chat":
        return html`<oc-chat .connection=${connection} .sessionKey=${this.chatSession}></oc-chat>`;
      case "sessions":
        return html`<oc-sessions .connection=${connection}></oc-sessions>`;
      case "devices":
        return html`<oc-devices .connection=${connection}></oc-devices>`;
      case "nodes":
        return html`<oc-nodes .connection=${connection}></oc-nodes>`;
      case "channels":
        return html`<oc-channels .connection=${connection}></oc-channels>`;
      case "logs":
        return html`<oc-logs .connection=${connection}></oc-logs>`;
      case "cron":
        return html`<oc-cron .connection=${connection}></oc-cron>`;
    }
  }
}

customElements.define("openclaw-app", OpenClawApp);
