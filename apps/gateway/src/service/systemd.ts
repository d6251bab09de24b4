// `gateway install/status/uninstall` on Linux: a systemd user unit, enabled and started, with lingering.
import { existsSync, rmSync } from "node:fs";
import { CommandNotFoundError, SupervisorUnavailableError } from "../errors.js";
import { findExecutable, requireSuccess, type ExternalResult } from "./external-command.js";
import { firstLine, writeServiceFile, type LingerOutcome, type LingerPolicy, type SupervisorContext, type SupervisorView } from "./supervisor.js";
import { renderSystemdUnit, serviceFilePath, SYSTEMD_UNIT, type ServiceSpec } from "./unit-files.js";

const RUN_ELSEWHERE = "run `openclaw gateway run` under the supervisor you have (a container's restart policy, supervisord, runit, tmux)";

// What systemctl --user says when there is no user manager to talk to: no login session (containers, su, sudo -u).
const NO_USER_BUS = /Failed to connect to (user scope )?bus|DBUS_SESSION_BUS_ADDRESS|XDG_RUNTIME_DIR/i;

function requireSystemctl(ctx: SupervisorContext): void {
  if (findExecutable("systemctl", ctx.io.env)) return;
  throw new SupervisorUnavailableError(
    `systemctl was not found on PATH: this machine has no systemd to run the gateway as a user service (usual in containers).\nInstead, ${RUN_ELSEWHERE}.`,
  );
}

/** `systemctl --user <args>`; a missing user session becomes a {@link SupervisorUnavailableError}. */
async function systemctl(ctx: SupervisorContext, args: readonly string[], options: { check: boolean } = { check: true }): Promise<ExternalResult> {
  const result = await ctx.run("systemctl", ["--user", ...args]);
  if (result.status !== 0 && NO_USER_BUS.test(result.stderr)) {
    throw new SupervisorUnavailableError(
      `\`${result.commandLine}\` could not reach your systemd user manager: ${result.stderr.trim()}\n` +
        `There is no user session here (a container, or a shell opened with su or sudo -u). Log in as this user and retry, or ${RUN_ELSEWHERE}.`,
    );
  }
  return options.check ? requireSuccess(result) : result;
}

async function lingerIsOn(ctx: SupervisorContext, user: string, hint?: string): Promise<boolean> {
  let result: ExternalResult;
  try {
    result = await ctx.run("loginctl", ["show-user", user, "-p", "Linger"]);
  } catch (error) {
    if (error instanceof CommandNotFoundError) throw new CommandNotFoundError("loginctl", { cause: error, hint });
    throw error;
  }
  return /^Linger=yes$/m.test(requireSuccess(result, hint).stdout);
}

async function applyLinger(
  ctx: SupervisorContext,
  user: string,
  policy: LingerPolicy,
  confirm: (question: string) => Promise<boolean>,
): Promise<LingerOutcome> {
  if (policy === "skip") return "unchecked";
  if (await lingerIsOn(ctx, user, "The gateway is installed and running; only the lingering check failed (`--no-linger` skips it).")) {
    ctx.io.stdout.write(`Lingering is on for ${user}: the gateway starts at boot and keeps running after you log out.\n`);
    return "on";
  }
  const consequence = `Lingering is off for ${user}: systemd stops the gateway when your last session ends, and starts it again only when you log in.`;
  const enable =
    policy === "enable" || (policy === "ask" && (await confirm(`${consequence}\nEnable lingering (loginctl enable-linger ${user}) so it keeps running?`)));
  if (!enable) {
    ctx.io.stderr.write(`${consequence}\nTo keep it running: \`openclaw gateway install --linger\`, or \`loginctl enable-linger ${user}\`.\n`);
    return "off";
  }
  requireSuccess(
    await ctx.run("loginctl", ["enable-linger", user]),
    `The gateway is installed and running, but stops when you log out. An administrator can enable lingering: sudo loginctl enable-linger ${user}`,
  );
  ctx.io.stdout.write(`Enabled lingering for ${user}: the gateway starts at boot and keeps running after you log out.\n`);
  return "enabled";
}

export interface SystemdInstallOptions {
  readonly spec: ServiceSpec;
  /** The login name lingering is checked for. */
  readonly user: string;
  readonly linger: LingerPolicy;
  /** Asks a yes/no question on the terminal; used only with the `ask` policy. */
  readonly confirm: (question: string) => Promise<boolean>;
}

/** Write the unit, reload, enable and start it (restart it when a changed unit replaced a running one), then see to lingering. */
export async function installSystemdService(ctx: SupervisorContext, options: SystemdInstallOptions): Promise<{ path: string; linger: LingerOutcome }> {
  requireSystemctl(ctx);
  const path = serviceFilePath("linux", ctx.io.homedir);
  const text = renderSystemdUnit(options.spec);
  const previous = writeServiceFile(path, text);
  ctx.io.stdout.write(`Wrote ${path}\n`);
  await systemctl(ctx, ["daemon-reload"]);
  await systemctl(ctx, ["enable", "--now", SYSTEMD_UNIT]);
  // enable --now leaves a running gateway alone; a changed unit (a new node or CLI path) needs it restarted.
  if (previous !== undefined && previous !== text) await systemctl(ctx, ["restart", SYSTEMD_UNIT]);
  const linger = await applyLinger(ctx, options.user, options.linger, options.confirm);
  ctx.io.stdout.write(
    `The gateway runs under systemd as ${SYSTEMD_UNIT}. Check it with \`openclaw gateway status\`; logs: journalctl --user -u ${SYSTEMD_UNIT}\n`,
  );
  return { path, linger };
}

/** Stop and disable the unit, remove it, reload. A failed stop keeps the file, so the command can be run again. */
export async function uninstallSystemdService(ctx: SupervisorContext): Promise<{ path: string; removed: boolean }> {
  const path = serviceFilePath("linux", ctx.io.homedir);
  if (!existsSync(path)) {
    ctx.io.stdout.write(`No service installed (${path} does not exist).\n`);
    return { path, removed: false };
  }
  if (!findExecutable("systemctl", ctx.io.env)) {
    rmSync(path);
    ctx.io.stdout.write(`systemctl was not found on PATH, so nothing could have run this unit. Removed ${path}.\n`);
    return { path, removed: true };
  }
  await systemctl(ctx, ["disable", "--now", SYSTEMD_UNIT]);
  rmSync(path);
  await systemctl(ctx, ["daemon-reload"]);
  ctx.io.stdout.write(`Stopped and disabled ${SYSTEMD_UNIT}, and removed ${path}.\n`);
  return { path, removed: true };
}

/** A state word from `systemctl is-active/is-enabled`, which exit non-zero for every state but the good one. */
async function unitState(ctx: SupervisorContext, query: "is-active" | "is-enabled"): Promise<string> {
  const result = await systemctl(ctx, [query, SYSTEMD_UNIT], { check: false });
  const state = firstLine(result.stdout);
  if (state) return state;
  // Older systemd says this on stderr, newer ones print not-found.
  if (query === "is-enabled" && /No such file or directory/.test(result.stderr)) return "not-found";
  requireSuccess(result);
  return "unknown";
}

/** systemd's view: is the unit active, is it enabled, and does the user linger. */
export async function systemdStatus(ctx: SupervisorContext, user: string): Promise<SupervisorView> {
  requireSystemctl(ctx);
  const active = await unitState(ctx, "is-active");
  const enabled = await unitState(ctx, "is-enabled");
  return { supervisor: "systemd", active, enabled, linger: await lingerIsOn(ctx, user) };
}
