import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { readInstanceLock } from "@openclaw/gateway-core";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";

export type ServicePlatform = "linux" | "darwin";

export interface ServiceSpec {
  /** The node binary that runs the CLI. */
  readonly nodePath: string;
  /** The installed `cli.js`. */
  readonly cliPath: string;
  readonly stateDir?: string | undefined;
  readonly configPath?: string | undefined;
}

const UNIT_NAME = "openclaw-gateway.service";
const LAUNCHD_LABEL = "ai.openclaw.gateway";

/** Where the unit lives for the current user. */
export function serviceFilePath(platform: ServicePlatform, homedir: string): string {
  return platform === "linux" ? join(homedir, ".config", "systemd", "user", UNIT_NAME) : join(homedir, "Library", "LaunchAgents", `${LAUNCHD_LABEL}.plist`);
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

function platformOf(platform: NodeJS.Platform): ServicePlatform {
  if (platform === "linux" || platform === "darwin") return platform;
  throw new CliError(`gateway install supports Linux (systemd) and macOS (launchd), not ${platform}`);
}

export interface ServiceCommandOptions {
  readonly io: CommandIo;
  readonly platform: NodeJS.Platform;
  readonly spec: ServiceSpec;
}

/** Write the unit and say how to enable it; systemctl/launchctl are left to the user. */
export function installService(options: ServiceCommandOptions): string {
  const platform = platformOf(options.platform);
  const path = serviceFilePath(platform, options.io.homedir);
  const text =
    platform === "linux" ? renderSystemdUnit(options.spec) : renderLaunchdPlist(options.spec, join(options.io.homedir, "Library", "Logs", "OpenClaw"));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text, { mode: 0o644 });
  const next =
    platform === "linux" ? "systemctl --user daemon-reload && systemctl --user enable --now openclaw-gateway" : `launchctl bootstrap gui/$(id -u) ${path}`;
  options.io.stdout.write(`Wrote ${path}:\n\n${text}\nEnable it with:\n  ${next}\n`);
  return path;
}

export function uninstallService(options: Omit<ServiceCommandOptions, "spec">): void {
  const platform = platformOf(options.platform);
  const path = serviceFilePath(platform, options.io.homedir);
  if (!existsSync(path)) {
    options.io.stdout.write(`No service installed (${path} does not exist).\n`);
    return;
  }
  rmSync(path);
  const stop = platform === "linux" ? "systemctl --user disable --now openclaw-gateway" : `launchctl bootout gui/$(id -u)/${LAUNCHD_LABEL}`;
  options.io.stdout.write(`Removed ${path}. If it is still running, stop it with:\n  ${stop}\n`);
}

/** Whether a unit is installed, and whether a gateway holds this state dir right now. */
export function serviceStatus(options: Omit<ServiceCommandOptions, "spec"> & { readonly stateDir: string }): {
  installed: boolean;
  path: string;
  running?: { pid: number; port: number };
} {
  const platform = platformOf(options.platform);
  const path = serviceFilePath(platform, options.io.homedir);
  // The same lock file client commands read to find the running gateway's port.
  const lock = readInstanceLock(options.stateDir);
  const running = lock ? { pid: lock.pid, port: lock.port } : undefined;
  const installed = existsSync(path);
  options.io.stdout.write(
    `Service: ${installed ? `installed (${path})` : "not installed"}\nGateway: ${running ? `running (pid ${running.pid}, port ${running.port})` : "not running"}\n`,
  );
  return { installed, path, ...(running ? { running } : {}) };
}
