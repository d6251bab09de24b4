import { GatewayClosedError } from "@openclaw/client";
import { css, html, nothing, type PropertyValues } from "lit";
import type { InboundMedia, MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage, randomKey } from "../format.js";
import { GatewayView } from "../views/gateway-view.js";
import { SendGate, type SendTicket } from "./send-gate.js";
import { attachmentLabel, readPickedFile, ThumbnailCache, type PickedFile } from "./attachments.js";
import { messageRowStyles, renderMessageRow } from "./message-row.js";
import { ChatTranscript } from "./transcript.js";

const HISTORY_PAGE = 50;
const SEND_ATTEMPTS = 3;

type SessionRow = MethodResult<"sessions.list">["sessions"][number];

/** WebChat: one session's transcript with live streaming, a composer, abort and a session picker. */
export class ChatView extends GatewayView {
  static override styles = [
    GatewayView.styles,
    messageRowStyles,
    css`
      :host {
        display: flex;
        flex-direction: column;
        height: calc(100vh - 9rem);
        min-height: 360px;
      }
      .toolbar {
        margin-bottom: 0.6rem;
      }
      .toolbar select {
        min-width: 16rem;
      }
      .messages {
        flex: 1;
        overflow-y: auto;
        background: var(--oc-surface);
        border: 1px solid var(--oc-border);
        border-radius: 10px;
        padding: 0.75rem;
      }
      .composer {
        display: flex;
        gap: 0.5rem;
        margin-top: 0.6rem;
        align-items: flex-end;
      }
      .composer textarea {
        flex: 1;
        min-height: 3.2rem;
        max-height: 12rem;
        resize: vertical;
      }
      .composer .actions {
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
      }
      /* Chips and the row of them serve both the messages and the composer. */
      .attachments,
      .picked {
        display: flex;
        flex-wrap: wrap;
        gap: 0.35rem;
        margin-top: 0.35rem;
        align-items: center;
      }
      .chip {
        font-size: 0.85em;
        padding: 0.15rem 0.45rem;
        border-radius: 0.4rem;
        background: var(--chip-bg, rgba(127, 127, 127, 0.15));
      }
      .attach {
        cursor: pointer;
        text-align: center;
      }
      .attach input {
        display: block;
        max-width: 7rem;
      }
      .older {
        display: block;
        margin: 0 auto 0.5rem;
      }
    `,
  ];

  static override properties = {
    ...GatewayView.properties,
    sessionKey: { attribute: false },
    sessions: { state: true },
    draft: { state: true },
    revision: { state: true },
    loadingOlder: { state: true },
    picked: { state: true },
  };

  declare sessionKey: string;
  declare sessions: SessionRow[];
  declare draft: string;
  /** Bumped whenever the transcript changes, so Lit re-renders. */
  declare revision: number;
  declare loadingOlder: boolean;
  /** Files chosen in the composer, sent with the next message. */
  declare picked: PickedFile[];
  private transcript = new ChatTranscript();
  private readonly thumbnails = new ThumbnailCache(
    (sha256) => this.connection!.call("media.get", { sha256 }),
    () => this.changed(),
  );
  private readonly gate = new SendGate(randomKey);
  private stickToBottom = true;

  constructor() {
    super();
    this.sessionKey = "agent:main:main";
    this.sessions = [];
    this.draft = "";
    this.revision = 0;
    this.loadingOlder = false;
    this.picked = [];
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.thumbnails.clear();
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has("sessionKey") && changed.get("sessionKey") !== undefined) {
      this.transcript = new ChatTranscript();
      this.stickToBottom = true;
      void this.refresh();
    }
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    const sessionKey = this.sessionKey;
    const [history] = await Promise.all([connection.call("chat.history", { sessionKey, limit: HISTORY_PAGE }), this.loadSessions(connection)]);
    if (sessionKey !== this.sessionKey) return;
    this.transcript.replaceHistory(history);
    this.changed();
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    return [
      connection.on("chat", (payload) => {
        if (payload.sessionKey !== this.sessionKey) return;
        const outcome = this.transcript.applyChat(payload);
        this.changed();
        // Another client's run: its user message is only in the history; so are the stored files of ours.
        if (outcome.ended && (!outcome.known || this.transcript.hasUnstoredMedia(payload.runId))) void this.refresh();
      }),
      connection.on("agent", (payload) => {
        if (payload.sessionKey !== this.sessionKey || payload.stream !== "tool") return;
        this.transcript.applyAgent(payload);
        this.changed();
      }),
      connection.on("sessions.changed", () => void this.loadSessions(connection)),
    ];
  }

  private async loadSessions(connection: GatewayConnection): Promise<void> {
    if (!connection.has("sessions.list")) return;
    try {
      this.sessions = (await connection.call("sessions.list", {})).sessions;
    } catch {
      // The picker still offers the current session; the transcript matters more.
    }
  }

  private changed(): void {
    this.revision += 1;
  }

  protected override updated(): void {
    const list = this.renderRoot.querySelector<HTMLElement>(".messages");
    if (list && this.stickToBottom) list.scrollTop = list.scrollHeight;
  }

  private onScroll(event: Event): void {
    const list = event.currentTarget as HTMLElement;
    this.stickToBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  }

  /** Submit the draft: one idempotency key per message; a second submit while it is on its way is ignored. */
  private async submit(event?: Event): Promise<void> {
    event?.preventDefault();
    const connection = this.connection;
    if (connection === undefined) return;
    const files = this.picked;
    const ticket = this.gate.begin(this.draft, files.length > 0);
    if (ticket === undefined) return;
    const sessionKey = this.sessionKey;
    this.stickToBottom = true;
    const shown = files.map((file): InboundMedia => ({ kind: file.type, mime: file.mimeType, fileName: file.fileName, sizeBytes: file.sizeBytes }));
    this.transcript.addUserMessage(ticket.key, ticket.text, Date.now(), shown);
    this.changed();
    try {
      await this.send(connection, sessionKey, ticket, files);
      this.transcript.markSent(ticket.key);
      // The text and files stay in the composer until the gateway took them, so a failure loses nothing.
      if (this.draft === ticket.text) this.draft = "";
      if (this.picked === files) this.picked = [];
    } catch (error) {
      this.transcript.markFailed(ticket.key, errorMessage(error));
    } finally {
      this.gate.finish(ticket);
      this.changed();
    }
  }

  /** `chat.send`, retried with the same key when the socket dropped before the answer. */
  private async send(connection: GatewayConnection, sessionKey: string, ticket: SendTicket, files: readonly PickedFile[]): Promise<void> {
    const attachments = files.map(({ type, mimeType, fileName, content }) => ({ type, mimeType, fileName, content }));
    for (let attempt = 1; ; attempt += 1) {
      try {
        await connection.call("chat.send", {
          sessionKey,
          message: ticket.text,
          idempotencyKey: ticket.key,
          ...(attachments.length > 0 ? { attachments } : {}),
        });
        return;
      } catch (error) {
        if (attempt >= SEND_ATTEMPTS || !(error instanceof GatewayClosedError && error.retryable)) throw error;
      }
    }
  }

  private async abort(): Promise<void> {
    const runId = this.transcript.activeRunId();
    try {
      await this.connection?.call("chat.abort", { sessionKey: this.sessionKey, ...(runId ? { runId } : {}) });
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private async loadOlder(): Promise<void> {
    const connection = this.connection;
    const cursor = this.transcript.cursor;
    if (connection === undefined || cursor === undefined || this.loadingOlder) return;
    this.loadingOlder = true;
    const list = this.renderRoot.querySelector<HTMLElement>(".messages");
    const fromBottom = list ? list.scrollHeight - list.scrollTop : 0;
    try {
      const page = await connection.call("chat.history", { sessionKey: this.sessionKey, limit: HISTORY_PAGE, cursor });
      this.transcript.prependHistory(page);
      this.stickToBottom = false;
      this.changed();
      await this.updateComplete;
      if (list) list.scrollTop = list.scrollHeight - fromBottom;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.loadingOlder = false;
    }
  }

  private async pickFiles(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const chosen = [...(input.files ?? [])];
    input.value = "";
    try {
      this.picked = [...this.picked, ...(await Promise.all(chosen.map((file) => readPickedFile(file))))];
    } catch (error) {
      this.error = errorMessage(error);
    }
  }

  private pickSession(sessionKey: string): void {
    this.dispatchEvent(new CustomEvent("chat-session", { detail: sessionKey, bubbles: true, composed: true }));
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void this.submit();
    }
  }

  override render() {
    const entries = this.transcript.entries;
    const activeRun = this.transcript.activeRunId();
    const keys = new Set([this.sessionKey, ...this.sessions.map((session) => session.key)]);
    return html`
      <div class="toolbar row">
        <label for="session">Session</label>
        <select id="session" data-testid="session-picker" @change=${(event: Event) => this.pickSession((event.target as HTMLSelectElement).value)}>
          ${[...keys].map((key) => {
            const label = this.sessions.find((session) => session.key === key)?.label;
            return html`<option value=${key} ?selected=${key === this.sessionKey}>${label ? `${label} (${key})` : key}</option>`;
          })}
        </select>
        <button type="button" data-testid="new-session" @click=${() => this.pickSession(`agent:main:webchat-${randomKey().slice(0, 8)}`)}>New session</button>
        <span class="spacer"></span>
        ${this.loading ? html`<span class="muted">Loading…</span>` : nothing}
      </div>
      ${this.error ? html`<div class="error" data-testid="chat-error">${this.error}</div>` : nothing}
      <div class="messages" data-testid="chat-messages" @scroll=${this.onScroll}>
        ${
          this.transcript.hasMore
            ? html`<button type="button" class="older" data-testid="load-older" ?disabled=${this.loadingOlder} @click=${this.loadOlder}>
                ${this.loadingOlder ? "Loading…" : "Load older messages"}
              </button>`
            : nothing
        }
        ${entries.length === 0 && !this.loading ? html`<div class="empty">No messages in this session yet.</div>` : nothing}
        ${entries.map((entry) => renderMessageRow(entry, { thumbnails: this.thumbnails, connected: this.connection !== undefined }))}
      </div>
      <form class="composer" @submit=${this.submit}>
        <textarea
          data-testid="chat-input"
          aria-label="Message"
          placeholder="Message the agent — Enter sends, Shift+Enter adds a line"
          .value=${this.draft}
          ?readonly=${this.gate.busy}
          @input=${(event: Event) => (this.draft = (event.target as HTMLTextAreaElement).value)}
          @keydown=${this.onKeydown}
        ></textarea>
        ${
          this.picked.length > 0
            ? html`<div class="picked" data-testid="picked-files">
                ${this.picked.map((file) => html`<span class="chip">${attachmentLabel({ kind: file.type, fileName: file.fileName, sizeBytes: file.sizeBytes })}</span>`)}
                <button type="button" data-testid="clear-files" @click=${() => (this.picked = [])}>Remove</button>
              </div>`
            : nothing
        }
        <div class="actions">
          <label class="attach">
            <input type="file" multiple data-testid="attach-file" ?disabled=${this.gate.busy} @change=${this.pickFiles} />
            Attach
          </label>
          ${activeRun ? html`<button type="button" class="danger" data-testid="chat-abort" @click=${this.abort}>Stop</button>` : nothing}
          <button type="submit" class="primary" data-testid="chat-send" aria-busy=${this.gate.busy ? "true" : "false"}>
            ${this.gate.busy ? "Sending…" : "Send"}
          </button>
        </div>
      </form>
    `;
  }
}

customElements.define("oc-chat", ChatView);
