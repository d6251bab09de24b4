import { html, nothing } from "lit";
import type { CronJob, MethodResult } from "@openclaw/protocol";
import type { GatewayConnection } from "../gateway/connection.js";
import { formatAgo, formatDuration } from "../format.js";
import { GatewayView } from "./gateway-view.js";

/** Scheduled jobs and how their last run went. */
export class CronView extends GatewayView {
  static override properties = { ...GatewayView.properties, jobs: { state: true }, status: { state: true }, unsupported: { state: true } };

  declare jobs: CronJob[] | undefined;
  declare status: MethodResult<"cron.status"> | undefined;
  declare unsupported: boolean;

  constructor() {
    super();
    this.jobs = undefined;
    this.status = undefined;
    this.unsupported = false;
  }

  protected override async load(connection: GatewayConnection): Promise<void> {
    this.unsupported = !connection.has("cron.list");
    if (this.unsupported) return;
    const [list, status] = await Promise.all([connection.call("cron.list", { includeDisabled: true }), connection.call("cron.status", {})]);
    this.jobs = list.jobs;
    this.status = status;
  }

  protected override subscribe(connection: GatewayConnection): (() => void)[] {
    return [connection.on("cron", () => void this.refresh())];
  }

  override render() {
    if (this.unsupported) return html`<div class="card empty">This gateway has no scheduler (cron needs the agent runtime).</div>`;
    const jobs = this.jobs;
    return html`
      ${this.error ? html`<div class="card error" data-testid="view-error">${this.error}</div>` : nothing}
      <h2>Cron jobs</h2>
      ${
        this.status
          ? html`<p class="muted">
              Scheduler ${this.status.enabled ? "on" : "off"} · ${this.status.jobs} job(s) · next wake ${formatAgo(this.status.nextWakeAtMs ?? undefined)}
            </p>`
          : nothing
      }
      <div class="card">
        ${
          !jobs
            ? html`<div class="empty">Loading…</div>`
            : jobs.length === 0
              ? html`<div class="empty">No cron jobs. Add one with <code>openclaw gateway call cron.add --params '{…}'</code>.</div>`
              : html`<table>
                  <tr>
                    <th>Job</th>
                    <th>Schedule</th>
                    <th>Target</th>
                    <th>Next run</th>
                    <th>Last run</th>
                  </tr>
                  ${jobs.map(
                    (job) =>
                      html`<tr data-testid="cron-job" data-job-id=${job.id}>
                        <td>
                          <strong>${job.name}</strong> ${job.enabled ? nothing : html`<span class="pill">disabled</span>`}
                          <div class="muted">${job.description ?? ""}</div>
                        </td>
                        <td><code>${describeSchedule(job.schedule)}</code></td>
                        <td>${job.sessionTarget}</td>
                        <td>${job.state.runningAtMs ? html`<span class="pill ok">running</span>` : formatAgo(job.state.nextRunAtMs)}</td>
                        <td>
                          ${
                            job.state.lastRunStatus
                              ? html`<span class="pill ${job.state.lastRunStatus === "ok" ? "ok" : job.state.lastRunStatus === "error" ? "error" : ""}"
                                    >${job.state.lastRunStatus}</span
                                  >
                                  ${formatAgo(job.state.lastRunAtMs)}`
                              : html`<span class="muted">never</span>`
                          }
                          ${job.state.lastError ? html`<div class="error">${job.state.lastError}</div>` : nothing}
                        </td>
                      </tr>`,
                  )}
                </table>`
        }
      </div>
    `;
  }
}

function describeSchedule(schedule: CronJob["schedule"]): string {
  switch (schedule.kind) {
    case "at":
      return `at ${typeof schedule.at === "number" ? new Date(schedule.at).toLocaleString() : schedule.at}`;
    case "every":
      return `every ${formatDuration(schedule.everyMs)}`;
    case "cron":
      return `${schedule.expr}${schedule.tz ? ` (${schedule.tz})` : ""}`;
    default:
      return JSON.stringify(schedule);
  }
}

customElements.define("oc-cron", CronView);
