import * as clack from "@clack/prompts";
import { formatConfigIssues, readConfigSnapshot, readInstanceLock, resolveConfigPath, resolveStateDir, type GatewayConfig } from "@openclaw/gateway-core";
import { loadChannelConfigSchemas } from "../../channel-catalog.js";
import { CliError } from "../../errors.js";
import type { CommandIo } from "../../io.js";
import { change } from "../config-commands.js";
import { checkAccountAfter } from "../credential-check.js";
import { checkModelAfter } from "./checks.js";
import { askSetup } from "./prompts.js";
import { answersFromFlags, channelPath, SETUP_SECTIONS, setupPatch, type SetupAnswers, type SetupFlags, type SetupSection } from "./plan.js";

/** How the service is installed; `program.ts` supplies the same spec as `gateway install`. */
export type InstallServiceHook = () => Promise<void>;

export interface SetupRun {
  readonly title: string;
  readonly sections: readonly SetupSection[];
  readonly installService: InstallServiceHook;
}

async function currentConfig(io: CommandIo): Promise<{ config: GatewayConfig | undefined; path: string }> {
  const file = await readConfigSnapshot(resolveConfigPath(io.env, io.homedir), io.env, { channels: await loadChannelConfigSchemas() });
  if (file.exists && file.config === undefined)
    throw new CliError(`the config file ${file.path} has problems; fix them first (openclaw doctor):\n${formatConfigIssues(file.issues)}`);
  return { config: file.config, path: file.path };
}

/** `configure --section <name>`: the sections it names, checked. */
export function sectionsOf(section: string | undefined): readonly SetupSection[] {
  if (section === undefined) return SETUP_SECTIONS;
  const names = section.split(",").map((name) => name.trim());
  for (const name of names)
    if (!(SETUP_SECTIONS as readonly string[]).includes(name)) throw new CliError(`--section ${name}: expected one of ${SETUP_SECTIONS.join(", ")}`);
  return names as SetupSection[];
}

/** In scripts the checks run here; on a terminal they ran while asking, so a refusal could be answered again. */
async function checkAnswers(io: CommandIo, answers: SetupAnswers): Promise<string[]> {
  const lines: string[] = [];
  if (answers.model) lines.push(await checkModelAfter(io, setupPatch({ model: answers.model }).patch));
  if (answers.channel?.newCredentials) {
    const { channel, account } = answers.channel;
    const result = await checkAccountAfter(io, setupPatch(answers).patch, channel, account);
    lines.push(result.checked ? `${channel} accepted the credentials: ${result.identity}` : `${channel} not checked: ${result.reason}`);
  }
  return lines;
}

function summary(answers: SetupAnswers, configPath: string, config: GatewayConfig | undefined, running: boolean): string[] {
  const lines: string[] = [`Config: ${configPath}`];
  const auth = answers.gateway?.auth;
  if (auth?.mode === "token") lines.push("Gateway token (clients and the Control UI need it; it is in the config file):", `  ${auth.token}`);
  if (auth?.mode === "password") lines.push("Gateway password: as you entered it");
  if (answers.model) lines.push(`Model: ${answers.model.ref}`);
  if (answers.channel) lines.push(`Channel: ${channelPath(answers.channel)} (DM policy ${String(answers.channel.settings["dmPolicy"] ?? "pairing")})`);
  if (answers.channel?.channel === "whatsapp")
    lines.push(`Link WhatsApp${running ? "" : " once the gateway runs"}: openclaw channels login --channel whatsapp (scan the QR with the phone)`);
  if (!running && answers.installService !== true) lines.push("Start the gateway: openclaw gateway");
  lines.push("Control UI: openclaw dashboard opens it, signed in", "Chat in the terminal: openclaw tui");
  return lines;
}

/** `openclaw onboard` and `openclaw configure`: ask (or read the flags), check with the providers, write once, apply live. */
export async function setupCommand(io: CommandIo, flags: SetupFlags, run: SetupRun): Promise<void> {
  const interactive = flags.nonInteractive !== true;
  if (interactive && !(io.stdin?.isTTY === true && io.stdout.isTTY === true))
    throw new CliError(`${run.title} asks its questions on a terminal; in scripts pass --non-interactive and the answers as flags (see --help)`);
  const { config, path } = await currentConfig(io);
  if (interactive) clack.intro(run.title, { output: io.stdout as unknown as clack.CommonOptions["output"] });
  const answers = interactive ? await askSetup(io, run.sections, config, flags) : answersFromFlags(flags, config);
  const checks = interactive || flags.check === false ? [] : await checkAnswers(io, answers);
  for (const line of checks) io.stdout.write(`${line}\n`);
  const { patch, replacePaths } = setupPatch(answers);
  if (Object.keys(patch).length > 0) await change(io, {}, { path: "setup", patch, replace: replacePaths, done: "saved the setup" });
  else io.stdout.write("nothing to change\n");
  if (answers.installService === true) await run.installService();
  const lock = readInstanceLock(resolveStateDir(io.env, io.homedir));
  const running = lock !== undefined;
  const whatsapp = answers.channel?.channel === "whatsapp" ? answers.channel : undefined;
  // A running gateway has just connected the new WhatsApp account: link the phone now, QR on this terminal.
  if (whatsapp && lock && interactive) {
    const { channelsLoginCommand } = await import("../channels.js");
    await channelsLoginCommand(io, {
      url: `${config?.gateway?.tls?.enabled ? "wss" : "ws"}://127.0.0.1:${lock.port}`,
      channel: "whatsapp",
      ...(whatsapp.account ? { account: whatsapp.account } : {}),
    });
  }
  const lines = summary(answers, path, config, running);
  if (interactive) clack.outro(lines.join("\n"), { output: io.stdout as unknown as clack.CommonOptions["output"] });
  else io.stdout.write(`${lines.join("\n")}\n`);
}
