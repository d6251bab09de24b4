import * as clack from "@clack/prompts";
import type { GatewayConfig } from "@openclaw/gateway-core";
import { CliError } from "../../errors.js";
import type { CommandIo } from "../../io.js";
import { ACCOUNT_ID } from "../channel-setup.js";
import { checkAccountAfter } from "../credential-check.js";
import { checkModelAfter } from "./checks.js";
import {
  DM_POLICIES,
  hasCredential,
  modelProvider,
  newGatewayToken,
  policySettings,
  setupPatch,
  type AuthAnswer,
  type ChannelAnswer,
  type ModelAnswer,
  type SetupAnswers,
  type SetupFlags,
  type SetupSection,
} from "./plan.js";

// The questions of `openclaw onboard` and `openclaw configure`, each defaulting to the value the
// config holds now, so a second run changes only what is answered differently.

type Ask = Pick<clack.CommonOptions, "input" | "output">;

/** A prompt's answer, or a clean stop when the user pressed Ctrl-C or Esc. */
function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new CliError("setup cancelled; nothing was written", 130);
  return value as Exclude<T, symbol>;
}

const required = (what: string) => (value: string | undefined) => (value?.trim() ? undefined : `enter ${what}`);

async function askGateway(ask: Ask, current: GatewayConfig | undefined): Promise<NonNullable<SetupAnswers["gateway"]>> {
  const port = answered(
    await clack.text({
      ...ask,
      message: "Port for the gateway (clients and the Control UI connect here)",
      initialValue: String(current?.gateway?.port ?? 18789),
      validate: (value) => (/^\d+$/.test(value ?? "") && Number(value) >= 1 && Number(value) <= 65_535 ? undefined : "a port number 1-65535"),
    }),
  );
  const bind = answered(
    await clack.select({
      ...ask,
      message: "Who may reach it",
      initialValue: current?.gateway?.bind === "lan" ? "lan" : "loopback",
      options: [
        { value: "loopback", label: "This machine only (loopback)", hint: "recommended" },
        { value: "lan", label: "The local network too (all interfaces)", hint: "clients still need the token" },
      ],
    }),
  );
  const auth = await askAuth(ask, current);
  return { port: Number(port), bind, ...(auth ? { auth } : {}) };
}

async function askAuth(ask: Ask, current: GatewayConfig | undefined): Promise<AuthAnswer | undefined> {
  const has = hasCredential(current);
  const choice = answered(
    await clack.select({
      ...ask,
      message: "How clients prove who they are",
      initialValue: has ? "keep" : "token",
      options: [
        ...(has ? [{ value: "keep", label: `Keep the current ${current?.gateway?.auth?.password !== undefined ? "password" : "credential"}` }] : []),
        { value: "token", label: has ? "A new generated token" : "A generated token", hint: has ? "clients with the old one must update" : "recommended" },
        { value: "password", label: "A password I choose" },
      ],
    }),
  );
  if (choice === "keep") return undefined;
  if (choice === "token") return { mode: "token", token: newGatewayToken() };
  const password = answered(await clack.password({ ...ask, message: "Gateway password", validate: required("a password") }));
  return { mode: "password", password };
}

const MODEL_KINDS = [
  { value: "offline", label: "Offline", hint: "no network or key; echoes what you say, for trying things out" },
  { value: "openai", label: "OpenAI" },
  { value: "anthropic", label: "Anthropic" },
  { value: "compatible", label: "Another OpenAI-compatible server", hint: "Ollama, vLLM, LM Studio, OpenRouter, …" },
] as const;

const DEFAULT_MODELS: Readonly<Record<string, string>> = { openai: "gpt-5-mini", anthropic: "claude-sonnet-4-5" };

async function askKey(ask: Ask, io: CommandIo, envName: string | undefined): Promise<{ apiKey?: string; apiKeyEnv?: string }> {
  if (envName !== undefined && io.env[envName]) {
    const fromEnv = answered(await clack.confirm({ ...ask, message: `Read the key from ${envName} (set in this shell and in the service's environment)?` }));
    if (fromEnv) return { apiKeyEnv: envName };
  }
  const key = answered(
    await clack.password({ ...ask, message: envName ? "API key (kept in the config file, mode 0600)" : "API key (leave empty if the server needs none)" }),
  );
  return key.trim() ? { apiKey: key.trim() } : {};
}

async function askModelOnce(ask: Ask, io: CommandIo, current: GatewayConfig | undefined): Promise<ModelAnswer> {
  const ref = current?.agents?.defaults?.model ?? "offline/echo";
  const currentProvider = ref.slice(0, ref.indexOf("/"));
  const kind = answered(
    await clack.select({
      ...ask,
      message: "The model that answers",
      initialValue: ["offline", "openai", "anthropic"].includes(currentProvider) ? currentProvider : "compatible",
      options: [...MODEL_KINDS],
    }),
  );
  if (kind === "offline") return { ref: "offline/echo" };
  const id =
    kind === "compatible"
      ? answered(
          await clack.text({
            ...ask,
            message: "A short name for this provider (used as provider/model)",
            initialValue: currentProvider === "offline" || currentProvider in DEFAULT_MODELS ? "local" : currentProvider,
            validate: (value) => (/^[a-z0-9][a-z0-9-]*$/.test(value ?? "") ? undefined : "lower-case letters, digits and -"),
          }),
        )
      : kind;
  const baseUrl =
    kind === "compatible"
      ? answered(
          await clack.text({
            ...ask,
            message: "Its base URL (the part before /chat/completions)",
            initialValue: current?.models?.providers?.[id]?.baseUrl ?? "http://127.0.0.1:11434/v1",
            validate: (value) => (/^https?:\/\/\S+$/.test(value ?? "") ? undefined : "an http(s) URL"),
          }),
        )
      : undefined;
  const model = answered(
    await clack.text({
      ...ask,
      message: "Model name",
      initialValue: currentProvider === id ? ref.slice(ref.indexOf("/") + 1) : (DEFAULT_MODELS[id] ?? ""),
      validate: required("a model name"),
    }),
  );
  const key = await askKey(ask, io, kind === "openai" ? "OPENAI_API_KEY" : kind === "anthropic" ? "ANTHROPIC_API_KEY" : undefined);
  const fullRef = `${id}/${model.trim()}`;
  const provider = modelProvider(fullRef, { ...(baseUrl ? { baseUrl } : {}), ...key }, current);
  return { ref: fullRef, ...(provider ? { provider } : {}) };
}

/** Asks until the provider accepts the answer, or the user keeps it anyway. */
async function askModel(ask: Ask, io: CommandIo, current: GatewayConfig | undefined, check: boolean): Promise<ModelAnswer> {
  for (;;) {
    const answer = await askModelOnce(ask, io, current);
    if (!check) return answer;
    const outcome = await checked(ask, "Asking the model provider", () => checkModelAfter(io, setupPatch({ model: answer }).patch));
    if (outcome.ok || (await keepAnyway(ask))) return answer;
  }
}

async function checked(ask: Ask, title: string, run: () => Promise<string>): Promise<{ ok: boolean }> {
  const spin = clack.spinner({ output: ask.output });
  spin.start(title);
  try {
    spin.stop(await run());
    return { ok: true };
  } catch (error) {
    spin.error((error as Error).message.replace(/; nothing was written.*$/, ""));
    return { ok: false };
  }
}

async function keepAnyway(ask: Ask): Promise<boolean> {
  return answered(await clack.confirm({ ...ask, message: "Keep this answer anyway?", active: "Keep it", inactive: "Answer again", initialValue: false }));
}

const CHANNEL_CHOICES = [
  { value: "telegram", label: "Telegram", hint: "a bot token from @BotFather" },
  { value: "slack", label: "Slack", hint: "a bot token and an app token (Socket Mode)" },
  { value: "discord", label: "Discord", hint: "a bot token" },
  { value: "whatsapp", label: "WhatsApp", hint: "link a phone with a QR code" },
  { value: "signal", label: "Signal", hint: "a signal-cli daemon" },
  { value: "none", label: "None for now", hint: "chat in the Control UI or openclaw tui" },
] as const;

async function askCredentials(ask: Ask, channel: string): Promise<Record<string, unknown>> {
  const secret = async (message: string, pattern: RegExp, shape: string) =>
    answered(await clack.password({ ...ask, message, validate: (value) => (pattern.test(value ?? "") ? undefined : shape) })).trim();
  switch (channel) {
    case "telegram":
      return { botToken: await secret("Telegram bot token", /^\s*\d+:[\w-]+\s*$/, "a bot token looks like 123456:ABC-…") };
    case "slack":
      return {
        botToken: await secret("Slack bot token (xoxb-…)", /^\s*xoxb-\S+\s*$/, "starts with xoxb-"),
        appToken: await secret("Slack app-level token (xapp-…)", /^\s*xapp-\S+\s*$/, "starts with xapp-"),
      };
    case "discord":
      return { token: await secret("Discord bot token", /\S/, "paste the token") };
    case "signal": {
      const account = answered(
        await clack.text({
          ...ask,
          message: "Your Signal number",
          placeholder: "+15551234567",
          validate: (v) => (/^\+\d{6,15}$/.test(v ?? "") ? undefined : "E.164: + and digits"),
        }),
      );
      const url = answered(
        await clack.text({ ...ask, message: "The signal-cli daemon's URL", initialValue: "http://127.0.0.1:8080", validate: required("a URL") }),
      );
      return { account, transport: { url } };
    }
    default:
      return {};
  }
}

async function askDmPolicy(ask: Ask, current: unknown): Promise<Record<string, unknown>> {
  const dmPolicy = answered(
    await clack.select({
      ...ask,
      message: "Who may message the assistant directly",
      initialValue: typeof current === "string" && (DM_POLICIES as readonly string[]).includes(current) ? current : "pairing",
      options: [
        { value: "pairing", label: "People I approve", hint: "a stranger gets a code; approve it with openclaw channels pairing approve" },
        { value: "allowlist", label: "Only the senders I list" },
        { value: "open", label: "Anyone", hint: "anyone who finds the bot can use your model" },
        { value: "disabled", label: "Nobody (groups only)" },
      ],
    }),
  );
  if (dmPolicy !== "allowlist") return policySettings({ dmPolicy });
  const list = answered(await clack.text({ ...ask, message: "Sender ids allowed, comma-separated", validate: required("at least one sender id") }));
  return policySettings({ dmPolicy, allowFrom: list });
}

async function askChannel(ask: Ask, io: CommandIo, current: GatewayConfig | undefined, flags: SetupFlags, check: boolean): Promise<ChannelAnswer | undefined> {
  const configured = Object.keys(current?.channels ?? {}).find((id) => CHANNEL_CHOICES.some((choice) => choice.value === id));
  const channel = answered(
    await clack.select({ ...ask, message: "A channel to reach the assistant on", initialValue: configured ?? "telegram", options: [...CHANNEL_CHOICES] }),
  );
  if (channel === "none") return undefined;
  const account = flags.account;
  if (account !== undefined && !ACCOUNT_ID.test(account)) throw new CliError(`--account ${account}: letters, digits, "-" and "_" (at most 64)`);
  const section = (current?.channels as Record<string, { dmPolicy?: unknown; accounts?: Record<string, { dmPolicy?: unknown }> }> | undefined)?.[channel];
  const policy = await askDmPolicy(ask, (account ? section?.accounts?.[account]?.dmPolicy : undefined) ?? section?.dmPolicy);
  const extra = policySettings({ channelSet: flags.channelSet ?? [] });
  for (;;) {
    const answer: ChannelAnswer = {
      channel,
      ...(account ? { account } : {}),
      settings: { ...(await askCredentials(ask, channel)), ...policy, ...extra },
      newCredentials: true,
    };
    if (!check) return answer;
    const patch = setupPatch({ channel: answer }).patch;
    const outcome = await checked(ask, `Asking ${channel} about the credentials`, async () => {
      const result = await checkAccountAfter(io, patch, channel, account);
      return result.checked ? `${channel} accepted the credentials: ${result.identity}` : `${channel}: ${result.reason}`;
    });
    if (outcome.ok || (await keepAnyway(ask))) return answer;
  }
}

/** Walks the chosen sections on the terminal; flags given on the command line are not asked again. */
export async function askSetup(io: CommandIo, sections: readonly SetupSection[], current: GatewayConfig | undefined, flags: SetupFlags): Promise<SetupAnswers> {
  const ask: Ask = { input: io.stdin as NodeJS.ReadableStream & clack.CommonOptions["input"], output: io.stdout as unknown as clack.CommonOptions["output"] };
  const check = flags.check !== false;
  let answers: SetupAnswers = {};
  if (sections.includes("gateway")) answers = { ...answers, gateway: await askGateway(ask, current) };
  if (sections.includes("model")) answers = { ...answers, model: await askModel(ask, io, current, check) };
  if (sections.includes("channel")) {
    const channel = await askChannel(ask, io, current, flags, check);
    if (channel) answers = { ...answers, channel };
  }
  if (sections.includes("service") && (io.platform ?? process.platform) !== "win32") {
    const install = answered(
      await clack.confirm({ ...ask, message: "Install the gateway as a service that starts at login (systemd or launchd)?", initialValue: false }),
    );
    answers = { ...answers, installService: install };
  }
  return answers;
}
