import { InvalidArgumentError, type Command } from "commander";
import type { CommandIo } from "../../io.js";
import type { SetupFlags } from "./plan.js";
import type { InstallServiceHook } from "./setup-command.js";

// `openclaw onboard` and `openclaw configure`: their flags, registered here so program.ts stays a table of commands.

const setupCommand = () => import("./setup-command.js");

function port(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || parsed < 1 || parsed > 65_535) throw new InvalidArgumentError("expected a port number 1-65535");
  return parsed;
}

function withSetupFlags(command: Command): Command {
  return command
    .option("--non-interactive", "ask nothing: only the flags given change the config")
    .option("--port <n>", "gateway port", port)
    .option("--bind <mode>", "loopback (this machine) or lan (all interfaces)")
    .option("--auth <mode>", "token or password")
    .option("--token <token>", "the gateway token (default: keep the current one, or generate one)")
    .option("--password <secret>", "a gateway password instead of a token")
    .option("--model <provider/model>", "the default model: offline/echo, openai/<model>, anthropic/<model>, or <id>/<model> with --model-base-url")
    .option("--model-base-url <url>", "an OpenAI-compatible server for --model's provider (Ollama, vLLM, …)")
    .option("--model-api-key <key>", "the model provider's key, kept in the config file")
    .option("--model-api-key-env <VAR>", "read the model provider's key from this environment variable instead")
    .option("--telegram-token <token>", "add Telegram with this bot token")
    .option("--slack-bot-token <token>", "add Slack with this bot token (xoxb-…)")
    .option("--slack-app-token <token>", "Slack's app-level token (xapp-…) for Socket Mode")
    .option("--discord-token <token>", "add Discord with this bot token")
    .option("--whatsapp", "add WhatsApp (link it with openclaw channels login --channel whatsapp)")
    .option("--signal-account <number>", "add Signal with this number (E.164)")
    .option("--signal-url <url>", "the signal-cli daemon's URL")
    .option("--channel <id>", "the channel --dm-policy and --channel-set apply to, when no credential flag names it")
    .option("--account <id>", "the channel account id (default: the channel's single account)")
    .option("--channel-set <key=value>", "any other setting of the channel (JSON5 value); repeatable", (value: string, list: string[] = []) => [...list, value])
    .option("--dm-policy <policy>", "who may DM the assistant: pairing, allowlist, open or disabled")
    .option("--allow-from <senders>", "comma-separated sender ids allowed to DM")
    .option("--install-service", "install and start the gateway as a systemd or launchd user service")
    .option("--no-check", "write keys and tokens without asking their providers whether they work");
}

export function registerSetupCommands(program: Command, io: CommandIo, installService: InstallServiceHook): void {
  withSetupFlags(
    program
      .command("onboard")
      .description("guided first setup: gateway port and auth, the model, a channel, the service; a second run changes only what you answer differently"),
  ).action(async (flags: SetupFlags) =>
    (await setupCommand()).setupCommand(io, flags, { title: "OpenClaw onboarding", sections: (await setupCommand()).sectionsOf(undefined), installService }),
  );
  withSetupFlags(
    program
      .command("configure")
      .description("change one part of the setup: gateway, model, channel or service")
      .option("--section <names>", "comma-separated: gateway, model, channel, service (default: all)"),
  ).action(async (flags: SetupFlags) => {
    const { setupCommand: run, sectionsOf } = await setupCommand();
    await run(io, flags, { title: "OpenClaw configure", sections: sectionsOf(flags.section), installService });
  });
}
