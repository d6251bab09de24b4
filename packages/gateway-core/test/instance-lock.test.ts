import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GatewayLockedError } from "../src/errors.js";
import { acquireInstanceLock, readInstanceLock, type InstanceLock } from "../src/instance-lock.js";

let root: string;
let lockDir: string;
const held: InstanceLock[] = [];

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "openclaw-lock-"));
  lockDir = join(root, "tmp");
  mkdirSync(lockDir);
  held.length = 0;
});

afterEach(() => {
  for (const lock of held.splice(0)) lock.release();
  rmSync(root, { recursive: true, force: true });
});

function acquire(stateName: string, port: number): InstanceLock {
  const lock = acquireInstanceLock({ stateDir: join(root, stateName), port, lockDir });
  held.push(lock);
  return lock;
}

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["-e", ""]);
  expect(child.status).toBe(0);
  return child.pid;
}

function lockMessage(stateName: string, port: number): string {
  return `another gateway is already running (pid ${process.pid}, port ${port}, state dir ${join(root, stateName)}); stop it first or use another --port and OPENCLAW_STATE_DIR`;
}

describe("acquireInstanceLock", () => {
  it("writes both lock files, exclusive to this process", () => {
    const lock = acquire("state", 18789);
    expect(lock.paths).toEqual([join(root, "state", "gateway.lock"), join(lockDir, "openclaw-gateway-18789.lock")]);
    for (const path of lock.paths) {
      const record = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
      expect(record).toMatchObject({ pid: process.pid, port: 18789, stateDir: join(root, "state") });
      expect(typeof record["startedAt"]).toBe("string");
      expect(statSync(path).mode & 0o777).toBe(0o600);
    }
  });

  it("refuses a second gateway on the same state dir, naming the running one", () => {
    acquire("state", 18789);
    const attempt = () => acquire("state", 18790);
    expect(attempt).toThrow(GatewayLockedError);
    expect(attempt).toThrow(lockMessage("state", 18789));
    // The failed attempt must not leave its port lock behind.
    expect(existsSync(join(lockDir, "openclaw-gateway-18790.lock"))).toBe(false);
  });

  it("refuses a second gateway on the same port, releasing the state lock it took", () => {
    acquire("first", 18789);
    let error: unknown;
    try {
      acquire("second", 18789);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(GatewayLockedError);
    expect((error as GatewayLockedError).message).toBe(lockMessage("first", 18789));
    expect((error as GatewayLockedError).holder).toEqual({ pid: process.pid, port: 18789 });
    expect(existsSync(join(root, "second", "gateway.lock"))).toBe(false);
  });

  it("takes over a lock left by a dead process", () => {
    const first = acquire("state", 18789);
    const stale = JSON.stringify({ pid: deadPid(), port: 18789, startedAt: "2026-01-01T00:00:00.000Z", stateDir: "/gone" });
    first.release();
    for (const path of first.paths) writeFileSync(path, stale);

    const second = acquire("state", 18789);
    for (const path of second.paths) expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid });
  });

  it("takes over a lock right after kill -9, while the killed holder is still an unreaped zombie", async () => {
    const { spawn } = await import("node:child_process");
    const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    await new Promise<void>((resolve) => child.once("spawn", () => resolve()));
    const pid = child.pid!;
    const first = acquire("state", 18790);
    first.release();
    for (const path of first.paths) writeFileSync(path, JSON.stringify({ pid, port: 18790, startedAt: "2026-01-01T00:00:00.000Z", stateDir: "/killed" }));
    child.kill("SIGKILL");
    // Stay in this turn of the event loop, so Node cannot reap the child: wait until the kernel shows it as a zombie.
    const stateOf = () => {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
    };
    const pause = new Int32Array(new SharedArrayBuffer(4));
    for (let spins = 0; stateOf() !== "Z" && spins < 5000; spins += 1) Atomics.wait(pause, 0, 0, 1);
    expect(stateOf()).toBe("Z");

    const second = acquire("state", 18790);
    for (const path of second.paths) expect(JSON.parse(readFileSync(path, "utf8"))).toMatchObject({ pid: process.pid });
  });

  it("takes over an unparsable lock", () => {
    const statePath = join(root, "state", "gateway.lock");
    acquire("state", 18789).release();
    writeFileSync(statePath, "{not json");
    writeFileSync(join(lockDir, "openclaw-gateway-18789.lock"), JSON.stringify({ pid: 0 }));
    expect(() => acquire("state", 18789)).not.toThrow();
  });

  it("frees both locks on release, idempotently", () => {
    const lock = acquire("state", 18789);
    lock.release();
    lock.release();
    for (const path of lock.paths) expect(existsSync(path)).toBe(false);
    expect(() => acquire("state", 18789)).not.toThrow();
  });

  it("does not delete a lock that someone else now holds", () => {
    const lock = acquire("state", 18789);
    const [statePath, portPath] = lock.paths as [string, string];
    // Another gateway replaced our state lock (e.g. after taking it over as stale).
    unlinkSync(statePath);
    const theirs = JSON.stringify({ pid: process.pid, port: 20000, startedAt: "2026-01-01T00:00:00.000Z", stateDir: "/other" });
    writeFileSync(statePath, theirs);

    lock.release();
    expect(readFileSync(statePath, "utf8")).toBe(theirs);
    expect(existsSync(portPath)).toBe(false);
  });
});

describe("readInstanceLock", () => {
  it("names the live gateway holding the state dir, with its port", () => {
    acquire("state", 19101);
    expect(readInstanceLock(join(root, "state"))).toMatchObject({ pid: process.pid, port: 19101, stateDir: join(root, "state") });
  });

  it("finds nothing when no gateway holds the state dir, the lock is unreadable, or its holder has exited", () => {
    expect(readInstanceLock(join(root, "never-started"))).toBeUndefined();
    const lock = acquire("state", 19101);
    lock.release();
    expect(readInstanceLock(join(root, "state"))).toBeUndefined();
    writeFileSync(join(root, "state", "gateway.lock"), "{not json");
    expect(readInstanceLock(join(root, "state"))).toBeUndefined();
    writeFileSync(join(root, "state", "gateway.lock"), JSON.stringify({ pid: deadPid(), port: 19101, startedAt: "", stateDir: join(root, "state") }));
    expect(readInstanceLock(join(root, "state"))).toBeUndefined();
  });
});
