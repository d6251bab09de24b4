import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CronAddParams } from "@openclaw/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CronScheduler, MAX_TIMER_DELAY_MS, type CronEvent, type CronRunner } from "../src/cron/index.js";
import { openStore, type Store } from "../src/store/index.js";
import { prepared } from "../src/store/statements.js";

const T0 = Date.parse("2025-01-15T12:00:00Z");
const MINUTE = 60_000;

type TurnResult = Awaited<ReturnType<CronRunner["agentTurn"]>>;

/** Records what the scheduler asked for; agent turns answer from `reply` (ok by default). */
class FakeRunner implements CronRunner {
  readonly systemEvents: { text: string; sessionKey: string | undefined; wakeMode: string }[] = [];
  readonly turns: { message: string; sessionKey: string; options: { model?: string; timeoutSeconds?: number } }[] = [];
  reply: (turn: number) => TurnResult | Promise<TurnResult> = (turn) => ({ status: "ok", summary: `reply ${turn}`, runId: `agent-run-${turn}` });

  systemEvent(text: string, sessionKey: string | undefined, options: { wakeMode: string }): void {
    this.systemEvents.push({ text, sessionKey, wakeMode: options.wakeMode });
  }

  async agentTurn(message: string, sessionKey: string, options: { model?: string; timeoutSeconds?: number }): Promise<TurnResult> {
    this.turns.push({ message, sessionKey, options });
    return this.reply(this.turns.length);
  }
}

let dir: string;
let stores: Store[];
let schedulers: CronScheduler[];

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  dir = mkdtempSync(join(tmpdir(), "openclaw-cron-"));
  stores = [];
  schedulers = [];
});

afterEach(async () => {
  for (const scheduler of schedulers) await scheduler.stop();
  for (const store of stores) store.close();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function openCronStore(): Store {
  const store = openStore(join(dir, "state", "openclaw.sqlite"), {});
  stores.push(store);
  return store;
}

function createScheduler(
  options: { store?: Store; runner?: CronRunner; events?: CronEvent[]; setTimer?: (fire: () => void, ms: number) => unknown } = {},
): CronScheduler {
  const scheduler = new CronScheduler({
    db: (options.store ?? openCronStore()).db,
    runner: options.runner ?? new FakeRunner(),
    broadcast: (_event, payload) => void options.events?.push(payload),
    now: () => Date.now(),
    // The real timer functions, faked by vitest: only the clock is fake.
    setTimer: options.setTimer ?? ((fire, ms) => setTimeout(fire, ms)),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  schedulers.push(scheduler);
  return scheduler;
}

function systemJob(schedule: CronAddParams["schedule"], extra: Partial<CronAddParams> = {}): CronAddParams {
  return { name: "ping", schedule, sessionTarget: "main", wakeMode: "now", payload: { kind: "systemEvent", text: "ping" }, ...extra };
}

function agentJob(schedule: CronAddParams["schedule"], extra: Partial<CronAddParams> = {}): CronAddParams {
  return { name: "report", schedule, sessionTarget: "isolated", wakeMode: "now", payload: { kind: "agentTurn", message: "write the report" }, ...extra };
}

function runRows(store: Store, jobId: string): { status: string; scheduled_for_ms: number }[] {
  return prepared(store.db, "SELECT status, scheduled_for_ms FROM cron_runs WHERE job_id = ? ORDER BY scheduled_for_ms").all(jobId) as {
    status: string;
    scheduled_for_ms: number;
  }[];
}

describe("CronScheduler timing", () => {
  it("fires an every job on schedule through one timer for all jobs", async () => {
    const runner = new FakeRunner();
    const events: CronEvent[] = [];
    const scheduler = createScheduler({ runner, events });
    const job = scheduler.add(systemJob({ kind: "every", everyMs: MINUTE }));
    scheduler.add(systemJob({ kind: "every", everyMs: 60 * MINUTE }));
    scheduler.add(agentJob({ kind: "cron", expr: "0 9 * * *", tz: "Europe/Berlin" }));
    scheduler.start();
    expect(vi.getTimerCount()).toBe(1);
    expect(job.state.nextRunAtMs).toBe(T0 + MINUTE);

    await vi.advanceTimersByTimeAsync(MINUTE - 1);
    expect(runner.systemEvents).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runner.systemEvents).toEqual([{ text: "ping", sessionKey: "agent:main:main", wakeMode: "now" }]);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runner.systemEvents).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(1);

    expect(scheduler.get(job.id)?.state).toMatchObject({
      lastRunAtMs: T0 + 2 * MINUTE,
      lastRunStatus: "ok",
      consecutiveErrors: 0,
      nextRunAtMs: T0 + 3 * MINUTE,
    });
    const mine = events.filter((event) => event.jobId === job.id).map((event) => event.action);
    expect(mine).toEqual(["added", "started", "finished", "started", "finished"]);
    expect(events.find((event) => event.action === "finished")).toMatchObject({ status: "ok", nextRunAtMs: T0 + 2 * MINUTE, runAtMs: T0 + MINUTE });
  });

  it("never hands setTimeout a delay past its 2^31-1 ms limit, and still reaches a far-off job", async () => {
    const delays: number[] = [];
    const runner = new FakeRunner();
    const scheduler = createScheduler({ runner, setTimer: (fire, ms) => (delays.push(ms), setTimeout(fire, ms)) });
    const farOff = T0 + 100 * 24 * 60 * MINUTE;
    scheduler.add(systemJob({ kind: "at", at: farOff }));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(farOff - T0);
    expect(runner.systemEvents).toHaveLength(1);
    expect(delays.length).toBeGreaterThan(1);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
  });

  it("stop() clears the timer and waits for a run in progress", async () => {
    let finishTurn: (result: TurnResult) => void = () => undefined;
    const runner = new FakeRunner();
    runner.reply = () => new Promise((resolve) => (finishTurn = resolve));
    const scheduler = createScheduler({ runner });
    const job = scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }));
    scheduler.start();
    expect(scheduler.run(job.id)).toMatchObject({ ok: true });
    expect(vi.getTimerCount()).toBe(1);
    expect(scheduler.armed).toBe(true);

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    expect(vi.getTimerCount()).toBe(0);
    expect(scheduler.armed).toBe(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finishTurn({ status: "ok", runId: "r" });
    await stopping;
    // Nothing was re-armed by the run's end, and later slots do not fire.
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10 * MINUTE);
    expect(runner.turns).toHaveLength(1);
    expect(scheduler.run(job.id)).toEqual({ ok: false, reason: "stopped" });
  });
});

describe("CronScheduler runs", () => {
  it("runs an agentTurn in the job's session target and logs it", async () => {
    const runner = new FakeRunner();
    const scheduler = createScheduler({ runner });
    scheduler.start();
    const targets = [
      scheduler.add(
        agentJob(
          { kind: "every", everyMs: MINUTE },
          { sessionTarget: "main", agentId: "ops", payload: { kind: "agentTurn", message: "hi", model: "offline/echo", timeoutSeconds: 30 } },
        ),
      ),
      scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }, { sessionTarget: "session:agent:main:slack:C1" })),
      scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }, { sessionTarget: "current", sessionKey: "agent:main:webchat" })),
      scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }, { sessionTarget: "current" })),
    ];
    const isolated = scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }));
    const runIds = [...targets, isolated].map((job) => scheduler.run(job.id));
    await scheduler.whenIdle();
    expect(runner.turns.map((turn) => turn.sessionKey)).toEqual([
      "agent:ops:main",
      "agent:main:slack:C1",
      "agent:main:webchat",
      "agent:main:main",
      `cron:${isolated.id}:${(runIds[4] as { runId: string }).runId}`,
    ]);
    expect(runner.turns[0]?.options).toEqual({ model: "offline/echo", timeoutSeconds: 30 });
    const { entries, total } = scheduler.runs({ jobId: isolated.id, limit: 10, offset: 0 });
    expect(total).toBe(1);
    expect(entries[0]).toMatchObject({ jobId: isolated.id, status: "ok", summary: "reply 5", startedAtMs: T0, endedAtMs: T0 });
  });

  it("counts consecutive errors from failed and throwing agent turns, and resets them on success", async () => {
    const runner = new FakeRunner();
    runner.reply = (turn) => {
      if (turn === 1) return { status: "error", error: "provider answered 500", runId: "a1" };
      if (turn === 2) throw new Error("runtime is shut down");
      return { status: "ok", runId: `a${turn}` };
    };
    const scheduler = createScheduler({ runner });
    const job = scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }));
    scheduler.start();

    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(scheduler.get(job.id)?.state).toMatchObject({ lastRunStatus: "error", lastError: "provider answered 500", consecutiveErrors: 1 });
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(scheduler.get(job.id)?.state).toMatchObject({ lastRunStatus: "error", lastError: "runtime is shut down", consecutiveErrors: 2 });
    const failed = scheduler.runs({ jobId: job.id, status: "error", limit: 10, offset: 0 });
    expect(failed.entries.map((entry) => entry.error)).toEqual(["runtime is shut down", "provider answered 500"]);

    await vi.advanceTimersByTimeAsync(MINUTE);
    const state = scheduler.get(job.id)?.state;
    expect(state).toMatchObject({ lastRunStatus: "ok", consecutiveErrors: 0 });
    expect(state?.lastError).toBeUndefined();
  });

  it("runs an at job once, then disables it", async () => {
    const runner = new FakeRunner();
    const scheduler = createScheduler({ runner });
    const job = scheduler.add(systemJob({ kind: "at", at: new Date(T0 + 5_000).toISOString() }));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(runner.systemEvents).toHaveLength(1);
    const after = scheduler.get(job.id);
    expect(after).toMatchObject({ enabled: false, state: { lastRunStatus: "ok", lastRunAtMs: T0 + 5_000 } });
    expect(after?.state.nextRunAtMs).toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    expect(scheduler.run(job.id, "due")).toEqual({ ok: false, reason: "not-due" });
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(runner.systemEvents).toHaveLength(1);
  });

  it("deletes a deleteAfterRun job after a successful run but keeps its log", async () => {
    const events: CronEvent[] = [];
    const runner = new FakeRunner();
    runner.reply = (turn) => (turn === 1 ? { status: "error", error: "boom", runId: "a1" } : { status: "ok", runId: "a2" });
    const scheduler = createScheduler({ runner, events });
    const failing = scheduler.add(agentJob({ kind: "at", at: T0 + 1_000 }, { deleteAfterRun: true }));
    const succeeding = scheduler.add(agentJob({ kind: "at", at: T0 + 2_000 }, { deleteAfterRun: true }));
    scheduler.start();
    await vi.advanceTimersByTimeAsync(2_000);

    // A failed one-shot stays (disabled) so its error can be read.
    expect(scheduler.get(failing.id)).toMatchObject({ enabled: false, state: { lastRunStatus: "error", lastError: "boom" } });
    expect(scheduler.get(succeeding.id)).toBeUndefined();
    expect(events.filter((event) => event.jobId === succeeding.id).map((event) => event.action)).toEqual(["added", "started", "finished", "removed"]);
    expect(scheduler.runs({ jobId: succeeding.id, limit: 10, offset: 0 }).entries).toMatchObject([{ status: "ok" }]);
  });

  it("runs `due` only when due, and never overlaps a job with itself", async () => {
    let finishTurn: (result: TurnResult) => void = () => undefined;
    const runner = new FakeRunner();
    runner.reply = () => new Promise((resolve) => (finishTurn = resolve));
    const scheduler = createScheduler({ runner });
    const job = scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }));
    scheduler.start();
    expect(scheduler.run(job.id, "due")).toEqual({ ok: false, reason: "not-due" });
    expect(scheduler.run(job.id, "force")).toMatchObject({ ok: true });
    expect(scheduler.run(job.id, "force")).toEqual({ ok: false, reason: "already-running" });
    // The slot that comes due meanwhile waits for the run in progress, then runs once.
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runner.turns).toHaveLength(1);
    finishTurn({ status: "ok", runId: "a1" });
    await vi.advanceTimersByTimeAsync(0);
    expect(runner.turns).toHaveLength(2);
    finishTurn({ status: "ok", runId: "a2" });
    await scheduler.whenIdle();
    expect(scheduler.get(job.id)?.state.nextRunAtMs).toBe(T0 + 2 * MINUTE);
  });
});

describe("CronScheduler persistence and exactly-once", () => {
  it("after downtime, runs a missed recurring job once, then reschedules from now", async () => {
    const runner = new FakeRunner();
    const first = createScheduler({ runner });
    const job = first.add(systemJob({ kind: "every", everyMs: MINUTE }));
    first.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runner.systemEvents).toHaveLength(1);
    await first.stop();
    stores[0]!.close();

    // Ten minutes and a half down: ten slots missed.
    vi.setSystemTime(T0 + 11 * MINUTE + 30_000);
    const store = openCronStore();
    const second = createScheduler({ store, runner });
    expect(second.get(job.id)?.state.nextRunAtMs).toBe(T0 + 2 * MINUTE);
    second.start();
    await vi.advanceTimersByTimeAsync(0);
    await second.whenIdle();
    expect(runner.systemEvents).toHaveLength(2);
    expect(second.get(job.id)?.state.nextRunAtMs).toBe(T0 + 12 * MINUTE);
    await vi.advanceTimersByTimeAsync(30_000 - 1);
    expect(runner.systemEvents).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(runner.systemEvents).toHaveLength(3);
    expect(runRows(store, job.id).map((row) => row.scheduled_for_ms)).toEqual([T0 + MINUTE, T0 + 2 * MINUTE, T0 + 12 * MINUTE]);
  });

  it("after downtime, runs an at job that came due once, and closes runs the old process left open", async () => {
    const runner = new FakeRunner();
    let hang: Promise<TurnResult> = new Promise(() => undefined);
    runner.reply = () => hang;
    const first = createScheduler({ runner });
    const oneShot = first.add(systemJob({ kind: "at", at: T0 + 5 * MINUTE }));
    const stuck = first.add(agentJob({ kind: "every", everyMs: 60 * MINUTE }));
    first.start();
    first.run(stuck.id);
    // The process dies mid-run: its timer goes, the run row stays open. (stop() never resolves: the turn hangs.)
    void first.stop();
    schedulers.splice(0);
    stores[0]!.close();

    vi.setSystemTime(T0 + 30 * MINUTE);
    hang = Promise.resolve({ status: "ok", runId: "x" });
    const store = openCronStore();
    const second = createScheduler({ store, runner });
    second.start();
    await vi.advanceTimersByTimeAsync(0);
    await second.whenIdle();
    expect(runner.systemEvents).toHaveLength(1);
    expect(second.get(oneShot.id)).toMatchObject({ enabled: false, state: { lastRunStatus: "ok", lastRunAtMs: T0 + 30 * MINUTE } });
    expect(second.runs({ jobId: stuck.id, limit: 10, offset: 0 }).entries).toMatchObject([
      { status: "error", error: "interrupted: the gateway stopped before the run finished" },
    ]);
    expect(second.get(stuck.id)?.state.runningAtMs).toBeUndefined();
  });

  it("runs a slot once when two schedulers share the database", async () => {
    const runner = new FakeRunner();
    const eventsA: CronEvent[] = [];
    const eventsB: CronEvent[] = [];
    const a = createScheduler({ store: openCronStore(), runner, events: eventsA });
    const b = createScheduler({ store: openCronStore(), runner, events: eventsB });
    const job = a.add(agentJob({ kind: "every", everyMs: MINUTE }));
    a.start();
    b.start();
    expect(vi.getTimerCount()).toBe(2);
    await vi.advanceTimersByTimeAsync(MINUTE);
    await Promise.all([a.whenIdle(), b.whenIdle()]);
    expect(runner.turns).toHaveLength(1);
    expect(runRows(stores[0]!, job.id)).toEqual([{ status: "ok", scheduled_for_ms: T0 + MINUTE }]);
    expect([...eventsA, ...eventsB].filter((event) => event.action === "started")).toHaveLength(1);
  });

  it("runs a slot once when the timer fires twice", async () => {
    const fires: (() => void)[] = [];
    const runner = new FakeRunner();
    const scheduler = createScheduler({ runner, setTimer: (fire) => fires.push(fire) });
    scheduler.add(agentJob({ kind: "every", everyMs: MINUTE }));
    scheduler.start();
    vi.setSystemTime(T0 + MINUTE);
    const fire = fires.at(-1)!;
    fire();
    fire();
    await scheduler.whenIdle();
    expect(runner.turns).toHaveLength(1);
  });

  it("skips a slot whose run row exists, even if the job's next run was rewound to it", async () => {
    const runner = new FakeRunner();
    const store = openCronStore();
    const first = createScheduler({ store, runner });
    const job = first.add(agentJob({ kind: "every", everyMs: MINUTE }));
    first.start();
    await vi.advanceTimersByTimeAsync(MINUTE);
    await first.stop();
    // As if the update after the claim had been lost: the job points at the slot that already ran.
    prepared(store.db, "UPDATE cron_jobs SET next_run_at_ms = ?, job = json_set(job, '$.state.nextRunAtMs', ?) WHERE id = ?").run(
      T0 + MINUTE,
      T0 + MINUTE,
      job.id,
    );

    const second = createScheduler({ store, runner });
    second.start();
    await vi.advanceTimersByTimeAsync(0);
    await second.whenIdle();
    expect(runner.turns).toHaveLength(1);
    expect(runRows(store, job.id)).toHaveLength(1);
    // The refused slot still moved the job on, so the timer does not spin on it.
    expect(second.get(job.id)?.state.nextRunAtMs).toBe(T0 + 2 * MINUTE);
  });
});
