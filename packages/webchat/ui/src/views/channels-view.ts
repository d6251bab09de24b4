import { html, nothing } from "lit";
import type { MethodResult } from "@openclaw/protocol";
import { channelSetupSpecs, removeAccountEdit, type ChannelSetupSpec } from "../channels/channel-setup.js";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage, formatAgo } from "../format.js";
import { GatewayView } from "./gateway-view.js";
import { qrDataUrl, renderQr, renderWaitingForQr } from "./channel-link.js";
import "./channel-add-form.js";

type ChannelsStatus = MethodResult<"channels.status">;
type AccountStatus = ChannelsStatus["channels"][string]["accounts"][number];

/** While an account starts, connects or links, its state changes without an event. */
const POLL_MS = 2000;
const ADMIN = "operator.admin";

const accountKey = (channel: string, accountId: string) => `${channel}/${accountId}`;

/**
 * Messaging channels: each account's live state, and for an admin the "Add account" form, Remove,
 * and "Link device" (the QR, redrawn as the gateway rotates it) for channels that link a phone.
 * Every change is a `config.patch`, which the gateway applies live.
 */
export class ChannelsView extends GatewayView {
  static override properties = {
    ...GatewayView.properties,
    status: { state: true },
    unsupported: { state: true },
    qrImages: { state: true },
    config: { state: true },
    specs: { state: true },
    confirmRemove: { state: true },
    busy: { state: true },
    linking: { state: true },
  };

  declare status: ChannelsStatus | undefined;
  declare unsupported: boolean;
  /** Link QR payloads drawn as SVG data URLs, keyed by payload (a rotated QR is a new key). */
  declare qrImages: ReadonlyMap<string, string>;
  /** The config as `config.get` returned it (secrets redacted). */
  declare config: unknown;
  /** What the add form offers; undefined until `config.schema` answered (admins only). */
  declare specs: readonly ChannelSetupSpec[] | undefined;
  declare confirmRemove: string | undefined;
  /** Accounts with a remove or login on its way. */
  declare busy: ReadonlySet<string>;
  /** Accounts whose "Link device" was pressed and that are not connected yet. */
  declare linking: ReadonlySet<string>;

  constructor() {
    super();
    this.status = undefined;
    this.unsupported = false;
    this.qrImages = new Map();
    this.config = {};
    this.specs = undefined;
    this.confirmRemove = undefined;
    this.busy = new Set();
    this.linking = new Set();
  }

  /** Links accounts (`channels.login`). */
  private get admin(): boolean {
    return this.connection?.hasScope(ADMIN) === true;
  }

  /** Adds and removes accounts: an admin on a gateway that takes `config.patch`. */
  private get editable(): boolean {
    return this.admin && this.connection?.has("config.patch") === true;
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    this.unsupported = !connection.has("channels.status");
    if (this.unsupported) return;
    const [status, config] = await Promise.all([
      connection.call("channels.status", {}),
      connection.has("config.get") ? connection.call("config.get", {}) : undefined,
    ]);
    if (this.editable && this.specs === undefined && connection.has("config.schema")) {
      this.specs = channelSetupSpecs((await connection.call("config.schema", {})).schema);
    }
    this.config = config?.config ?? {};
    this.status = status;
    this.linking = new Set([...this.linking].filter((key) => !this.account(key)?.connected && this.account(key) !== undefined));
    const images = new Map<string, string>();
    for (const qr of this.accounts().flatMap((entry) => (this.linking.has(entry.key) && entry.account.qr ? [entry.account.qr] : []))) {
      images.set(qr, this.qrImages.get(qr) ?? (await qrDataUrl(qr)));
    }
    this.qrImages = images;
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    const timer = setInterval(() => {
      const changing = this.accounts().some(({ account }) => account.state === "connecting" || account.state === "starting");
      if (changing || this.linking.size > 0) void this.refresh();
    }, POLL_MS);
    return [() => clearInterval(timer), connection.on("config.changed", () => void this.refresh())];
  }

  private accounts(): { key: string; channel: string; account: AccountStatus }[] {
    const channels = this.status?.channels ?? {};
    return Object.entries(channels).flatMap(([channel, entry]) =>
      entry.accounts.map((account) => ({ key: accountKey(channel, account.accountId), channel, account })),
    );
  }

  private account(key: string): AccountStatus | undefined {
    return this.accounts().find((entry) => entry.key === key)?.account;
  }

  private async act(key: string, action: () => Promise<unknown>): Promise<void> {
    this.busy = new Set([...this.busy, key]);
    try {
      await action();
      this.error = undefined;
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      const next = new Set(this.busy);
      next.delete(key);
      this.busy = next;
    }
    await this.refresh();
  }

  private removeAccount(channel: string, accountId: string): void {
    const key = accountKey(channel, accountId);
    if (this.confirmRemove !== key) {
      this.confirmRemove = key;
      return;
    }
    this.confirmRemove = undefined;
    const connection = this.connection!;
    void this.act(key, async () => {
      const current = await connection.call("config.get", {});
      const edit = removeAccountEdit(current.config, channel, accountId);
      await connection.call("config.patch", { raw: JSON.stringify(edit.patch), baseHash: current.hash });
    });
  }

  private link(channel: string, accountId: string): void {
    const key = accountKey(channel, accountId);
    this.linking = new Set([...this.linking, key]);
    // Starts the account if it is stopped; the QR then comes with each channels.status.
    void this.act(key, () => this.connection!.call("channels.login", { channel, accountId }));
  }

  override render() {
    if (this.unsupported) {
      return html`<div class="card empty">
        This gateway has no messaging channels configured (it does not serve channels.status). Set one up on the gateway host with
        <code>openclaw channels add --channel telegram --token …</code>.
      </div>`;
    }
    const status = this.status;
    const names = status ? (status.channelOrder ?? Object.keys(status.channels)) : [];
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <h2>Channels</h2>
      ${
        !status
          ? html`<div class="card empty">Loading…</div>`
          : names.length === 0
            ? html`<div class="card empty" data-testid="channels-empty">
                No channel accounts yet. ${this.editable ? "Add one below, or run" : "An admin can add one here, or run"}
                <code>openclaw channels add --channel telegram --token …</code>.
              </div>`
            : names.map((name) => this.renderChannel(name, status.channels[name]?.accounts ?? []))
      }
      ${this.renderAddForm()}
    `;
  }

  private renderAddForm() {
    if (this.unsupported || !this.status) return nothing;
    if (!this.admin) return html`<div class="muted" data-testid="channels-read-only">Adding and removing accounts needs the operator.admin scope.</div>`;
    if (!this.editable) return html`<div class="muted">This gateway does not take config changes (config.patch); edit its config file instead.</div>`;
    return html`<h3>Add account</h3>
      <div class="card">
        ${
          this.specs === undefined
            ? html`<div class="empty">Loading the channels' settings…</div>`
            : html`<oc-channel-add-form
                .connection=${this.connection}
                .specs=${this.specs}
                .config=${this.config}
                @account-added=${() => void this.refresh()}
              ></oc-channel-add-form>`
        }
      </div>`;
  }

  private renderChannel(name: string, accounts: readonly AccountStatus[]) {
    const columns = this.admin ? 7 : 6;
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
          ${this.admin ? html`<th></th>` : nothing}
        </tr>
        ${accounts.map((account) => {
          const key = accountKey(name, account.accountId);
          const linking = this.linking.has(key) && !account.connected;
          return html`<tr data-testid="channel-account" data-account=${key} data-state=${account.state} data-connected=${account.connected ? "yes" : "no"}>
              <td>${account.accountId}</td>
              <td><span class="pill ${account.connected ? "ok" : account.lastError ? "error" : ""}">${account.state}</span></td>
              <td>
                ${account.connected ? "yes" : "no"}${account.reconnectAttempts ? html` <span class="muted">(${account.reconnectAttempts} retries)</span>` : nothing}
              </td>
              <td>${formatAgo(account.lastInboundAt)}</td>
              <td>${formatAgo(account.lastOutboundAt)}</td>
              <td class="error">${account.lastError ?? ""}${account.relinkNeeded ? " (relink needed)" : ""}</td>
              ${this.admin ? html`<td>${this.renderActions(name, account, linking)}</td>` : nothing}
            </tr>
            ${
              linking
                ? html`<tr>
                    <td colspan=${columns}>${account.qr ? renderQr(account.qr, this.qrImages.get(account.qr)) : renderWaitingForQr()}</td>
                  </tr>`
                : !this.admin && account.linked === false
                  ? html`<tr>
                      <td colspan=${columns} class="muted">
                        Not linked yet: an admin links it here, or run <code>openclaw channels login --channel ${name} --account ${account.accountId}</code>.
                      </td>
                    </tr>`
                  : nothing
            }`;
        })}
      </table>
    </div>`;
  }

  private renderActions(channel: string, account: AccountStatus, linking: boolean) {
    const key = accountKey(channel, account.accountId);
    const busy = this.busy.has(key);
    // Only channels that link a phone report `linked`.
    const linkable = (account.linked === false || account.qr !== undefined || account.relinkNeeded === true) && !account.connected && !linking;
    return html`<div class="row">
      ${
        linkable
          ? html`<button data-testid="link-device" ?disabled=${busy} @click=${() => this.link(channel, account.accountId)}>Link device</button>`
          : nothing
      }
      ${
        this.editable
          ? html`<button class="danger" data-testid="remove-account" ?disabled=${busy} @click=${() => this.removeAccount(channel, account.accountId)}>
              ${this.confirmRemove === key ? "Confirm remove" : "Remove"}
            </button>`
          : nothing
      }
      ${this.confirmRemove === key ? html`<button data-testid="cancel-remove" @click=${() => (this.confirmRemove = undefined)}>Cancel</button>` : nothing}
    </div>`;
  }
}

customElements.define("oc-channels", ChannelsView);
