// `gateway install`, `gateway status` and `gateway uninstall`: hand the gateway to the platform's supervisor.
import { existsSync } from "node:fs";
import { readInstanceLock } from "@openclaw/gateway-core";
import { userInfo } from "node:os";
import { createInterface } from "node:readline";
import { CliError, CommandNotFoundError, SupervisorUnavailableError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { printJson } from "../output.js";
import { externalRunner } from "../service/external-command.js";
import { installLaunchdService, launchdStatus, uninstallLaunchdService } from "../service/launchd.js";
import type { LingerOutcome, LingerPolicy, SupervisorContext, SupervisorView } from "../service/supervisor.js";
import { installSystemdService, systemdStatus, uninstallSystemdService } from "../service/systemd.js";
import { serviceFilePath, type ServicePlatform, type ServiceSpec } from "../service/unit-files.js";

export interface ServiceCommandOptions {
  readonly io: CommandIo;
  /** Which supervisor to use: systemd on linux, launchd on darwin. */
  readonly platform: NodeJS.Platform;
}

export interface InstallServiceOptions extends ServiceCommandOptions {
  readonly spec: ServiceSpec;
  /**
   * `--linger` (true) enables systemd lingering when it is off; `--no-linger` (false) neither checks nor changes it.
   * @default undefined: ask on a terminal; otherwise leave lingering off and say how to turn it on
   */
  readonly linger?: boolean | undefined;
}

function platformOf(platform: NodeJS.Platform): ServicePlatform {
  if (platform === "linux" || platform === "darwin") return platform;
  throw new CliError(
    `the gateway service supports Linux (systemd) and macOS (launchd), not ${platform}; run \`openclaw gateway run\` under your own supervisor`,
  );
}

function contextOf(io: CommandIo, echo: boolean): SupervisorContext {
  return { io, run: externalRunner(io.env, echo ? (line) => io.stdout.write(`$ ${line}\n`) : () => undefined) };
}

function loginName(io: CommandIo): string {
  return io.env["USER"] || io.env["LOGNAME"] || userInfo().username;
}

function uidOf(io: CommandIo): number {
  return io.uid ?? process.getuid?.() ?? 0;
}

function isInteractive(io: CommandIo): boolean {
  return io.stdin?.isTTY === true && io.stdout.isTTY === true;
}

function lingerPolicy(io: CommandIo, linger: boolean | undefined): LingerPolicy {
  if (linger === true) return "enable";
  if (linger === false) return "skip";
  return isInteractive(io) ? "ask" : "warn";
}

/** A yes/no question on the terminal; Enter means yes, end of input means no. */
async function confirm(io: CommandIo, question: string): Promise<boolean> {
  if (!io.stdin) return false;
  io.stdout.write(`${question} [Y/n] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  const answer = await new Promise<string | undefined>((resolve) => {
    lines.once("line", resolve);
    lines.once("close", () => resolve(undefined));
  });
  lines.close();
  return answer !== undefined && /^(y|yes)?$/i.test(answer.trim());
}

/** Write the service file and hand it to systemd (enabled, started, lingering seen to) or launchd (bootstrapped). */
export async function installService(options: InstallServiceOptions): Promise<{ path: string; linger: LingerOutcome }> {
  const { io } = options;
  const platform = platformOf(options.platform);
  const ctx = contextOf(io, true);
  if (platform === "darwin") {
    if (options.linger === true) io.stderr.write("--linger is for systemd; a LaunchAgent runs while you are logged in.\n");
    const { path } = await installLaunchdService(ctx, { spec: options.spec, uid: uidOf(io) });
    return { path, linger: "unchecked" };
  }
  return installSystemdService(ctx, {
    spec: options.spec,
    user: loginName(io),
    linger: lingerPolicy(io, options.linger),
    confirm: (question) => confirm(io, question),
  });
}

/** Stop the service, take it out of the supervisor and remove its file. */
export async function uninstallService(options: ServiceCommandOptions): Promise<{ path: string; removed: boolean }> {
  const platform = platformOf(options.platform);
  const ctx = contextOf(options.io, true);
  return platform === "darwin" ? uninstallLaunchdService(ctx, uidOf(options.io)) : uninstallSystemdService(ctx);
}

export interface ServiceStatus {
  readonly installed: boolean;
  readonly path: string;
  /** From the state dir's lock file, when its process is alive. */
  readonly running?: { readonly pid: number; readonly port: number };
  /** The supervisor's view, or why there is none to ask (no systemctl, no user session). */
  readonly supervisor: SupervisorView | { readonly unavailable: string };
}

function lockHolder(stateDir: string): { pid: number; port: number } | undefined {
  const lock = readInstanceLock(stateDir);
  return lock ? { pid: lock.pid, port: lock.port } : undefined;
}

function describeSupervisor(view: SupervisorView, user: string): string {
  if (view.supervisor === "launchd") {
    const state = view.loaded ? `loaded, ${view.state ?? "state unknown"}${view.pid !== undefined ? ` (pid ${view.pid})` : ""}` : "not loaded";
    return `launchd:   ${state}\n`;
  }
  const linger = view.linger
    ? "on (starts at boot, keeps running after logout)"
    : `off (stops when you log out; \`openclaw gateway install --linger\` or \`loginctl enable-linger ${user}\`)`;
  return `systemd:   ${view.active}, ${view.enabled}\nLingering: ${linger}\n`;
}

/** The service file, the gateway holding the state dir's lock, and the supervisor's own view of the service. */
export async function serviceStatus(options: ServiceCommandOptions & { readonly stateDir: string; readonly json?: boolean }): Promise<ServiceStatus> {
  const { io } = options;
  const platform = platformOf(options.platform);
  const path = serviceFilePath(platform, io.homedir);
  const installed = existsSync(path);
  const running = lockHolder(options.stateDir);
  if (!options.json) {
    io.stdout.write(`Service:   ${installed ? `installed (${path})` : "not installed"}\n`);
    io.stdout.write(`Gateway:   ${running ? `running (pid ${running.pid}, port ${running.port})` : "not running"}\n`);
  }
  const ctx = contextOf(io, false);
  const user = loginName(io);
  let supervisor: ServiceStatus["supervisor"];
  try {
    supervisor = platform === "darwin" ? await launchdStatus(ctx, uidOf(io)) : await systemdStatus(ctx, user);
  } catch (error) {
    // A status report still answers where there is no supervisor to ask; install and uninstall fail there instead.
    if (!(error instanceof SupervisorUnavailableError || error instanceof CommandNotFoundError)) throw error;
    supervisor = { unavailable: error.message.split("\n")[0]! };
  }
  const status: ServiceStatus = { installed, path, ...(running ? { running } : {}), supervisor };
  if (options.json) printJson(io, status);
  else io.stdout.write("unavailable" in supervisor ? `Supervisor: unavailable (${supervisor.unavailable})\n` : describeSupervisor(supervisor, user));
  return status;
}
