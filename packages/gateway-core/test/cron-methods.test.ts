import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CronAddParams } from "@openclaw/protocol";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { CronScheduler, type CronEvent, type CronRunner } from "../src/cron/index.js";
import { toErrorShape } from "../src/errors.js";
import { createCronHandlers, type CronHandlers } from "../src/methods/cron.js";
import { requestContext } from "./request-context.js";
import { openStore, type Store } from "../src/store/index.js";

const T0 = Date.parse("2025-01-15T12:00:00Z");
const MINUTE = 60_000;

const context = requestContext();

const runner: CronRunner = {
  systemEvent: () => undefined,
  agentTurn: async (message) => (message === "fail" ? { status: "error", error: "model refused", runId: "a" } : { status: "ok", summary: "done", runId: "a" }),
};

let dir: string;
let store: Store;
let scheduler: CronScheduler;
let cron: CronHandlers;
let events: CronEvent[];

beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  dir = mkdtempSync(join(tmpdir(), "openclaw-cron-methods-"));
  store = openStore(join(dir, "openclaw.sqlite"), {});
  events = [];
  scheduler = new CronScheduler({
    db: store.db,
    runner,
    broadcast: (_event, payload) => void events.push(payload),
    now: () => Date.now(),
    setTimer: (fire, ms) => setTimeout(fire, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  });
  scheduler.start();
  cron = createCronHandlers(scheduler);
});

afterEach(async () => {
  await scheduler.stop();
  store.close();
  vi.useRealTimers();
  rmSync(dir, { recursive: true, force: true });
});

function params(overrides: Partial<CronAddParams> = {}): CronAddParams {
  return {
    name: "daily digest",
    schedule: { kind: "cron", expr: "0 9 * * *", tz: "Europe/Berlin" },
    sessionTarget: "isolated",
    wakeMode: "now",
    payload: { kind: "agentTurn", message: "summarize" },
    ...overrides,
  };
}

async function rejection(call: () => unknown): Promise<{ code: string; message: string }> {
  const error = await Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (caught: unknown) => caught,
    );
  expect(error).toBeInstanceOf(Error);
  return toErrorShape(error);
}

describe("cron.add", () => {
  it("returns the job with its next run in the job's time zone", async () => {
    const job = await cron["cron.add"](params(), context);
    // 09:00 in Berlin on 2025-01-16 (CET, UTC+1).
    expect(job).toMatchObject({ name: "daily digest", enabled: true, createdAtMs: T0, state: { nextRunAtMs: Date.parse("2025-01-16T08:00:00Z") } });
    expect(events).toEqual([{ jobId: job.id, action: "added", job, nextRunAtMs: job.state.nextRunAtMs }]);
  });

  it("refuses bad schedules and targets with INVALID_REQUEST saying what to fix", async () => {
    expect(await rejection(() => cron["cron.add"](params({ schedule: { kind: "cron", expr: "0 25 * * *" } }), context))).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringMatching(/^schedule\.expr: invalid cron expression "0 25 \* \* \*"/),
    });
    expect(await rejection(() => cron["cron.add"](params({ schedule: { kind: "cron", expr: "0 9 * * *", tz: "Europe/Atlantis" } }), context))).toMatchObject({
      code: "INVALID_REQUEST",
      message: 'schedule.tz: unknown time zone "Europe/Atlantis"; use an IANA name such as "Europe/Berlin"',
    });
    expect(await rejection(() => cron["cron.add"](params({ schedule: { kind: "at", at: T0 - 1 } }), context))).toMatchObject({
      code: "INVALID_REQUEST",
      message: "schedule.at: 2025-01-15T11:59:59.999Z is in the past; give a future time",
    });
    expect(await rejection(() => cron["cron.add"](params({ payload: { kind: "systemEvent", text: "hi" } }), context))).toMatchObject({
      code: "INVALID_REQUEST",
      message: expect.stringContaining('sessionTarget "isolated" needs an agentTurn payload'),
    });
    expect(scheduler.list()).toEqual([]);
  });
});

describe("cron.list, cron.get and cron.status", () => {
  it("filters, sorts by next run and pages", async () => {
    const hourly = await cron["cron.add"](params({ name: "hourly check", schedule: { kind: "every", everyMs: 60 * MINUTE } }), context);
    const soon = await cron["cron.add"](
      params({ name: "soon", agentId: "ops", description: "pager sweep", schedule: { kind: "every", everyMs: MINUTE } }),
      context,
    );
    const off = await cron["cron.add"](params({ name: "paused", enabled: false }), context);

    expect(await cron["cron.list"]({}, context)).toEqual({ jobs: [soon, hourly], total: 2 });
    expect((await cron["cron.list"]({ includeDisabled: true }, context)).jobs.map((job) => job.id)).toEqual([soon.id, hourly.id, off.id]);
    expect((await cron["cron.list"]({ enabled: false }, context)).jobs.map((job) => job.id)).toEqual([off.id]);
    expect((await cron["cron.list"]({ query: "PAGER" }, context)).jobs.map((job) => job.id)).toEqual([soon.id]);
    expect((await cron["cron.list"]({ agentId: "main" }, context)).jobs.map((job) => job.id)).toEqual([hourly.id]);
    expect(await cron["cron.list"]({ limit: 1, offset: 1 }, context)).toEqual({ jobs: [hourly], total: 2 });

    expect(await cron["cron.status"]({}, context)).toEqual({ enabled: true, jobs: 3, nextWakeAtMs: T0 + MINUTE });
  });

  it("finds a job by id or jobId, exactly one of them", async () => {
    const job = await cron["cron.add"](params(), context);
    expect(await cron["cron.get"]({ id: job.id }, context)).toEqual(job);
    expect(await cron["cron.get"]({ jobId: job.id }, context)).toEqual(job);
    expect(await rejection(() => cron["cron.get"]({ id: job.id, jobId: job.id }, context))).toEqual({
      code: "INVALID_REQUEST",
      message: "cron.get: give either id or jobId, not both",
    });
    expect(await rejection(() => cron["cron.get"]({}, context))).toEqual({ code: "INVALID_REQUEST", message: "cron.get: id (or jobId) is required" });
    expect(await rejection(() => cron["cron.get"]({ id: "nope" }, context))).toEqual({ code: "INVALID_REQUEST", message: "unknown cron job: nope" });
  });
});

describe("cron.update and cron.remove", () => {
  it("patches a job, rescheduling on a new schedule or re-enable", async () => {
    const job = await cron["cron.add"](params({ schedule: { kind: "every", everyMs: MINUTE } }), context);
    vi.setSystemTime(T0 + 10_000);
    const renamed = await cron["cron.update"]({ id: job.id, patch: { name: "renamed" } }, context);
    expect(renamed).toMatchObject({ name: "renamed", updatedAtMs: T0 + 10_000, state: { nextRunAtMs: T0 + MINUTE } });

    const moved = await cron["cron.update"]({ jobId: job.id, patch: { schedule: { kind: "every", everyMs: 5 * MINUTE, anchorMs: T0 + 20_000 } } }, context);
    expect(moved.state.nextRunAtMs).toBe(T0 + 20_000);

    const disabled = await cron["cron.update"]({ id: job.id, patch: { enabled: false } }, context);
    expect(disabled.state.nextRunAtMs).toBeUndefined();
    expect(await cron["cron.status"]({}, context)).toMatchObject({ nextWakeAtMs: null });
    expect(vi.getTimerCount()).toBe(0);

    vi.setSystemTime(T0 + 30_000);
    const enabled = await cron["cron.update"]({ id: job.id, patch: { enabled: true } }, context);
    expect(enabled.state.nextRunAtMs).toBe(T0 + 20_000 + 5 * MINUTE);
    expect(vi.getTimerCount()).toBe(1);
    expect(events.map((event) => event.action)).toEqual(["added", "updated", "updated", "updated", "updated"]);

    expect(await rejection(() => cron["cron.update"]({ id: job.id, patch: { schedule: { kind: "at", at: T0 } } }, context))).toMatchObject({
      message: expect.stringMatching(/^schedule\.at: .* is in the past/),
    });
    expect(await rejection(() => cron["cron.update"]({ id: "nope", patch: { name: "x" } }, context))).toEqual({
      code: "INVALID_REQUEST",
      message: "unknown cron job: nope",
    });
  });

  it("removes a job once", async () => {
    const job = await cron["cron.add"](params(), context);
    expect(await cron["cron.remove"]({ id: job.id }, context)).toEqual({ ok: true, removed: true });
    expect(await cron["cron.remove"]({ id: job.id }, context)).toEqual({ ok: true, removed: false });
    expect(events.at(-1)).toEqual({ jobId: job.id, action: "removed" });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("cron.run and cron.runs", () => {
  it("runs a job on demand and pages its log", async () => {
    const good = await cron["cron.add"](params(), context);
    const bad = await cron["cron.add"](params({ payload: { kind: "agentTurn", message: "fail" } }), context);
    expect(await cron["cron.run"]({ id: good.id, mode: "due" }, context)).toEqual({ ok: false, reason: "not-due" });
    const first = await cron["cron.run"]({ id: good.id }, context);
    expect(first).toEqual({ ok: true, runId: expect.any(String) });
    await scheduler.whenIdle();
    vi.setSystemTime(T0 + 1_000);
    await cron["cron.run"]({ jobId: good.id, mode: "force" }, context);
    await cron["cron.run"]({ id: bad.id }, context);
    await scheduler.whenIdle();

    const all = await cron["cron.runs"]({}, context);
    expect(all.total).toBe(3);
    const mine = await cron["cron.runs"]({ id: good.id }, context);
    expect(mine).toMatchObject({
      total: 2,
      entries: [
        { startedAtMs: T0 + 1_000, status: "ok" },
        { runId: (first as { runId: string }).runId, startedAtMs: T0, status: "ok", summary: "done" },
      ],
    });
    expect(await cron["cron.runs"]({ scope: "job", jobId: good.id, limit: 1, offset: 1 }, context)).toMatchObject({ total: 2, entries: [{ startedAtMs: T0 }] });
    expect(await cron["cron.runs"]({ status: "error" }, context)).toMatchObject({ total: 1, entries: [{ jobId: bad.id, error: "model refused" }] });
    expect(await cron["cron.runs"]({ runId: (first as { runId: string }).runId }, context)).toMatchObject({ total: 1 });
    expect(scheduler.get(bad.id)?.state).toMatchObject({ lastRunStatus: "error", consecutiveErrors: 1, lastError: "model refused" });

    expect(await rejection(() => cron["cron.runs"]({ scope: "job" }, context))).toEqual({
      code: "INVALID_REQUEST",
      message: "cron.runs: id (or jobId) is required",
    });
    expect(await rejection(() => cron["cron.runs"]({ scope: "all", id: good.id }, context))).toMatchObject({ code: "INVALID_REQUEST" });
    expect(await rejection(() => cron["cron.run"]({ id: "nope" }, context))).toMatchObject({ message: "unknown cron job: nope" });
  });
});
