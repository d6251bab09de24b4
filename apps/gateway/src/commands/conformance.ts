// `openclaw conformance`: the protocol v4 conformance kit (@openclaw/conformance) run against the gateway
// this CLI finds the way every client command does (flags, environment, the running local gateway).
import { CliError, MissingCredentialsError } from "../errors.js";
import { describeTarget, resolveGatewayTarget, type TargetFlags } from "../gateway-target.js";
import type { CommandIo } from "../io.js";

export interface ConformanceFlags extends TargetFlags {
  readonly only?: readonly string[];
  readonly json?: boolean;
  readonly junit?: string;
  readonly list?: boolean;
  readonly adminToken?: string;
  readonly allowMutations?: boolean;
  readonly allowDisruptive?: boolean;
  readonly as?: string;
  readonly verbose?: boolean;
  /** Milliseconds a check waits for one answer. @default the kit's (10000) */
  readonly timeout?: number;
}

/** The kit's own command line for these flags and the resolved gateway. */
export function kitArguments(flags: ConformanceFlags, target: { url: string; token?: string; password?: string; tlsFingerprint?: string }): string[] {
  const argv = ["--url", target.url];
  if (target.password !== undefined) argv.push("--password", target.password);
  else if (target.token !== undefined) argv.push("--token", target.token);
  if (target.tlsFingerprint !== undefined) argv.push("--tls-fingerprint", target.tlsFingerprint);
  for (const prefix of flags.only ?? []) argv.push("--only", prefix);
  if (flags.json) argv.push("--json");
  if (flags.junit !== undefined) argv.push("--junit", flags.junit);
  if (flags.adminToken !== undefined) argv.push("--admin-token", flags.adminToken);
  if (flags.allowMutations) argv.push("--allow-mutations");
  if (flags.allowDisruptive) argv.push("--allow-disruptive");
  if (flags.as !== undefined) argv.push("--as", flags.as);
  return argv;
}

/** Runs the kit; a failed MUST check exits 1 and an unreachable gateway or bad flags 2, as `openclaw-conformance` does. */
export async function conformanceCommand(io: CommandIo, flags: ConformanceFlags): Promise<void> {
  // Loaded only here: nothing of the kit is part of any other command.
  const { runCli } = await import("@openclaw/conformance");
  if (flags.list) {
    const code = await runCli(["--list", ...(flags.only ?? []).flatMap((prefix) => ["--only", prefix]), ...(flags.as ? ["--as", flags.as] : [])], io);
    if (code !== 0) throw new CliError("conformance: bad arguments", code, { code: "CONFORMANCE_USAGE", reported: true });
    return;
  }
  const target = await resolveGatewayTarget(io, flags);
  if (target.token === undefined && target.password === undefined) {
    throw new MissingCredentialsError(
      `no credential for ${target.url}: the conformance checks connect with the gateway's shared token or password (--token, --password, or gateway.auth.token in the config)`,
      { url: target.url, urlSource: target.urlSource },
    );
  }
  if (flags.verbose) io.stderr.write(`${describeTarget(target)}\n`);
  const code = await runCli(kitArguments(flags, target), io, flags.timeout === undefined ? {} : { answerTimeoutMs: flags.timeout });
  if (code === 1) throw new CliError("a MUST conformance check failed", 1, { code: "CONFORMANCE_FAILED", reported: true });
  if (code !== 0) throw new CliError("the conformance kit could not run", code, { code: "CONFORMANCE_USAGE", reported: true });
}

/** `openclaw conformance serve …`: the kit's checking gateway, its flags passed on as they are. */
export async function conformanceServeCommand(io: CommandIo, args: readonly string[]): Promise<void> {
  const { runCli } = await import("@openclaw/conformance");
  const code = await runCli(["serve", ...args], io);
  if (code === 1) throw new CliError("the client failed a MUST check", 1, { code: "CONFORMANCE_FAILED", reported: true });
  if (code !== 0) throw new CliError("conformance serve could not run", code, { code: "CONFORMANCE_USAGE", reported: true });
}
