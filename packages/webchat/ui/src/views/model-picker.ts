import { html, nothing } from "lit";
import type { MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage } from "../format.js";
import { GatewayView } from "./gateway-view.js";

type ModelEntry = MethodResult<"models.list">["models"][number];

const ADMIN = "operator.admin";

/** `provider/id`, the reference `agents.defaults.model` takes. */
const refOf = (model: Pick<ModelEntry, "provider" | "id">) => `${model.provider}/${model.id}`;

/**
 * The Overview's model card: the model new runs use (`agents.defaults.model` as the gateway
 * resolved it), and for an operator.admin connection a picker over `models.list` that saves the
 * choice with `config.patch`. The gateway applies it live; the next run uses it.
 */
export class ModelPicker extends GatewayView {
  static override properties = {
    ...GatewayView.properties,
    current: { state: true },
    models: { state: true },
    choice: { state: true },
    saving: { state: true },
    refusal: { state: true },
    saved: { state: true },
  };

  /** The default model's ref; undefined until known, null when this gateway does not say. */
  declare current: string | null | undefined;
  declare models: readonly ModelEntry[];
  declare choice: string | undefined;
  declare saving: boolean;
  declare refusal: string | undefined;
  declare saved: string | undefined;

  constructor() {
    super();
    this.current = undefined;
    this.models = [];
    this.choice = undefined;
    this.saving = false;
    this.refusal = undefined;
    this.saved = undefined;
  }

  private get canPick(): boolean {
    const connection = this.connection;
    return connection !== undefined && connection.hasScope(ADMIN) && connection.has("config.patch") && connection.has("models.list");
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    // sessions.list reports the model a new session starts with, resolved as the gateway runs it.
    const defaults = connection.has("sessions.list") ? (await connection.call("sessions.list", { limit: 1 })).defaults : undefined;
    this.current = defaults?.modelProvider && defaults.model ? `${defaults.modelProvider}/${defaults.model}` : null;
    if (this.canPick) this.models = (await connection.call("models.list", {})).models;
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    return [connection.on("config.changed", () => void this.refresh())];
  }

  private async save(): Promise<void> {
    const connection = this.connection;
    const ref = this.choice;
    if (!connection || ref === undefined || ref === this.current || this.saving) return;
    this.saving = true;
    this.refusal = undefined;
    this.saved = undefined;
    try {
      const { hash } = await connection.call("config.get", {});
      await connection.call("config.patch", { raw: JSON.stringify({ agents: { defaults: { model: ref } } }), baseHash: hash });
      this.saved = ref;
      this.choice = undefined;
      await this.refresh();
    } catch (error) {
      this.refusal = errorMessage(error);
    } finally {
      this.saving = false;
    }
  }

  override render() {
    const current = this.current;
    const shown = current === undefined ? "…" : (current ?? "not reported by this gateway");
    return html`<div class="card" data-testid="model-card">
      <div class="row">
        <strong>Default model</strong>
        <code data-testid="overview-model">${shown}</code>
        ${this.saved && this.saved === current ? html`<span class="ok" data-testid="model-saved">saved; new runs use it</span>` : nothing}
      </div>
      ${this.error ? html`<div class="error" data-testid="model-load-error">${this.error}</div>` : nothing} ${this.canPick ? this.renderPicker() : nothing}
    </div>`;
  }

  private renderPicker() {
    if (this.models.length === 0) {
      return html`<div class="empty" data-testid="models-empty">
        The gateway lists no models to pick from. Declare one under <code>models.providers</code> in the config, or run <code>openclaw models list</code> to see
        what it can reach.
      </div>`;
    }
    const selected = this.choice ?? this.current ?? "";
    const known = this.models.some((model) => refOf(model) === selected);
    return html`<div class="row">
        <label for="model-select">Change to</label>
        <select
          id="model-select"
          data-testid="model-select"
          .value=${selected}
          @change=${(event: Event) => (this.choice = (event.target as HTMLSelectElement).value)}
        >
          ${known ? nothing : html`<option value=${selected} selected>${selected || "—"}</option>`}
          ${this.models.map(
            (model) =>
              html`<option value=${refOf(model)} ?selected=${refOf(model) === selected}>
                ${refOf(model)}${model.name && model.name !== model.id ? ` — ${model.name}` : ""}
              </option>`,
          )}
        </select>
        <button
          class="primary"
          data-testid="model-save"
          ?disabled=${this.saving || this.choice === undefined || this.choice === this.current}
          @click=${() => void this.save()}
        >
          ${this.saving ? "Saving…" : "Save"}
        </button>
      </div>
      ${this.refusal ? html`<div class="error" data-testid="model-error" role="alert">${this.refusal}</div>` : nothing}`;
  }
}

customElements.define("oc-model-picker", ModelPicker);
