// `gateway install/status/uninstall` on macOS: a LaunchAgent in the user's gui/<uid> domain.
import { existsSync, mkdirSync, rmSync } from "node:fs";
import { SupervisorUnavailableError } from "../errors.js";
import { findExecutable, requireSuccess } from "./external-command.js";
import { writeServiceFile, type SupervisorContext, type SupervisorView } from "./supervisor.js";
import { LAUNCHD_LABEL, launchdLogDir, renderLaunchdPlist, serviceFilePath, type ServiceSpec } from "./unit-files.js";

// launchctl print's exit status for a service the domain does not have.
const NOT_FOUND_STATUS = 113;

function requireLaunchctl(ctx: SupervisorContext): void {
  if (findExecutable("launchctl", ctx.io.env)) return;
  throw new SupervisorUnavailableError(
    "launchctl was not found on PATH, so launchd cannot run the gateway.\nInstead, run `openclaw gateway run` under the supervisor you have.",
  );
}

function domainOf(uid: number): string {
  return `gui/${uid}`;
}

/** `launchctl print gui/<uid>/<label>`: undefined when the agent is not loaded. */
async function printAgent(ctx: SupervisorContext, uid: number): Promise<{ state?: string; pid?: number } | undefined> {
  const result = await ctx.run("launchctl", ["print", `${domainOf(uid)}/${LAUNCHD_LABEL}`]);
  if (result.status === NOT_FOUND_STATUS || /Could not find service/i.test(result.stderr)) return undefined;
  requireSuccess(result);
  const state = /^\s*state = (.+)$/m.exec(result.stdout)?.[1]?.trim();
  const pid = /^\s*pid = (\d+)$/m.exec(result.stdout)?.[1];
  return { ...(state ? { state } : {}), ...(pid ? { pid: Number(pid) } : {}) };
}

/** Write the plist and bootstrap it (booting out a loaded copy first, which bootstrap would refuse). */
export async function installLaunchdService(ctx: SupervisorContext, options: { spec: ServiceSpec; uid: number }): Promise<{ path: string }> {
  requireLaunchctl(ctx);
  const path = serviceFilePath("darwin", ctx.io.homedir);
  const logDir = launchdLogDir(ctx.io.homedir);
  mkdirSync(logDir, { recursive: true });
  writeServiceFile(path, renderLaunchdPlist(options.spec, logDir));
  ctx.io.stdout.write(`Wrote ${path}\n`);
  if (await printAgent(ctx, options.uid)) requireSuccess(await ctx.run("launchctl", ["bootout", `${domainOf(options.uid)}/${LAUNCHD_LABEL}`]));
  requireSuccess(await ctx.run("launchctl", ["bootstrap", domainOf(options.uid), path]));
  ctx.io.stdout.write(
    `The gateway runs under launchd as ${LAUNCHD_LABEL} while you are logged in. Check it with \`openclaw gateway status\`; logs: ${logDir}\n`,
  );
  return { path };
}

/** Boot the agent out of launchd and remove the plist. A failed bootout keeps the file, so the command can be run again. */
export async function uninstallLaunchdService(ctx: SupervisorContext, uid: number): Promise<{ path: string; removed: boolean }> {
  const path = serviceFilePath("darwin", ctx.io.homedir);
  if (!findExecutable("launchctl", ctx.io.env)) {
    if (!existsSync(path)) {
      ctx.io.stdout.write(`No service installed (${path} does not exist).\n`);
      return { path, removed: false };
    }
    rmSync(path);
    ctx.io.stdout.write(`launchctl was not found on PATH, so nothing could have loaded this agent. Removed ${path}.\n`);
    return { path, removed: true };
  }
  const loaded = (await printAgent(ctx, uid)) !== undefined;
  if (!loaded && !existsSync(path)) {
    ctx.io.stdout.write(`No service installed (${path} does not exist).\n`);
    return { path, removed: false };
  }
  if (loaded) requireSuccess(await ctx.run("launchctl", ["bootout", `${domainOf(uid)}/${LAUNCHD_LABEL}`]));
  rmSync(path, { force: true });
  ctx.io.stdout.write(`Stopped ${LAUNCHD_LABEL} and removed ${path}.\n`);
  return { path, removed: true };
}

/** launchd's view: is the agent loaded, and in what state. */
export async function launchdStatus(ctx: SupervisorContext, uid: number): Promise<SupervisorView> {
  requireLaunchctl(ctx);
  const agent = await printAgent(ctx, uid);
  return { supervisor: "launchd", loaded: agent !== undefined, ...agent };
}
