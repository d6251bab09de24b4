import { LitElement, css, html, nothing } from "lit";
import { addAccountEdit, checkDraft, type AccountDraft, type ChannelSetupSpec, type DraftProblem } from "../channels/channel-setup.js";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage } from "../format.js";
import { viewStyles } from "../styles.js";

const POLICY_HINTS: Readonly<Record<string, string>> = {
  pairing: "Strangers get a pairing code; approve them with openclaw channels pairing approve.",
  allowlist: "Only the senders listed below can DM the bot.",
  open: "Anyone can DM the bot.",
  disabled: "The bot ignores DMs.",
};

/**
 * The Channels tab's "Add account" form. A draft is checked here first (required settings, token
 * formats), so a typo costs no request; then it goes to the gateway as one `config.patch` on the
 * config's current hash, and the gateway's refusal, if any, is shown as it said it.
 *
 * Fires `account-added` (`detail: { path }`) after the gateway took it.
 */
export class ChannelAddForm extends LitElement {
  static override styles = [
    viewStyles,
    css`
      form {
        display: grid;
        grid-template-columns: minmax(9rem, max-content) minmax(16rem, 28rem);
        gap: 0.35rem 0.8rem;
        align-items: center;
      }
      form label {
        margin: 0;
      }
      .hint,
      .field-error {
        grid-column: 2;
        font-size: 0.8rem;
        margin-top: -0.2rem;
      }
      .actions {
        grid-column: 2;
      }
    `,
  ];
  static override properties = {
    connection: { attribute: false },
    specs: { attribute: false },
    config: { attribute: false },
    channel: { state: true },
    accountId: { state: true },
    values: { state: true },
    dmPolicy: { state: true },
    allowFrom: { state: true },
    problems: { state: true },
    refusal: { state: true },
    submitting: { state: true },
  };

  declare connection: GatewayConnection | undefined;
  declare specs: readonly ChannelSetupSpec[];
  /** The config as `config.get` last returned it (secrets redacted): where accounts already are. */
  declare config: unknown;
  declare channel: string;
  declare accountId: string;
  declare values: Readonly<Record<string, string>>;
  declare dmPolicy: string;
  declare allowFrom: string;
  declare problems: readonly DraftProblem[];
  declare refusal: string | undefined;
  declare submitting: boolean;

  constructor() {
    super();
    this.connection = undefined;
    this.specs = [];
    this.config = {};
    this.channel = "";
    this.accountId = "";
    this.values = {};
    this.dmPolicy = "pairing";
    this.allowFrom = "";
    this.problems = [];
    this.refusal = undefined;
    this.submitting = false;
  }

  private get spec(): ChannelSetupSpec | undefined {
    return this.specs.find((spec) => spec.channel === this.channel) ?? this.specs[0];
  }

  private draft(spec: ChannelSetupSpec): AccountDraft {
    return { channel: spec.channel, accountId: this.accountId, values: this.values, dmPolicy: this.dmPolicy, allowFrom: this.allowFrom };
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const spec = this.spec;
    const connection = this.connection;
    if (!spec || !connection || this.submitting) return;
    this.refusal = undefined;
    this.problems = checkDraft(spec, this.draft(spec), this.config);
    if (this.problems.length > 0) return;
    this.submitting = true;
    try {
      // The hash and layout as they are now; the gateway refuses the patch if the file moves on meanwhile.
      const current = await connection.call("config.get", {});
      const edit = addAccountEdit(spec, this.draft(spec), current.config);
      await connection.call("config.patch", {
        raw: JSON.stringify(edit.patch),
        baseHash: current.hash,
        ...(edit.replacePaths.length > 0 ? { replacePaths: [...edit.replacePaths] } : {}),
      });
      this.accountId = "";
      this.values = {};
      this.allowFrom = "";
      this.dispatchEvent(new CustomEvent("account-added", { detail: { path: edit.path }, bubbles: true, composed: true }));
    } catch (error) {
      this.refusal = errorMessage(error);
    } finally {
      this.submitting = false;
    }
  }

  private problem(field: string) {
    const found = this.problems.find((problem) => problem.field === field);
    return found ? html`<div class="field-error error" data-testid="field-error" data-field=${field}>${found.message}</div>` : nothing;
  }

  private pickChannel(channel: string): void {
    this.channel = channel;
    this.values = {};
    this.problems = [];
    this.refusal = undefined;
    const spec = this.spec;
    if (spec && !spec.dmPolicies.includes(this.dmPolicy)) this.dmPolicy = spec.dmPolicies[0] ?? "pairing";
  }

  override render() {
    const spec = this.spec;
    if (!spec) return html`<div class="empty">This gateway offers no channels to set up.</div>`;
    const listsSenders = this.dmPolicy === "allowlist" || this.dmPolicy === "pairing";
    return html`
      <form data-testid="add-account-form" novalidate @submit=${(event: Event) => void this.submit(event)}>
        <label for="channel">Channel</label>
        <select
          id="channel"
          data-testid="add-channel"
          .value=${spec.channel}
          @change=${(event: Event) => this.pickChannel((event.target as HTMLSelectElement).value)}
        >
          ${this.specs.map((entry) => html`<option value=${entry.channel} ?selected=${entry.channel === spec.channel}>${entry.channel}</option>`)}
        </select>

        <label for="account-id">Account id</label>
        <input
          id="account-id"
          data-testid="add-account-id"
          placeholder="default"
          autocomplete="off"
          .value=${this.accountId}
          @input=${(event: Event) => (this.accountId = (event.target as HTMLInputElement).value)}
        />
        ${this.problem("accountId")}
        <div class="hint muted">Leave empty for the channel's default account.</div>

        ${spec.fields.map(
          (field) => html`
            <label for="setting-${field.key}">${field.label}${field.required ? " *" : ""}</label>
            <input
              id="setting-${field.key}"
              data-testid="add-setting"
              data-key=${field.key}
              type=${field.secret ? "password" : "text"}
              autocomplete=${field.secret ? "new-password" : "off"}
              .value=${this.values[field.key] ?? ""}
              @input=${(event: Event) => (this.values = { ...this.values, [field.key]: (event.target as HTMLInputElement).value })}
            />
            ${this.problem(field.key)}
            ${
              // A format problem already quotes the description.
              field.description && !this.problems.some((problem) => problem.field === field.key)
                ? html`<div class="hint muted">${field.description}</div>`
                : nothing
            }
          `,
        )}

        <label for="dm-policy">DM policy</label>
        <select
          id="dm-policy"
          data-testid="add-dm-policy"
          .value=${this.dmPolicy}
          @change=${(event: Event) => (this.dmPolicy = (event.target as HTMLSelectElement).value)}
        >
          ${spec.dmPolicies.map((policy) => html`<option value=${policy} ?selected=${policy === this.dmPolicy}>${policy}</option>`)}
        </select>
        ${this.problem("dmPolicy")} ${POLICY_HINTS[this.dmPolicy] ? html`<div class="hint muted">${POLICY_HINTS[this.dmPolicy]}</div>` : nothing}
        ${
          listsSenders
            ? html`<label for="allow-from">Allowed senders</label>
                <input
                  id="allow-from"
                  data-testid="add-allow-from"
                  placeholder="sender ids, comma-separated"
                  .value=${this.allowFrom}
                  @input=${(event: Event) => (this.allowFrom = (event.target as HTMLInputElement).value)}
                />
                ${this.problem("allowFrom")}`
            : nothing
        }

        <div class="actions row">
          <button class="primary" type="submit" data-testid="add-account-submit" ?disabled=${this.submitting}>
            ${this.submitting ? "Adding…" : "Add account"}
          </button>
        </div>
        ${this.refusal ? html`<div class="actions error" data-testid="add-account-error" role="alert">${this.refusal}</div>` : nothing}
      </form>
    `;
  }
}

customElements.define("oc-channel-add-form", ChannelAddForm);
