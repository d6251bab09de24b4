// The service files, and the command functions run in-process: launchd (the platform injected) and the
// linger question on a terminal, both against recording stubs on PATH.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { installService, serviceStatus, uninstallService } from "../src/commands/service.js";
import type { CommandIo } from "../src/io.js";
import { renderLaunchdPlist, renderSystemdUnit } from "../src/service/unit-files.js";
import { supervisorStubs, type SupervisorStubs } from "./supervisor-stubs.js";

const spec = { nodePath: "/usr/bin/node", cliPath: "/opt/openclaw/dist/cli.js", stateDir: "/home/me/.openclaw data" };
const AGENT = "gui/501/ai.openclaw.gateway";
const NOT_LOADED = { code: 113, stderr: 'Could not find service "ai.openclaw.gateway" in domain for port\n' };

const open: SupervisorStubs[] = [];
afterEach(() => {
  for (const stubs of open.splice(0)) stubs.dispose();
});

function stubs(): SupervisorStubs {
  const created = supervisorStubs();
  open.push(created);
  return created;
}

/** A CommandIo on the stubs' HOME and PATH; `terminal` gives it a TTY stdin holding `answer`. */
function ioFor(env: SupervisorStubs, options: { platform?: NodeJS.Platform; terminal?: { answer: string } } = {}) {
  let out = "";
  let err = "";
  let stdin: (PassThrough & { isTTY?: boolean }) | undefined;
  if (options.terminal) {
    stdin = Object.assign(new PassThrough(), { isTTY: true });
    stdin.end(options.terminal.answer);
  }
  const io: CommandIo = {
    stdout: { write: (text: string) => (out += text), isTTY: options.terminal !== undefined },
    stderr: { write: (text: string) => (err += text) },
    ...(stdin ? { stdin } : {}),
    env: { PATH: env.bin, USER: "tester" },
    homedir: env.home,
    cwd: env.home,
    platform: options.platform ?? "linux",
    uid: 501,
  };
  return { io, out: () => out, err: () => err };
}

describe("service files", () => {
  it("renders a systemd user unit that runs gateway run and restarts on failure", () => {
    const unit = renderSystemdUnit(spec);
    expect(unit).toContain("ExecStart=/usr/bin/node /opt/openclaw/dist/cli.js gateway run --log-format json");
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain('Environment=OPENCLAW_STATE_DIR="/home/me/.openclaw data"');
    expect(unit).toContain("WantedBy=default.target");
  });

  it("renders a launchd plist that keeps the gateway alive after a crash", () => {
    const plist = renderLaunchdPlist({ ...spec, stateDir: "/Users/me/a&b" }, "/Users/me/Library/Logs/OpenClaw");
    expect(plist).toContain("<string>ai.openclaw.gateway</string>");
    expect(plist).toContain("<string>gateway</string>\n      <string>run</string>");
    expect(plist).toContain("<key>SuccessfulExit</key>\n      <false/>");
    expect(plist).toContain("<string>/Users/me/a&amp;b</string>");
  });

  it("refuses platforms without systemd or launchd and points at gateway run", async () => {
    const env = stubs();
    await expect(installService({ io: ioFor(env).io, platform: "win32", spec })).rejects.toThrow(/Linux.*macOS.*openclaw gateway run/);
  });
});

describe("gateway install/status/uninstall on launchd", () => {
  const plistPath = (env: SupervisorStubs) => join(env.home, "Library", "LaunchAgents", "ai.openclaw.gateway.plist");

  it("install writes the plist and bootstraps it into gui/<uid>", async () => {
    const env = stubs();
    env.stub("launchctl", { [`print ${AGENT}`]: NOT_LOADED });
    const { io } = ioFor(env, { platform: "darwin" });
    await installService({ io, platform: "darwin", spec });
    expect(env.calls()).toEqual([`launchctl print ${AGENT}`, `launchctl bootstrap gui/501 ${plistPath(env)}`]);
    expect(readFileSync(plistPath(env), "utf8")).toContain("<string>/opt/openclaw/dist/cli.js</string>");
  });

  it("install boots out a loaded agent before bootstrapping the new plist", async () => {
    const env = stubs();
    env.stub("launchctl", { [`print ${AGENT}`]: { stdout: `${AGENT} = {\n\tstate = running\n\tpid = 4242\n}\n` } });
    await installService({ io: ioFor(env, { platform: "darwin" }).io, platform: "darwin", spec });
    expect(env.calls()).toEqual([`launchctl print ${AGENT}`, `launchctl bootout ${AGENT}`, `launchctl bootstrap gui/501 ${plistPath(env)}`]);
  });

  it("install reports a failed bootstrap with the command and launchctl's stderr", async () => {
    const env = stubs();
    env.stub("launchctl", {
      [`print ${AGENT}`]: NOT_LOADED,
      [`bootstrap gui/501 ${plistPath(env)}`]: { code: 5, stderr: "Bootstrap failed: 5: Input/output error\n" },
    });
    await expect(installService({ io: ioFor(env, { platform: "darwin" }).io, platform: "darwin", spec })).rejects.toMatchObject({
      message: expect.stringContaining(`\`launchctl bootstrap gui/501 ${plistPath(env)}\` failed (exit 5): Bootstrap failed: 5: Input/output error`),
      exitCode: 1,
    });
  });

  it("status shows launchd's state and pid", async () => {
    const env = stubs();
    env.stub("launchctl", { [`print ${AGENT}`]: { stdout: `${AGENT} = {\n\tstate = running\n\tpid = 4242\n}\n` } });
    const { io, out } = ioFor(env, { platform: "darwin" });
    const status = await serviceStatus({ io, platform: "darwin", stateDir: join(env.home, ".openclaw") });
    expect(env.calls()).toEqual([`launchctl print ${AGENT}`]);
    expect(status.supervisor).toEqual({ supervisor: "launchd", loaded: true, state: "running", pid: 4242 });
    expect(out()).toContain("launchd:   loaded, running (pid 4242)");
  });

  it("uninstall boots the agent out and removes the plist", async () => {
    const env = stubs();
    env.stub("launchctl", { [`print ${AGENT}`]: NOT_LOADED });
    await installService({ io: ioFor(env, { platform: "darwin" }).io, platform: "darwin", spec });
    env.stub("launchctl", { [`print ${AGENT}`]: { stdout: "state = running\n" } });
    env.clearCalls();
    await uninstallService({ io: ioFor(env, { platform: "darwin" }).io, platform: "darwin" });
    expect(env.calls()).toEqual([`launchctl print ${AGENT}`, `launchctl bootout ${AGENT}`]);
    expect(existsSync(plistPath(env))).toBe(false);
  });
});

describe("the linger question on a terminal", () => {
  it("enables lingering when the answer is yes (Enter)", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", { "show-user tester -p Linger": { stdout: "Linger=no\n" } });
    const { io, out } = ioFor(env, { terminal: { answer: "\n" } });
    expect(await installService({ io, platform: "linux", spec })).toMatchObject({ linger: "enabled" });
    expect(out()).toContain("Enable lingering (loginctl enable-linger tester) so it keeps running? [Y/n]");
    expect(env.calls().at(-1)).toBe("loginctl enable-linger tester");
  });

  it("leaves lingering off when the answer is no, and says how to turn it on", async () => {
    const env = stubs();
    env.stub("systemctl");
    env.stub("loginctl", { "show-user tester -p Linger": { stdout: "Linger=no\n" } });
    const { io, err } = ioFor(env, { terminal: { answer: "n\n" } });
    expect(await installService({ io, platform: "linux", spec })).toMatchObject({ linger: "off" });
    expect(env.calls()).not.toContain("loginctl enable-linger tester");
    expect(err()).toContain("openclaw gateway install --linger");
  });
});
