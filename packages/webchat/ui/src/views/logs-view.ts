import { css, html, nothing } from "lit";
import type { GatewayConnection } from "../gateway/connection.js";
import { GatewayView } from "./gateway-view.js";

/** How often the tail is polled with its cursor. */
export const LOGS_POLL_MS = 1500;
const KEEP_LINES = 1000;

/** One parsed log line (pino JSON lines; anything else is shown raw). */
export interface LogLine {
  readonly key: number;
  readonly time: string;
  readonly level: string;
  readonly message: string;
  readonly raw: string;
}

const PINO_LEVELS: Readonly<Record<number, string>> = { 10: "trace", 20: "debug", 30: "info", 40: "warn", 50: "error", 60: "fatal" };

export function parseLogLine(raw: string, key: number): LogLine {
  try {
    const record = JSON.parse(raw) as { time?: unknown; level?: unknown; msg?: unknown; [field: string]: unknown };
    const level = typeof record.level === "number" ? (PINO_LEVELS[record.level] ?? String(record.level)) : typeof record.level === "string" ? record.level : "";
    const time = typeof record.time === "number" || typeof record.time === "string" ? new Date(record.time).toLocaleTimeString() : "";
    const { time: _time, level: _level, msg, pid: _pid, hostname: _host, ...rest } = record;
    const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
    return { key, time, level, message: `${typeof msg === "string" ? msg : ""}${extra}`, raw };
  } catch {
    return { key, time: "", level: "", message: raw, raw };
  }
}

/** The gateway log, live: `logs.tail` polled with its cursor, so no line is repeated or skipped. */
export class LogsView extends GatewayView {
  static override styles = [
    GatewayView.styles,
    css`
      .log {
        height: calc(100vh - 14rem);
        min-height: 280px;
        overflow-y: auto;
        background: var(--oc-code-bg);
        border-radius: 8px;
        padding: 0.5rem 0.75rem;
        font-family: ui-monospace, Menlo, Consolas, monospace;
        font-size: 0.8rem;
      }
      .line {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .level-warn {
        color: var(--oc-warn);
      }
      .level-error,
      .level-fatal {
        color: var(--oc-error);
      }
    `,
  ];
  static override properties = {
    ...GatewayView.properties,
    lines: { state: true },
    paused: { state: true },
    filter: { state: true },
    unsupported: { state: true },
    file: { state: true },
  };

  declare lines: LogLine[];
  declare paused: boolean;
  declare filter: string;
  declare unsupported: boolean;
  declare file: string;
  private cursor: number | undefined;
  private serial = 0;
  private polling = false;

  constructor() {
    super();
    this.lines = [];
    this.paused = false;
    this.filter = "";
    this.unsupported = false;
    this.file = "";
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    this.unsupported = !connection.has("logs.tail");
    if (this.unsupported || this.polling) return;
    this.polling = true;
    try {
      const page = await connection.call("logs.tail", this.cursor === undefined ? { limit: 200 } : { cursor: this.cursor, limit: 500 });
      this.file = page.file;
      const fresh = page.lines.map((raw) => parseLogLine(raw, ++this.serial));
      // A reset means the file was rotated or truncated: start the view over.
      const kept = page.reset ? fresh : [...this.lines, ...fresh];
      this.lines = kept.slice(-KEEP_LINES);
      this.cursor = page.cursor;
    } finally {
      this.polling = false;
    }
  }

  protected override subscribe(): (() => void)[] {
    const timer = setInterval(() => {
      if (!this.paused) void this.refresh();
    }, LOGS_POLL_MS);
    return [() => clearInterval(timer)];
  }

  protected override updated(): void {
    const log = this.renderRoot.querySelector<HTMLElement>(".log");
    if (log && !this.paused) log.scrollTop = log.scrollHeight;
  }

  override render() {
    if (this.unsupported) return html`<div class="card empty">This gateway does not serve its log (logs.tail).</div>`;
    const needle = this.filter.toLowerCase();
    const shown = needle ? this.lines.filter((line) => line.raw.toLowerCase().includes(needle)) : this.lines;
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <div class="row">
        <h2>Logs</h2>
        <span class="muted">${this.file}</span>
        <span class="spacer"></span>
        <input
          type="search"
          placeholder="Filter"
          aria-label="Filter log lines"
          .value=${this.filter}
          @input=${(event: Event) => (this.filter = (event.target as HTMLInputElement).value)}
        />
        <button data-testid="logs-pause" @click=${() => (this.paused = !this.paused)}>${this.paused ? "Resume" : "Pause"}</button>
        <button @click=${() => (this.lines = [])}>Clear</button>
      </div>
      <div class="log" data-testid="log-lines">
        ${shown.length === 0 ? html`<div class="empty">${this.filter ? "No log line matches the filter." : "No log lines yet. The gateway writes one for each start, connection and channel event."}</div>` : nothing}
        ${shown.map((line) => html`<div class="line level-${line.level}" data-testid="log-line">${line.time} ${line.level.toUpperCase().padEnd(5)} ${line.message}</div>`)}
      </div>
    `;
  }
}

customElements.define("oc-logs", LogsView);
