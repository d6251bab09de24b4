// The built `openclaw` binary against recording systemctl/loginctl stubs: the exact commands that
// `gateway install`, `status` and `uninstall` run, and how each failure reaches the user.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { supervisorStubs, type SupervisorStubs } from "./supervisor-stubs.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const UNIT = "openclaw-gateway.service";
const LINGER_ON = { "show-user tester -p Linger": { stdout: "Linger=yes\n" } };
const LINGER_OFF = { "show-user tester -p Linger": { stdout: "Linger=no\n" } };

const open: SupervisorStubs[] = [];
afterEach(() => {
  for (const stubs of open.splice(0)) stubs.dispose();
});

function stubs(): SupervisorStubs {
  const created = supervisorStubs();
  open.push(created);
  return created;
}

/** `openclaw <args>` from dist with HOME and PATH in the temp dir; stdin is not a terminal. */
function openclaw(env: SupervisorStubs, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { HOME: env.home, PATH: env.bin, USER: "tester" } }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const unitPath = (env: SupervisorStubs) => join(env.home, ".config", "systemd", "user", UNIT);

describe("gateway install on systemd", { timeout: 60_000 }, () => {
  it("writes the unit, reloads systemd, enables and starts the unit, then checks lingering", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_ON);
    const run = await openclaw(env, "gateway", "install");
    expect(run.code).toBe(0);
    expect(env.calls()).toEqual([`systemctl --user daemon-reload`, `systemctl --user enable --now ${UNIT}`, "loginctl show-user tester -p Linger"]);
    expect(readFileSync(unitPath(env), "utf8")).toContain(`ExecStart=${process.execPath} ${CLI} gateway run --log-format json`);
    expect(run.stdout).toContain("Lingering is on for tester");
    expect(run.stderr).toBe("");
  });

  it("without a terminal or a flag leaves lingering off and says how to turn it on", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_OFF);
    const run = await openclaw(env, "gateway", "install");
    expect(run.code).toBe(0);
    expect(env.calls()).toEqual([`systemctl --user daemon-reload`, `systemctl --user enable --now ${UNIT}`, "loginctl show-user tester -p Linger"]);
    expect(run.stderr).toContain("Lingering is off for tester");
    expect(run.stderr).toContain("openclaw gateway install --linger");
    expect(run.stderr).toContain("loginctl enable-linger tester");
  });

  it("--linger enables lingering when it is off", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_OFF);
    const run = await openclaw(env, "gateway", "install", "--linger");
    expect(run.code).toBe(0);
    expect(env.calls()).toEqual([
      `systemctl --user daemon-reload`,
      `systemctl --user enable --now ${UNIT}`,
      "loginctl show-user tester -p Linger",
      "loginctl enable-linger tester",
    ]);
    expect(run.stdout).toContain("Enabled lingering for tester");
  });

  it("--linger leaves lingering alone when it is already on", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_ON);
    expect((await openclaw(env, "gateway", "install", "--linger")).code).toBe(0);
    expect(env.calls()).not.toContain("loginctl enable-linger tester");
  });

  it("--no-linger neither checks nor changes lingering", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_OFF);
    const run = await openclaw(env, "gateway", "install", "--no-linger");
    expect(run.code).toBe(0);
    expect(env.calls()).toEqual([`systemctl --user daemon-reload`, `systemctl --user enable --now ${UNIT}`]);
    expect(run.stderr).toBe("");
  });

  it("restarts a running unit when a reinstall changed it", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_ON);
    mkdirSync(join(env.home, ".config", "systemd", "user"), { recursive: true });
    writeFileSync(unitPath(env), "[Service]\nExecStart=/old/node /old/cli.js gateway run\n");
    expect((await openclaw(env, "gateway", "install", "--no-linger")).code).toBe(0);
    expect(env.calls()).toEqual([`systemctl --user daemon-reload`, `systemctl --user enable --now ${UNIT}`, `systemctl --user restart ${UNIT}`]);
    env.clearCalls();
    expect((await openclaw(env, "gateway", "install", "--no-linger")).code).toBe(0);
    expect(env.calls()).not.toContain(`systemctl --user restart ${UNIT}`);
  });

  it("reports a failing systemctl with its command line and stderr, exits non-zero, and runs nothing after it", async () => {
    const env = stubs();
    env.stub("systemctl", { [`--user enable --now ${UNIT}`]: { code: 1, stderr: "Failed to enable unit: Access denied\n" } });
    env.stub("loginctl", LINGER_ON);
    const run = await openclaw(env, "gateway", "install");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`\`systemctl --user enable --now ${UNIT}\` failed (exit 1): Failed to enable unit: Access denied`);
    expect(env.calls()).toEqual([`systemctl --user daemon-reload`, `systemctl --user enable --now ${UNIT}`]);
  });

  it("reports a refused enable-linger and says an administrator can enable it", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", { ...LINGER_OFF, "enable-linger tester": { code: 1, stderr: "Could not enable linger: Access denied\n" } });
    const run = await openclaw(env, "gateway", "install", "--linger");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("`loginctl enable-linger tester` failed (exit 1): Could not enable linger: Access denied");
    expect(run.stderr).toContain("sudo loginctl enable-linger tester");
  });

  it("says the service runs and only the lingering check failed when loginctl is missing", async () => {
    const env = stubs();
    env.stub("systemctl");
    const run = await openclaw(env, "gateway", "install");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("`loginctl` was not found on PATH");
    expect(run.stderr).toContain("only the lingering check failed (`--no-linger` skips it)");
    expect(env.calls()).toEqual([`systemctl --user daemon-reload`, `systemctl --user enable --now ${UNIT}`]);
  });

  it("without systemctl on PATH says there is no systemd, suggests gateway run under another supervisor, and writes nothing", async () => {
    const env = stubs();
    env.stub("loginctl", LINGER_ON);
    const run = await openclaw(env, "gateway", "install");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("systemctl was not found on PATH");
    expect(run.stderr).toContain("openclaw gateway run");
    expect(existsSync(unitPath(env))).toBe(false);
    expect(env.calls()).toEqual([]);
  });

  it("without a user session says so instead of passing on the D-Bus error alone", async () => {
    const env = stubs();
    env.stub("systemctl", { "--user daemon-reload": { code: 1, stderr: "Failed to connect to bus: No medium found\n" } });
    const run = await openclaw(env, "gateway", "install");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("`systemctl --user daemon-reload` could not reach your systemd user manager: Failed to connect to bus: No medium found");
    expect(run.stderr).toContain("no user session");
    expect(run.stderr).toContain("openclaw gateway run");
  });
});

describe("gateway status on systemd", { timeout: 60_000 }, () => {
  it("shows systemd's view and lingering beside the lock file's pid and port", async () => {
    const env = stubs();
    env.stub("systemctl", {
      [`--user is-active ${UNIT}`]: { stdout: "active\n" },
      [`--user is-enabled ${UNIT}`]: { stdout: "enabled\n" },
    });
    env.stub("loginctl", LINGER_ON);
    mkdirSync(join(env.home, ".openclaw"), { recursive: true });
    // This test's own process stands in for a live gateway.
    writeFileSync(join(env.home, ".openclaw", "gateway.lock"), JSON.stringify({ pid: process.pid, port: 18789 }));
    const run = await openclaw(env, "gateway", "status");
    expect(run.code).toBe(0);
    expect(env.calls()).toEqual([`systemctl --user is-active ${UNIT}`, `systemctl --user is-enabled ${UNIT}`, "loginctl show-user tester -p Linger"]);
    expect(run.stdout).toContain(`Gateway:   running (pid ${process.pid}, port 18789)`);
    expect(run.stdout).toContain("systemd:   active, enabled");
    expect(run.stdout).toContain("Lingering: on");
  });

  it("prints inactive and disabled units as systemd names them (non-zero exits of is-active/is-enabled are answers)", async () => {
    const env = stubs();
    env.stub("systemctl", {
      [`--user is-active ${UNIT}`]: { code: 3, stdout: "inactive\n" },
      [`--user is-enabled ${UNIT}`]: { code: 1, stdout: "disabled\n" },
    });
    env.stub("loginctl", LINGER_OFF);
    const run = await openclaw(env, "gateway", "status", "--json");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      installed: false,
      supervisor: { supervisor: "systemd", active: "inactive", enabled: "disabled", linger: false },
    });
  });

  it("exits non-zero with the command and its stderr when systemctl gives no answer", async () => {
    const env = stubs();
    env.stub("systemctl", { [`--user is-active ${UNIT}`]: { code: 1, stderr: "Unknown command verb is-active.\n" } });
    env.stub("loginctl", LINGER_ON);
    const run = await openclaw(env, "gateway", "status");
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("Service:   not installed");
    expect(run.stderr).toContain(`\`systemctl --user is-active ${UNIT}\` failed (exit 1): Unknown command verb is-active.`);
  });

  it("without systemctl still reports the gateway, and says the supervisor is unavailable", async () => {
    const env = stubs();
    const run = await openclaw(env, "gateway", "status");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Gateway:   not running");
    expect(run.stdout).toMatch(/Supervisor: unavailable \(.*systemctl.* was not found on PATH/);
  });
});

describe("gateway uninstall on systemd", { timeout: 60_000 }, () => {
  it("stops and disables the unit, removes it, then reloads systemd", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", LINGER_ON);
    expect((await openclaw(env, "gateway", "install")).code).toBe(0);
    env.clearCalls();
    const run = await openclaw(env, "gateway", "uninstall");
    expect(run.code).toBe(0);
    expect(env.calls()).toEqual([`systemctl --user disable --now ${UNIT}`, `systemctl --user daemon-reload`]);
    expect(existsSync(unitPath(env))).toBe(false);
  });

  it("keeps the unit file when systemctl cannot stop it, so uninstall can be run again", async () => {
    const env = stubs();
    env.stub("systemctl", { [`--user disable --now ${UNIT}`]: { code: 1, stderr: "Failed to disable unit: Connection timed out\n" } });
    env.stub("loginctl", LINGER_ON);
    expect((await openclaw(env, "gateway", "install")).code).toBe(0);
    env.clearCalls();
    const run = await openclaw(env, "gateway", "uninstall");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`\`systemctl --user disable --now ${UNIT}\` failed (exit 1): Failed to disable unit: Connection timed out`);
    expect(env.calls()).toEqual([`systemctl --user disable --now ${UNIT}`]);
    expect(existsSync(unitPath(env))).toBe(true);
  });

  it("runs nothing when no unit is installed", async () => {
    const env = stubs();
    env.stub("systemctl");
    const run = await openclaw(env, "gateway", "uninstall");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("No service installed");
    expect(env.calls()).toEqual([]);
  });
});
