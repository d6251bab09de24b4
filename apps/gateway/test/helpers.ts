import { DEFAULT_RATE_LIMIT, type AuthSettings } from "@openclaw/gateway-core";
import { buildProgram, CliError, runGateway, type CommandIo, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";

/** Token auth for a test GatewayServer: no proxies, no Tailscale, the default rate limit. */
export function tokenAuth(token: string): AuthSettings {
  return { mode: "token", token, trustedProxies: [], allowRealIpFallback: false, allowTailscale: false, rateLimit: DEFAULT_RATE_LIMIT };
}

/** `openclaw <args>` run in-process with `home` as its home and cwd; a CliError is returned, not thrown. */
export function runCli(home: string, ...args: string[]): Promise<{ out: string; error?: CliError }> {
  return runCliWithEnv(home, {}, ...args);
}

/** `runCli` with these environment variables. */
export async function runCliWithEnv(home: string, env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ out: string; error?: CliError }> {
  let out = "";
  const io: CommandIo = { stdout: { write: (text: string) => void (out += text) }, stderr: { write: () => undefined }, env, homedir: home, cwd: home };
  try {
    await buildProgram(io, { onGatewayStarted: () => undefined }).parseAsync(["node", "openclaw", ...args]);
    return { out };
  } catch (error) {
    if (error instanceof CliError) return { out, error };
    throw error;
  }
}

/** `runCli` against one gateway, whose output is returned; a CliError fails the test with its message. */
export function cliFor(home: string, url: string, token: string): (...args: string[]) => Promise<string> {
  return async (...args) => {
    const { out, error } = await runCli(home, ...args, "--url", url, "--token", token);
    if (error) throw new Error(`openclaw ${args.join(" ")} failed: ${error.message}`);
    return out;
  };
}

/** `openclaw <args>` in `home`; its output, or an error with the CLI's message. */
export async function cliOk(home: string, ...args: string[]): Promise<string> {
  const { out, error } = await runCli(home, ...args);
  if (error) throw new Error(`openclaw ${args.join(" ")} failed: ${error.message}`);
  return out;
}

/** `openclaw <args>` in `home` that must fail; the CLI's message. */
export async function cliRefusal(home: string, ...args: string[]): Promise<string> {
  const { error } = await runCli(home, ...args);
  if (!error) throw new Error(`openclaw ${args.join(" ")} should have failed`);
  return error.message;
}

/** The gateway of `home` (its state dir `~/.openclaw`) as the binary runs it, on a free port, logging to its file only. */
export async function startGatewayIn(home: string): Promise<RunningGateway> {
  const sink = { write: () => true };
  return runGateway({ io: { stdout: sink, stderr: sink, env: {}, homedir: home, cwd: home }, flags: { port: await freePort() }, stdout: "off" });
}
