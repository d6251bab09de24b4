import { runTailscale, type TailscaleCommandOptions } from "./cli.js";

/** `gateway.tailscale.mode` values that make the gateway configure Tailscale itself. */
export type TailscaleExposureMode = "serve" | "funnel";

export interface TailscaleExposureOptions extends Omit<TailscaleCommandOptions, "signal"> {
  /** `serve` routes the tailnet's HTTPS to the gateway; `funnel` the public internet's. */
  readonly mode: TailscaleExposureMode;
  /** The gateway's port on 127.0.0.1. */
  readonly port: number;
  /** The gateway itself speaks TLS (a self-signed certificate Serve cannot check). @default false */
  readonly tls?: boolean;
}

/** The two commands: `up` routes `https://<machine>.<tailnet>.ts.net/` to the gateway, `down` removes that route again. */
export function tailscaleExposureCommands(options: Pick<TailscaleExposureOptions, "mode" | "port" | "tls">): { up: string[]; down: string[] } {
  const target = `${options.tls ? "https+insecure" : "http"}://127.0.0.1:${options.port}`;
  return {
    // --bg keeps the route after the command exits; --yes answers the prompts nobody could see.
    up: [options.mode, "--bg", "--yes", "--https=443", target],
    // Only this gateway's route goes; other Serve routes on the machine stay.
    down: [options.mode, "--https=443", "off"],
  };
}

/** A Serve or Funnel route this gateway set up at start; `stop` removes it. */
export interface TailscaleExposure {
  readonly mode: TailscaleExposureMode;
  /** Remove the route; safe to call more than once. @throws TailscaleError when the command fails */
  stop(): Promise<void>;
}

/**
 * Set up `tailscale serve` (or `funnel`) for the gateway port.
 * @throws TailscaleError when the command fails; nothing is left to undo then.
 */
export async function startTailscaleExposure(options: TailscaleExposureOptions): Promise<TailscaleExposure> {
  const commands = tailscaleExposureCommands(options);
  const run = (args: string[]) =>
    runTailscale(args, {
      binary: options.binary,
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.env ? { env: options.env } : {}),
    });
  await run(commands.up);
  let stopping: Promise<void> | undefined;
  return {
    mode: options.mode,
    stop() {
      stopping ??= run(commands.down).then(() => undefined);
      return stopping;
    },
  };
}
