import { readConfigSnapshot, readInstanceLock, resolveConfigPath, resolveStateDir, resolveStorePath } from "@openclaw/gateway-core";
import { loadChannelConfigSchemas } from "../channel-catalog.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { printJson } from "../output.js";
import { colors } from "../terminal.js";
import type { ServiceSpec } from "../service/unit-files.js";
import { DOCTOR_CHECKS, type DoctorContext, type Finding } from "./doctor-checks.js";

export interface DoctorOptions {
  readonly fix?: boolean;
  readonly json?: boolean;
  readonly platform: NodeJS.Platform;
  /** What `gateway install` would write now, to compare the installed unit with. */
  readonly service: ServiceSpec;
  /** @default process.versions.node */
  readonly nodeVersion?: string;
  /** @default "/proc/self/limits" */
  readonly limitsFile?: string;
}

const MARKS = { pass: "ok  ", warn: "warn", fail: "FAIL", skip: "skip" } as const;

async function context(io: CommandIo, options: DoctorOptions): Promise<DoctorContext> {
  const stateDir = resolveStateDir(io.env, io.homedir);
  const configPath = resolveConfigPath(io.env, io.homedir);
  return {
    io,
    stateDir,
    configPath,
    storePath: resolveStorePath(stateDir),
    snapshot: await readConfigSnapshot(configPath, io.env, { channels: await loadChannelConfigSchemas() }),
    running: readInstanceLock(stateDir),
    platform: options.platform,
    nodeVersion: options.nodeVersion ?? process.versions.node,
    limitsFile: options.limitsFile ?? "/proc/self/limits",
    service: options.service,
  };
}

/**
 * `openclaw doctor`: every check with one line (ok, warn, FAIL, skip) and the exact fix. `--fix`
 * applies the safe repairs (file modes) and checks again. Exits non-zero when a check fails.
 */
export async function doctorCommand(io: CommandIo, options: DoctorOptions): Promise<void> {
  const ctx = await context(io, options);
  const results: { id: string; title: string; finding: Finding; repaired?: boolean }[] = [];
  for (const check of DOCTOR_CHECKS) {
    let finding: Finding;
    try {
      finding = await check.run(ctx);
    } catch (error) {
      finding = { status: "fail", detail: `the check itself failed: ${(error as Error).message}` };
    }
    let repaired: boolean | undefined;
    if (options.fix && finding.repair && finding.status !== "pass") {
      finding.repair();
      finding = await check.run(ctx);
      repaired = finding.status === "pass";
    }
    results.push({ id: check.id, title: check.title, finding, ...(repaired !== undefined ? { repaired } : {}) });
  }
  const failed = results.filter((result) => result.finding.status === "fail").length;
  if (options.json) {
    printJson(io, {
      ok: failed === 0,
      checks: results.map(({ id, title, finding, repaired }) => ({
        id,
        title,
        status: finding.status,
        detail: finding.detail,
        ...(finding.fix && finding.status !== "pass" ? { fix: finding.fix } : {}),
        ...(repaired !== undefined ? { repaired } : {}),
      })),
    });
  } else {
    const paint = colors(io);
    for (const { id, finding, repaired } of results) {
      const mark = finding.status === "fail" ? paint.red(MARKS.fail) : finding.status === "warn" ? paint.yellow(MARKS.warn) : MARKS[finding.status];
      io.stdout.write(`${mark} ${id.padEnd(12)} ${finding.detail}${repaired ? " (repaired)" : ""}\n`);
      if (finding.fix && (finding.status === "warn" || finding.status === "fail")) io.stdout.write(`     ${"".padEnd(12)} fix: ${finding.fix}\n`);
    }
    const warned = results.filter((result) => result.finding.status === "warn").length;
    io.stdout.write(`\n${failed} failed, ${warned} warning(s), ${results.length} checks\n`);
  }
  // The report above says what failed and how to fix it; the exit code is what is left to give.
  if (failed > 0) throw new CliError(`${failed} doctor check(s) failed`, 1, { code: "DOCTOR_FAILED", reported: true });
}
