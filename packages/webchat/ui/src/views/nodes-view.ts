import { html, nothing } from "lit";
import type { MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { errorMessage, formatAgo, formatJson, randomKey, shortId } from "../format.js";
import { SendGate } from "../chat/send-gate.js";
import { GatewayView } from "./gateway-view.js";

type NodeSummary = MethodResult<"node.list">["nodes"][number];
type NodePairing = MethodResult<"node.pair.list">;
type CommandReview = NonNullable<MethodResult<"node.pair.approve">["commandReview"]>;

/** Connected nodes with their commands, and a form to invoke one. */
export class NodesView extends GatewayView {
  static override properties = {
    ...GatewayView.properties,
    nodes: { state: true },
    pairing: { state: true },
    approving: { state: true },
    approvedReview: { state: true },
    nodeId: { state: true },
    command: { state: true },
    paramsText: { state: true },
    result: { state: true },
    invokeError: { state: true },
    invoking: { state: true },
  };

  declare nodes: NodeSummary[] | undefined;
  /** Command surfaces waiting for approval; undefined when this connection may not see them. */
  declare pairing: NodePairing | undefined;
  declare approving: string | undefined;
  /** What the last approval opened and left refused, shown until the next decision. */
  declare approvedReview: { node: string; review: CommandReview } | undefined;
  declare nodeId: string;
  declare command: string;
  declare paramsText: string;
  declare result: string | undefined;
  declare invokeError: string | undefined;
  declare invoking: boolean;
  /** One idempotency key per submitted invoke, so a double submit is one invoke. */
  private readonly gate = new SendGate(randomKey);

  constructor() {
    super();
    this.nodes = undefined;
    this.pairing = undefined;
    this.approving = undefined;
    this.approvedReview = undefined;
    this.nodeId = "";
    this.command = "";
    this.paramsText = "{}";
    this.result = undefined;
    this.invokeError = undefined;
    this.invoking = false;
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    const [list, pairing] = await Promise.all([
      connection.call("node.list", {}),
      // Needs operator.pairing; without it the section is simply not shown.
      connection.has("node.pair.list") ? connection.call("node.pair.list", {}).catch(() => undefined) : undefined,
    ]);
    this.pairing = pairing;
    this.nodes = list.nodes;
    if (!this.nodes.some((node) => node.nodeId === this.nodeId)) this.nodeId = this.nodes[0]?.nodeId ?? "";
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    return [
      connection.on("presence", () => void this.refresh()),
      connection.on("node.presence", () => void this.refresh()),
      connection.on("node.pair.requested", () => void this.refresh()),
      connection.on("node.pair.resolved", () => void this.refresh()),
    ];
  }

  /** Approve or reject a node's declared command surface. */
  private async decide(requestId: string, approve: boolean): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    this.approving = requestId;
    try {
      this.approvedReview = undefined;
      if (approve) {
        const approved = await connection.call("node.pair.approve", { requestId });
        if (approved.commandReview) this.approvedReview = { node: approved.node.displayName ?? shortId(approved.node.nodeId), review: approved.commandReview };
      } else await connection.call("node.pair.reject", { requestId });
      await this.refresh();
    } catch (error) {
      this.error = errorMessage(error);
    } finally {
      this.approving = undefined;
    }
  }

  private async invoke(event: Event): Promise<void> {
    event.preventDefault();
    const connection = this.connection;
    if (!connection || !this.nodeId || !this.command) return;
    let params: unknown;
    try {
      params = this.paramsText.trim() === "" ? undefined : JSON.parse(this.paramsText);
    } catch (error) {
      this.invokeError = `params must be JSON: ${errorMessage(error)}`;
      return;
    }
    const ticket = this.gate.begin(`${this.nodeId} ${this.command}`);
    if (!ticket) return;
    this.invoking = true;
    this.invokeError = undefined;
    this.result = undefined;
    try {
      const answer = await connection.call("node.invoke", {
        nodeId: this.nodeId,
        command: this.command,
        ...(params !== undefined ? { params } : {}),
        timeoutMs: 30_000,
        idempotencyKey: ticket.key,
      });
      this.result = formatJson(answer.payload ?? (answer.payloadJSON ? JSON.parse(answer.payloadJSON) : null));
    } catch (error) {
      this.invokeError = errorMessage(error);
    } finally {
      this.gate.finish(ticket);
      this.invoking = false;
    }
  }

  override render() {
    const nodes = this.nodes;
    const selected = nodes?.find((node) => node.nodeId === this.nodeId);
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      ${this.approvedReview ? renderApproved(this.approvedReview.node, this.approvedReview.review) : nothing}
      ${
        this.pairing && this.pairing.pending.length > 0
          ? html`<h2>Commands waiting for approval</h2>
              <div class="card" data-testid="pending-nodes">
                <table>
                  <tr>
                    <th>Node</th>
                    <th>Commands</th>
                    <th>Capabilities</th>
                    <th>When</th>
                    <th></th>
                  </tr>
                  ${this.pairing.pending.map(
                    (request) =>
                      html`<tr data-testid="pending-node" data-node-id=${request.nodeId} data-request-id=${request.requestId}>
                        <td>
                          <strong>${request.displayName ?? shortId(request.nodeId)}</strong>
                          <div class="muted">${request.platform ?? ""}</div>
                        </td>
                        <td>${renderPendingCommands(request.commands ?? [], request.commandReview)}</td>
                        <td>${(request.caps ?? []).join(", ") || "—"}</td>
                        <td>${formatAgo(request.ts)}</td>
                        <td class="row">
                          <button
                            class="primary"
                            data-testid="approve-node"
                            ?disabled=${this.approving === request.requestId}
                            @click=${() => this.decide(request.requestId, true)}
                          >
                            Approve
                          </button>
                          <button class="danger" ?disabled=${this.approving === request.requestId} @click=${() => this.decide(request.requestId, false)}>
                            Reject
                          </button>
                        </td>
                      </tr>`,
                  )}
                </table>
              </div>`
          : nothing
      }
      <h2>Nodes</h2>
      <div class="card" data-testid="node-list">
        ${
          !nodes
            ? html`<div class="empty">Loading…</div>`
            : nodes.length === 0
              ? html`<div class="empty">No node is connected. Start one with <code>openclaw node run</code>.</div>`
              : html`<table>
                  <tr>
                    <th>Node</th>
                    <th>Platform</th>
                    <th>Commands</th>
                    <th>Connected</th>
                  </tr>
                  ${nodes.map(
                    (node) =>
                      html`<tr data-testid="node-row" data-node-id=${node.nodeId}>
                        <td>
                          <strong>${node.displayName ?? shortId(node.nodeId)}</strong>
                          <div class="muted"><code>${shortId(node.nodeId, 16)}</code></div>
                        </td>
                        <td>
                          ${node.platform ?? "—"}
                          <div class="muted">${node.version ?? ""}</div>
                        </td>
                        <td>
                          ${node.commands.length === 0 ? html`<span class="muted">none</span>` : node.commands.map((command) => html`<code>${command}</code> `)}
                        </td>
                        <td>${formatAgo(node.connectedAtMs)}</td>
                      </tr>`,
                  )}
                </table>`
        }
      </div>

      <h2>Invoke a command</h2>
      <form class="card" @submit=${this.invoke}>
        <label for="node">Node</label>
        <select id="node" data-testid="invoke-node" @change=${(event: Event) => (this.nodeId = (event.target as HTMLSelectElement).value)}>
          ${(nodes ?? []).map((node) => html`<option value=${node.nodeId} ?selected=${node.nodeId === this.nodeId}>${node.displayName ?? node.nodeId}</option>`)}
        </select>
        <label for="command">Command</label>
        <input
          id="command"
          data-testid="invoke-command"
          list="commands"
          .value=${this.command}
          @input=${(event: Event) => (this.command = (event.target as HTMLInputElement).value)}
          placeholder="e.g. system.notify"
        />
        <datalist id="commands">${(selected?.commands ?? []).map((command) => html`<option value=${command}></option>`)}</datalist>
        <label for="params">Params (JSON)</label>
        <textarea
          id="params"
          data-testid="invoke-params"
          rows="4"
          cols="60"
          .value=${this.paramsText}
          @input=${(event: Event) => (this.paramsText = (event.target as HTMLTextAreaElement).value)}
        ></textarea>
        <div class="row">
          <button class="primary" type="submit" data-testid="invoke-submit" ?disabled=${!this.nodeId || !this.command}>
            ${this.invoking ? "Invoking…" : "Invoke"}
          </button>
        </div>
        ${this.invokeError ? html`<div class="error" data-testid="invoke-error">${this.invokeError}</div>` : nothing}
        ${this.result !== undefined ? html`<pre data-testid="invoke-result">${this.result}</pre>` : nothing}
      </form>
    `;
  }
}

/** A waiting node's commands: those approving opens, then those that stay refused with the fix as a tooltip. */
function renderPendingCommands(commands: readonly string[], review: CommandReview | undefined) {
  if (!review) return commands.map((command) => html`<code>${command}</code> `);
  return html`${review.approved.map((command) => html`<code>${command}</code> `)}
  ${review.withheld.map(
    (withheld) =>
      html`<div class="warn" data-testid="withheld-command" title=${withheld.remediationHint}>
        <code>${withheld.command}</code> stays refused (${withheld.reason}): ${withheld.remediationHint}
      </div>`,
  )}`;
}

/** What an approval opened, and what it did not with why. */
function renderApproved(node: string, review: CommandReview) {
  return html`<div class="card" data-testid="approved-review">
    Approved ${node}: ${review.approved.length > 0 ? review.approved.map((command) => html`<code>${command}</code> `) : "no commands"}
    ${review.withheld.map(
      (withheld) => html`<div class="warn"><code>${withheld.command}</code> not approved (${withheld.reason}): ${withheld.remediationHint}</div>`,
    )}
  </div>`;
}

customElements.define("oc-nodes", NodesView);
