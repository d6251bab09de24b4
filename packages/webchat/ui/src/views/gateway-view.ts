import { LitElement, type CSSResultGroup, type PropertyValues } from "lit";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage } from "../format.js";
import { viewStyles } from "../styles.js";

/**
 * A tab bound to the gateway connection: it loads when the connection opens, re-loads after
 * a reconnect or a seq gap (events are never replayed), and drops its subscriptions and
 * timers when it leaves the page.
 */
export abstract class GatewayView extends LitElement {
  static override styles: CSSResultGroup = [viewStyles];
  static override properties = {
    connection: { attribute: false },
    loading: { state: true },
    error: { state: true },
  };

  declare connection: GatewayConnection | undefined;
  declare loading: boolean;
  declare error: string | undefined;
  private bound: GatewayConnection | undefined;
  private cleanups: (() => void)[] = [];
  private loadSerial = 0;

  constructor() {
    super();
    this.connection = undefined;
    this.loading = false;
    this.error = undefined;
  }

  /** Fetch what the view shows. Called when the connection is (re)established and on gaps. */
  protected abstract load(connection: GatewayConnection): Promise<void>;

  /** Subscribe to events and start timers; return what undoes them. */
  protected subscribe(_connection: GatewayConnection): (() => void)[] {
    return [];
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unbind();
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has("connection") && this.isConnected) this.bind();
  }

  /** Load again now; overlapping loads are fine, only the latest one reports its error. */
  async refresh(): Promise<void> {
    const connection = this.connection;
    if (connection?.phase.kind !== "open") return;
    const serial = ++this.loadSerial;
    this.loading = true;
    try {
      await this.load(connection);
      if (serial === this.loadSerial) this.error = undefined;
    } catch (error) {
      if (serial === this.loadSerial) this.error = errorMessage(error);
    } finally {
      if (serial === this.loadSerial) this.loading = false;
    }
  }

  private bind(): void {
    const connection = this.connection;
    if (connection === this.bound) return;
    this.unbind();
    if (connection === undefined) return;
    this.bound = connection;
    const onReady = () => void this.refresh();
    connection.addEventListener("ready", onReady);
    this.cleanups.push(() => connection.removeEventListener("ready", onReady));
    this.cleanups.push(connection.on("gap", () => void this.refresh()));
    this.cleanups.push(...this.subscribe(connection));
    void this.refresh();
  }

  private unbind(): void {
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.bound = undefined;
  }
}
