import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { installService, renderLaunchdPlist, renderSystemdUnit, serviceStatus, uninstallService } from "../src/commands/service.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function io(home: string) {
  let out = "";
  return { io: { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: {}, homedir: home, cwd: home }, out: () => out };
}

const spec = { nodePath: "/usr/bin/node", cliPath: "/opt/openclaw/dist/cli.js", stateDir: "/home/me/.openclaw data" };

describe("gateway install", () => {
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

  it("install writes the unit and prints it; uninstall removes it; status reports it", () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-service-"));
    dirs.push(home);
    const first = io(home);
    const path = installService({ io: first.io, platform: "linux", spec });
    expect(path).toBe(join(home, ".config", "systemd", "user", "openclaw-gateway.service"));
    expect(readFileSync(path, "utf8")).toBe(renderSystemdUnit(spec));
    expect(first.out()).toContain("systemctl --user daemon-reload");
    expect(serviceStatus({ io: io(home).io, platform: "linux", stateDir: join(home, "state") })).toMatchObject({ installed: true });
    uninstallService({ io: first.io, platform: "linux" });
    expect(serviceStatus({ io: io(home).io, platform: "linux", stateDir: join(home, "state") })).toMatchObject({ installed: false });
    expect(() => installService({ io: first.io, platform: "win32", spec })).toThrow(/Linux.*macOS/);
  });
});
