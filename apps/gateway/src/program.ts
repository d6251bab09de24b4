import { Command, InvalidArgumentError, Option } from "commander";
import type { GatewayFlags } from "@openclaw/gateway-core";
import { resolveConfigPath, resolveStateDir } from "@openclaw/gateway-core";
import { runGateway, type RunningGateway } from "./commands/gateway-run.js";
import { installService, serviceStatus, uninstallService } from "./commands/service.js";
import type { CommandIo } from "./io.js";
import { GATEWAY_VERSION } from "./version.js";

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError(`expected an integer 1..65535, got "${value}"`);
  return port;
}

export interface ProgramHooks {
  /** Called with a started gateway; the entry file wires signals to its `stop`. */
  readonly onGatewayStarted: (gateway: RunningGateway) => void;
}

function gatewayOptions(command: Command): Command {
  return command
    .option("--port <port>", "port to listen on (default 18789, or OPENCLAW_GATEWAY_PORT)", parsePort)
    .addOption(new Option("--bind <mode>", "where to listen").choices(["loopback", "lan", "custom"]))
    .addOption(new Option("--auth <mode>", "how clients authenticate").choices(["token", "password", "none", "trusted-proxy"]))
    .option("--token <token>", "shared gateway token (or OPENCLAW_GATEWAY_TOKEN)")
    .option("--password <password>", "shared gateway password (or OPENCLAW_GATEWAY_PASSWORD)")
    .addOption(new Option("--log-format <format>", "stdout log format").choices(["pretty", "json", "off"]));
}

interface GatewayCliOptions {
  port?: number;
  bind?: "loopback" | "lan" | "custom";
  auth?: "token" | "password" | "none" | "trusted-proxy";
  token?: string;
  password?: string;
  logFormat?: "pretty" | "json" | "off";
}

/** The `openclaw` command tree. It never exits the process; the entry file does. */
export function buildProgram(io: CommandIo, hooks: ProgramHooks): Command {
  const program = new Command("openclaw")
    .description("OpenClaw Gateway: messaging channels, agents and the protocol v4 control plane")
    .version(GATEWAY_VERSION, "-V, --version")
    .configureOutput({ writeOut: (text) => void io.stdout.write(text), writeErr: (text) => void io.stderr.write(text) })
    .exitOverride()
    .showHelpAfterError()
    .enablePositionalOptions();

  const start = async (options: GatewayCliOptions) => {
    const flags: GatewayFlags = {
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.bind ? { bind: options.bind } : {}),
      ...(options.auth ? { authMode: options.auth } : {}),
      ...(options.token ? { token: options.token } : {}),
      ...(options.password ? { password: options.password } : {}),
    };
    hooks.onGatewayStarted(await runGateway({ io, flags, ...(options.logFormat ? { stdout: options.logFormat } : {}) }));
  };

  const gateway = gatewayOptions(program.command("gateway").description("run the gateway in the foreground (same as `gateway run`)")).enablePositionalOptions();
  gateway.action(start);
  gatewayOptions(gateway.command("run").description("run the gateway in the foreground")).action(start);

  const platform = io.platform ?? process.platform;
  gateway
    .command("install")
    .description("write a systemd user unit (Linux) or launchd agent (macOS) that runs `openclaw gateway run`")
    .action(() => {
      const stateDir = io.env["OPENCLAW_STATE_DIR"] ? resolveStateDir(io.env, io.homedir) : undefined;
      const configPath = io.env["OPENCLAW_CONFIG_PATH"] ? resolveConfigPath(io.env, io.homedir) : undefined;
      installService({ io, platform, spec: { nodePath: io.execPath ?? process.execPath, cliPath: io.entryPath ?? process.argv[1] ?? "openclaw", stateDir, configPath } });
    });
  gateway
    .command("uninstall")
    .description("remove the service unit written by `gateway install`")
    .action(() => uninstallService({ io, platform }));
  gateway
    .command("status")
    .description("show whether the service is installed and a gateway is running")
    .action(() => void serviceStatus({ io, platform, stateDir: resolveStateDir(io.env, io.homedir) }));
  return program;
}
