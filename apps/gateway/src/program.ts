import { Command, InvalidArgumentError, Option } from "commander";
import type { GatewayFlags } from "@openclaw/gateway-core";
import { resolveConfigPath, resolveStateDir } from "@openclaw/gateway-core";
import { runGateway, type RunningGateway } from "./commands/gateway-run.js";
import type { ChannelAddOptions } from "./commands/channel-setup.js";
import type { ClientFlags } from "./client-session.js";
import type { ConformanceFlags } from "./commands/conformance.js";
import type { DashboardFlags } from "./commands/dashboard.js";
import type { NodeRunFlags, RunningNodeHost } from "./commands/node-run.js";
import type { CommandIo } from "./io.js";
import { registerSetupCommands } from "./commands/setup/register.js";
import { GATEWAY_VERSION } from "./version.js";

// Every command but `gateway run` is loaded when it runs: the gateway's start-up pays only for itself
// (no client SDK, node SDK or table renderer).
const clientCommands = () => import("./commands/client-commands.js");
const channelCommands = () => import("./commands/channels.js");
const serviceCommands = () => import("./commands/service.js");
const nodeCommands = () => import("./commands/nodes.js");
const nodeHost = () => import("./commands/node-run.js");
const configCommands = () => import("./commands/config-commands.js");
const channelSetup = () => import("./commands/channel-setup.js");
const backupCommands = () => import("./commands/backup.js");
const doctor = () => import("./commands/doctor.js");
const dashboard = () => import("./commands/dashboard.js");
const conformance = () => import("./commands/conformance.js");
// Ink and React stay behind this import: only the terminal chat loads them.
const tuiCommand = () => import("./commands/tui/tui-command.js");

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) throw new InvalidArgumentError(`expected an integer 1..65535, got "${value}"`);
  return port;
}

export interface ProgramHooks {
  /** Called before a gateway starts: the entry file takes SIGTERM/SIGINT from here, so one sent as soon as "listening" shows is not fatal. */
  readonly onGatewayStarting?: () => void;
  /** Called with a started gateway; the entry file wires signals to its `stop`. */
  readonly onGatewayStarted: (gateway: RunningGateway) => void;
  /** Called with a started node host; the entry file wires signals to its `stop`. */
  readonly onNodeHostStarted?: (host: RunningNodeHost) => void;
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

function parsePositiveInt(value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return number;
}

/** The flags every command that talks to a gateway takes. */
function clientOptions(command: Command): Command {
  return command
    .option("--url <url>", "gateway URL (or OPENCLAW_GATEWAY_URL, gateway.remote.url in remote mode; default: the running local gateway)")
    .option("--token <token>", "gateway token (or OPENCLAW_GATEWAY_TOKEN, gateway.remote.token; a loopback URL uses gateway.auth.token)")
    .option("--password <password>", "gateway password (or OPENCLAW_GATEWAY_PASSWORD, gateway.remote.password)")
    .option("--tls-fingerprint <sha256>", "pin the gateway certificate (SHA-256, hex; or gateway.remote.tlsFingerprint)")
    .option("--timeout <ms>", "connect and call timeout in milliseconds", parsePositiveInt)
    .option("--json", "print machine-readable JSON (errors too: {ok:false,error:{code,message,details}})")
    .option("--verbose", "say which gateway and credential the CLI uses, and show error details");
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
    hooks.onGatewayStarting?.();
    hooks.onGatewayStarted(await runGateway({ io, flags, ...(options.logFormat ? { stdout: options.logFormat } : {}) }));
  };

  const gateway = gatewayOptions(program.command("gateway").description("run the gateway in the foreground (same as `gateway run`)")).enablePositionalOptions();
  gateway.action(start);
  gatewayOptions(gateway.command("run").description("run the gateway in the foreground")).action(start);

  const platform = io.platform ?? process.platform;

  clientOptions(program.command("health").description("show the gateway's health")).action(async (options: ClientFlags) =>
    (await clientCommands()).healthCommand(io, options),
  );
  clientOptions(gateway.command("health").description("show the gateway's health")).action(async (options: ClientFlags) =>
    (await clientCommands()).healthCommand(io, options),
  );
  clientOptions(program.command("status").description("show the gateway's status")).action(async (options: ClientFlags) =>
    (await clientCommands()).statusCommand(io, options),
  );
  clientOptions(program.command("dashboard").description("open the Control UI signed in through a one-time code (the token never goes in the address)"))
    .option("--no-open", "print the address and the code, but open no browser")
    .action(async (options: DashboardFlags) => void (await (await dashboard()).dashboardCommand(io, options)));
  clientOptions(
    program.command("conformance").description("check that a gateway speaks protocol v4 (the @openclaw/conformance kit); by default no check changes anything"),
  )
    .option("--only <prefix>", "run only checks whose id starts with <prefix> (repeatable)", (value: string, previous: string[] = []) => [...previous, value])
    .option("--junit <file>", "also write the results as JUnit XML")
    .option("--list", "list the checks and exit")
    .option("--admin-token <token>", "a token holding operator.admin, for the pairing checks")
    .option("--allow-mutations", "also run checks that change gateway state (they clean up after themselves)")
    .option("--allow-disruptive", "also run checks that stop or disturb the gateway")
    .addOption(new Option("--as <role>", "operator: control-client checks; node: what a gateway must do for nodes").choices(["operator", "node"]))
    .action(async (options: ConformanceFlags) => (await conformance()).conformanceCommand(io, options));
  program.commands
    .find((command) => command.name() === "conformance")!
    .command("serve")
    .description("a checking gateway for client authors: point a client at it and get a report (the kit's `serve`; --help lists its flags)")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]", "the kit's serve flags: --token T [--port N] [--clients N] [--closes N] [--json] [--junit FILE] …")
    .action(async (args: string[]) => (await conformance()).conformanceServeCommand(io, args));
  clientOptions(gateway.command("call").description("call any gateway method and print the result").argument("<method>"))
    .option("--params <json>", "method params as JSON", "{}")
    .action(async (method: string, options: ClientFlags & { params?: string }) => (await clientCommands()).callCommand(io, options, method));
  clientOptions(program.command("logs").description("print the gateway's log"))
    .option("--limit <n>", "lines per page", parsePositiveInt)
    .option("--max-bytes <n>", "bytes per page", parsePositiveInt)
    .option("--follow", "keep printing new lines")
    .option("--interval <ms>", "poll interval with --follow", parsePositiveInt)
    .action(async (options: ClientFlags & { limit?: number; maxBytes?: number; follow?: boolean; interval?: number }) =>
      (await clientCommands()).logsCommand(io, options),
    );
  clientOptions(program.command("send").description("send a message (or a file) on a channel"))
    .requiredOption("--to <target>", "recipient (chat id, number, channel)")
    .option("--message <text>", "message text (with --media: the caption)")
    .option("--media <file-or-url>", "a file on this machine (uploaded) or an http(s) URL the gateway fetches")
    .option("--channel <channel>", "channel id (e.g. telegram)")
    .option("--account <id>", "channel account id")
    .action(async (options: ClientFlags & { to: string; message?: string; media?: string; channel?: string; account?: string }) =>
      (await clientCommands()).sendCommand(io, options),
    );
  const config = program
    .command("config")
    .description("read and change the config file; with this machine's gateway running, changes apply live")
    .addHelpText(
      "after",
      '\nValues are JSON5 (19101, true, ["a","b"], { mode: "token" }); anything else is taken as a string. Quote a string that looks like a number: \'"123"\'.',
    );
  config
    .command("get")
    .description("print a value (secrets redacted); the whole config without a path")
    .argument("[path]", "dotted key, e.g. gateway.port")
    .option("--json", "print JSON")
    .action(async (path: string | undefined, options: { json?: boolean }) => (await configCommands()).configGetCommand(io, path, options));
  config
    .command("set")
    .description("set a value, checked like the file is")
    .argument("<path>", "dotted key")
    .argument("<value>", "JSON5 value")
    .option("--json", "print the outcome as JSON")
    .action(async (path: string, value: string, options: { json?: boolean }) => (await configCommands()).configSetCommand(io, path, value, options));
  config
    .command("unset")
    .description("remove a key, so its default applies")
    .argument("<path>", "dotted key")
    .option("--json", "print the outcome as JSON")
    .action(async (path: string, options: { json?: boolean }) => (await configCommands()).configUnsetCommand(io, path, options));

  program
    .command("doctor")
    .description("check the config, state files, port, store, channels, model, Node, file limit and service; exits non-zero on a failure")
    .option("--fix", "apply the safe repairs (file modes) and check again")
    .option("--json", "print JSON")
    .action(async (options: { fix?: boolean; json?: boolean }) => {
      const stateDir = io.env["OPENCLAW_STATE_DIR"] ? resolveStateDir(io.env, io.homedir) : undefined;
      const configPath = io.env["OPENCLAW_CONFIG_PATH"] ? resolveConfigPath(io.env, io.homedir) : undefined;
      await (
        await doctor()
      ).doctorCommand(io, {
        ...options,
        platform,
        service: { nodePath: io.execPath ?? process.execPath, cliPath: io.entryPath ?? process.argv[1] ?? "openclaw", stateDir, configPath },
      });
    });
  const backup = program.command("backup").description("back up and restore the state dir: store, config, channel credentials, TLS key pair");
  backup
    .command("create")
    .description("write one .tar.gz (a consistent store snapshot, safe while the gateway runs)")
    .option("--out <file>", "archive path (default openclaw-backup-<time>.tar.gz here)")
    .option("--json", "print JSON")
    .action(async (options: { out?: string; json?: boolean }) => (await backupCommands()).backupCreateCommand(io, options));
  backup
    .command("verify")
    .description("check an archive: paths, SHA-256 sums, store integrity, config validity")
    .argument("<file>")
    .option("--json", "print JSON")
    .action(async (file: string, options: { json?: boolean }) => (await backupCommands()).backupVerifyCommand(io, file, options));
  backup
    .command("restore")
    .description("verify an archive, then put its files into the state dir (the gateway must be stopped)")
    .argument("<file>")
    .option("--force", "replace an existing store and config")
    .option("--json", "print JSON")
    .action(async (file: string, options: { force?: boolean; json?: boolean }) => (await backupCommands()).backupRestoreCommand(io, file, options));

  const models = program.command("models").description("the models the gateway can run, and its default model");
  clientOptions(models.command("list").description("models from the configured providers; * marks the default")).action(async (options: ClientFlags) =>
    (await configCommands()).modelsListCommand(io, options),
  );
  models
    .command("set")
    .description("set the default model (agents.defaults.model); applied live when this machine's gateway runs")
    .argument("<ref>", "provider/model, e.g. openai/gpt-5 or offline/echo")
    .option("--json", "print the outcome as JSON")
    .action(async (ref: string, options: { json?: boolean }) => (await configCommands()).modelsSetCommand(io, ref, options));

  const channels = program.command("channels").description("channel accounts, DM pairing and the outbox");
  channels
    .command("add")
    .description("add or update a channel account in the config; applied live when this machine's gateway runs")
    .requiredOption("--channel <id>", "channel id, e.g. telegram")
    .option("--account <id>", "account id (default: the channel's single account)")
    .option("--token <token>", "the bot token (Telegram botToken, Slack botToken, Discord token)")
    .option("--app-token <token>", "Slack's app-level token (xapp-…) for Socket Mode")
    .option("--dm-policy <policy>", "who may DM the assistant: pairing, allowlist, open or disabled")
    .option("--allow-from <senders>", "comma-separated sender ids allowed to DM")
    .option("--set <key=value>", "any other setting of the channel (JSON5 value); repeatable", (value: string, list: string[] = []) => [...list, value])
    .option("--no-check", "write the credentials without asking the provider whether they work")
    .option("--json", "print the outcome as JSON")
    .action(async (options: ChannelAddOptions) => (await channelSetup()).channelsAddCommand(io, options));
  channels
    .command("remove")
    .description("remove a channel account (or the whole channel) from the config; it disconnects at once when this machine's gateway runs")
    .requiredOption("--channel <id>", "channel id, e.g. telegram")
    .option("--account <id>", "only this account")
    .option("--json", "print the outcome as JSON")
    .action(async (options: { channel: string; account?: string; json?: boolean }) => (await channelSetup()).channelsRemoveCommand(io, options));
  clientOptions(channels.command("status").description("per-account state of every configured channel"))
    .option("--channel <id>", "only this channel")
    .action(async (options: ClientFlags & { channel?: string }) => (await channelCommands()).channelsStatusCommand(io, options));
  clientOptions(channels.command("login").description("link a channel account that logs in with a device link (WhatsApp QR or pairing code)"))
    .requiredOption("--channel <id>", "channel id, e.g. whatsapp")
    .option("--account <id>", "channel account id")
    .option("--phone <number>", "link by phone number with a pairing code instead of a QR")
    .action(async (options: ClientFlags & { channel: string; account?: string; phone?: string }) =>
      (await channelCommands()).channelsLoginCommand(io, options),
    );
  for (const action of ["start", "stop", "logout"] as const) {
    clientOptions(channels.command(action).description(`${action} a channel's accounts`).argument("<channel>", "channel id, e.g. telegram"))
      .option("--account <id>", "only this account")
      .action(async (channel: string, options: ClientFlags & { account?: string }) =>
        (await channelCommands()).channelsLifecycleCommand(io, options, action, channel),
      );
  }
  clientOptions(
    channels
      .command("pairing")
      .description("list, approve or dismiss DM pairing requests")
      .argument("<action>", "list | approve | dismiss")
      .argument("[channel]", "channel id (may be left out when the code is unambiguous)")
      .argument("[code]", "the 8-character pairing code"),
  )
    .option("--account <id>", "channel account id")
    .action(async (action: string, first: string | undefined, second: string | undefined, options: ClientFlags & { account?: string }) =>
      (await channelCommands()).channelsPairingCommand(io, options, action, first, second),
    );
  clientOptions(
    channels
      .command("outbox")
      .description("list, retry and prune outbound messages")
      .argument("<action>", "list | retry | prune")
      .argument("[id]", "outbox id for retry"),
  )
    .option("--status <status>", "list only pending | sending | sent | dead")
    .option("--channel <id>", "list only this channel")
    .option("--limit <n>", "at most this many entries", parsePositiveInt)
    .option("--older-than <duration>", "prune only entries older than this (30m, 12h, 7d)")
    .option("--include-sent", "prune delivered entries too, not only dead letters")
    .action(
      async (
        action: string,
        id: string | undefined,
        options: ClientFlags & { status?: string; channel?: string; limit?: number; olderThan?: string; includeSent?: boolean },
      ) => (await channelCommands()).channelsOutboxCommand(io, options, action, id),
    );
  clientOptions(program.command("agent").description("run an agent turn and stream the reply"))
    .requiredOption("-m, --message <text>", "message for the agent")
    .option("--session-key <key>", "session key (default: the main session)")
    .option("--agent <id>", "agent id")
    .action(async (options: ClientFlags & { message: string; sessionKey?: string; agent?: string }) =>
      (await clientCommands()).agentCommand(io, { ...options, ...(options.agent ? { agentId: options.agent } : {}) }),
    );
  clientOptions(program.command("tui").alias("chat").description("chat with the agent in this terminal: streaming replies, sessions, slash commands"))
    .option("--session <key>", "session to open (default: the main session, agent:main:main)")
    .action(async (options: ClientFlags & { session?: string }) => (await tuiCommand()).tuiCommand(io, options));
  clientOptions(
    program
      .command("devices")
      .description("list, approve and manage paired devices")
      .argument("<action>", "list | approve | reject | remove | rotate | revoke")
      .argument("[id]", "requestId or deviceId, or a unique prefix of it (at least 4 characters)"),
  )
    .option("--role <role>", "token role for rotate/revoke", "operator")
    .action(async (action: string, id: string | undefined, options: ClientFlags & { role?: string }) =>
      (await clientCommands()).devicesCommand(io, options, action, id),
    );
  clientOptions(
    program
      .command("nodes")
      .description("list, approve, describe and invoke nodes")
      .argument("<action>", "list | pending | approve | reject | describe | invoke")
      .argument("[id]", "nodeId, or the requestId for approve/reject (`nodes pending`); a unique prefix (at least 4 characters) will do")
      .argument("[command]"),
  )
    .option("--params <json>", "command params as JSON")
    .option("--invoke-timeout <ms>", "how long the node may take", parsePositiveInt)
    .option("--admin", "approve with operator.admin, for a node that declares admin commands (system.run, browser.proxy, …)")
    .action(
      async (
        action: string,
        nodeId: string | undefined,
        command: string | undefined,
        options: ClientFlags & { params?: string; invokeTimeout?: number; admin?: boolean },
      ) => (await nodeCommands()).nodesCommand(io, options, action, nodeId, command),
    );
  const installServiceWith = async (linger: boolean | undefined) => {
    const stateDir = io.env["OPENCLAW_STATE_DIR"] ? resolveStateDir(io.env, io.homedir) : undefined;
    const configPath = io.env["OPENCLAW_CONFIG_PATH"] ? resolveConfigPath(io.env, io.homedir) : undefined;
    const { installService } = await serviceCommands();
    await installService({
      io,
      platform,
      linger,
      spec: { nodePath: io.execPath ?? process.execPath, cliPath: io.entryPath ?? process.argv[1] ?? "openclaw", stateDir, configPath },
    });
  };
  gateway
    .command("install")
    .description("install the gateway as a systemd user service (Linux) or launchd agent (macOS), enable and start it")
    .option("--linger", "enable systemd lingering when it is off, so the gateway starts at boot and survives logout")
    .option("--no-linger", "neither check nor change lingering")
    .addHelpText("after", "\nWithout --linger or --no-linger, install asks on a terminal; otherwise it leaves lingering off and says how to turn it on.")
    .action((options: { linger?: boolean }) => installServiceWith(options.linger));
  registerSetupCommands(program, io, () => installServiceWith(undefined));
  gateway
    .command("uninstall")
    .description("stop and disable the service, and remove the unit written by `gateway install`")
    .action(async () => {
      const { uninstallService } = await serviceCommands();
      await uninstallService({ io, platform });
    });
  gateway
    .command("status")
    .description("show the service file, the running gateway (lock file) and the supervisor's view of the service")
    .option("--json", "print machine-readable JSON")
    .action(async (options: { json?: boolean }) => {
      const { serviceStatus } = await serviceCommands();
      await serviceStatus({ io, platform, stateDir: resolveStateDir(io.env, io.homedir), json: options.json === true });
    });
  program
    .command("node")
    .description("run this machine as an OpenClaw node")
    .command("run")
    .description("run the headless node host in the foreground")
    .option("--url <url>", "gateway URL (or OPENCLAW_GATEWAY_URL, gateway.remote.url in remote mode; default: the running local gateway)")
    .option("--host <host>", "gateway host, instead of --url (default 127.0.0.1)")
    .option("--port <port>", "gateway port, instead of --url (default 18789 with --host; without either, the running local gateway's)", parsePort)
    .option("--tls", "connect with wss://")
    .option("--tls-fingerprint <sha256>", "pin the gateway certificate (SHA-256, hex; or gateway.remote.tlsFingerprint); implies --tls")
    .option("--token <token>", "gateway token (or OPENCLAW_GATEWAY_TOKEN, gateway.remote.token; a loopback URL uses gateway.auth.token)")
    .option("--password <password>", "gateway password (or OPENCLAW_GATEWAY_PASSWORD, gateway.remote.password)")
    .option("--display-name <name>", "name shown in node.list (default: host name)")
    .option("--commands <list>", "commands to expose (default system.notify,system.which,system.run; + location.get with --location)")
    .option("--location <lat,lon>", "fixed location for location.get (or OPENCLAW_NODE_LOCATION)")
    .action(async (options: NodeRunFlags) => hooks.onNodeHostStarted?.(await (await nodeHost()).runNodeHost({ io, flags: options })));
  return program;
}
