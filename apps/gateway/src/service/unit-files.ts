// The service files `gateway install` writes, as text: paths and rendering, no I/O.
import { join } from "node:path";

export type ServicePlatform = "linux" | "darwin";

export interface ServiceSpec {
  /** The node binary that runs the CLI. */
  readonly nodePath: string;
  /** The installed `cli.js`. */
  readonly cliPath: string;
  readonly stateDir?: string | undefined;
  readonly configPath?: string | undefined;
}

/** The systemd user unit's name. */
export const SYSTEMD_UNIT = "openclaw-gateway.service";
/** The launchd agent's label. */
export const LAUNCHD_LABEL = "ai.openclaw.gateway";

/** Where the unit lives for the current user. */
export function serviceFilePath(platform: ServicePlatform, homedir: string): string {
  return platform === "linux" ? join(homedir, ".config", "systemd", "user", SYSTEMD_UNIT) : join(homedir, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
}

function quoteSystemd(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** A systemd user unit that runs `openclaw gateway run` and restarts it when it fails. */
export function renderSystemdUnit(spec: ServiceSpec): string {
  const env = [
    ...(spec.stateDir ? [`Environment=OPENCLAW_STATE_DIR=${quoteSystemd(spec.stateDir)}`] : []),
    ...(spec.configPath ? [`Environment=OPENCLAW_CONFIG_PATH=${quoteSystemd(spec.configPath)}`] : []),
  ];
  return [
    "[Unit]",
    "Description=OpenClaw Gateway",
    "After=network-online.target",
    "Wants=network-online.target",
    "",
    "[Service]",
    "Type=simple",
    `ExecStart=${quoteSystemd(spec.nodePath)} ${quoteSystemd(spec.cliPath)} gateway run --log-format json`,
    ...env,
    "Restart=on-failure",
    "RestartSec=5",
    // Shutdown finishes within 5 s; give it a little more before SIGKILL.
    "TimeoutStopSec=10",
    "KillSignal=SIGTERM",
    "",
    "[Install]",
    "WantedBy=default.target",
    "",
  ].join("\n");
}

function xml(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A launchd agent plist with the same behaviour: keep alive after a crash, not after a clean exit. */
export function renderLaunchdPlist(spec: ServiceSpec, logDir: string): string {
  const env = { ...(spec.stateDir ? { OPENCLAW_STATE_DIR: spec.stateDir } : {}), ...(spec.configPath ? { OPENCLAW_CONFIG_PATH: spec.configPath } : {}) };
  const envXml = Object.entries(env).map(([key, value]) => `      <key>${xml(key)}</key>\n      <string>${xml(value)}</string>`);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<plist version="1.0">',
    "  <dict>",
    `    <key>Label</key>\n    <string>${LAUNCHD_LABEL}</string>`,
    "    <key>ProgramArguments</key>",
    "    <array>",
    ...[spec.nodePath, spec.cliPath, "gateway", "run", "--log-format", "json"].map((arg) => `      <string>${xml(arg)}</string>`),
    "    </array>",
    ...(envXml.length > 0 ? ["    <key>EnvironmentVariables</key>", "    <dict>", ...envXml, "    </dict>"] : []),
    "    <key>RunAtLoad</key>\n    <true/>",
    "    <key>KeepAlive</key>\n    <dict>\n      <key>SuccessfulExit</key>\n      <false/>\n    </dict>",
    `    <key>StandardOutPath</key>\n    <string>${xml(join(logDir, "gateway.stdout.log"))}</string>`,
    `    <key>StandardErrorPath</key>\n    <string>${xml(join(logDir, "gateway.stderr.log"))}</string>`,
    "  </dict>",
    "</plist>",
    "",
  ].join("\n");
}

/** Where the launchd agent's stdout and stderr go. */
export function launchdLogDir(homedir: string): string {
  return join(homedir, "Library", "Logs", "OpenClaw");
}
