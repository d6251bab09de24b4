import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startOpenAiFake, startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { buildProgram, type CommandIo, type RunningGateway } from "../src/index.js";
import { cliOk, cliRefusal, runCliWithEnv, startGatewayIn } from "./helpers.js";
import { supervisorStubs } from "./supervisor-stubs.js";

/** `openclaw onboard --non-interactive` and `openclaw configure`: from nothing to an assistant on Telegram, without opening the config file. */

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-onboard-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  return home;
}

async function telegramFake(): Promise<TelegramFake> {
  const fake = await startTelegramFake();
  cleanups.push(() => fake.close());
  return fake;
}

async function openAiFake(apiKey: string, reply: readonly string[]) {
  const fake = await startOpenAiFake({ apiKey, models: ["fake-model"], script: [{ kind: "text", chunks: reply }] });
  cleanups.push(() => fake.close());
  return fake;
}

const configOf = (home: string) => JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")) as Record<string, any>;

describe("openclaw onboard --non-interactive", () => {
  it("sets up an empty state dir so the gateway answers a Telegram DM with the OpenAI-compatible model", { timeout: 30_000 }, async () => {
    const home = newHome();
    const telegram = await telegramFake();
    const model = await openAiFake("sk-onboard", ["Hello from ", "the model"]);
    const out = await cliOk(
      home,
      "onboard",
      "--non-interactive",
      "--model",
      "fake/fake-model",
      "--model-base-url",
      model.url,
      "--model-api-key",
      "sk-onboard",
      "--telegram-token",
      telegram.token,
      "--channel-set",
      `apiRoot=${telegram.apiRoot}`,
      "--channel-set",
      "polling={ timeoutSeconds: 1 }",
      "--dm-policy",
      "open",
    );
    expect(out).toContain("accepted the key and lists fake-model");
    expect(out).toMatch(/telegram accepted the credentials: @\w+/);
    const token = /Gateway token \([^)]*\):\s+(\S+)/.exec(out)?.[1];
    const config = configOf(home);
    expect(config).toMatchObject({
      gateway: { auth: { mode: "token", token } },
      agents: { defaults: { model: "fake/fake-model" } },
      models: { providers: { fake: { api: "openai-compatible", baseUrl: model.url, apiKey: "sk-onboard" } } },
      channels: { telegram: { botToken: telegram.token, dmPolicy: "open", allowFrom: ["*"] } },
    });
    expect(token).toMatch(/^[\w-]{43}$/);
    expect(statSync(join(home, ".openclaw", "openclaw.json")).mode & 0o777).toBe(0o600);

    const gateway: RunningGateway = await startGatewayIn(home);
    cleanups.push(() => gateway.stop());
    telegram.inject({ chatId: 777, from: { id: 777, first_name: "Grace" }, text: "hi assistant" });
    const reply = await waitFor("the model's reply on Telegram", () => telegram.sent.find((sent) => sent.chatId === "777"));
    expect(reply.text).toBe("Hello from the model");
    const asked = model.requests.find((request) => request.path.endsWith("/chat/completions"));
    expect(asked?.headers.authorization).toBe("Bearer sk-onboard");
    expect(JSON.stringify(asked?.body)).toContain("hi assistant");
  });

  it("writes nothing when the model provider refuses the key or Telegram refuses the token", async () => {
    const home = newHome();
    const telegram = await telegramFake();
    const model = await openAiFake("sk-right", []);
    const base = ["onboard", "--non-interactive", "--model", "fake/fake-model", "--model-base-url", model.url];
    expect(await cliRefusal(home, ...base, "--model-api-key", "sk-wrong")).toMatch(
      /^the model provider refused the API key \(fake\/fake-model\): .*; nothing was written \(--no-check writes it unchecked\)$/,
    );
    expect(
      await cliRefusal(home, ...base, "--model-api-key", "sk-right", "--telegram-token", "1:refused", "--channel-set", `apiRoot=${telegram.apiRoot}`),
    ).toBe("channels.telegram: the bot token was refused (401 Unauthorized); check botToken; nothing was written (--no-check writes it unchecked)");
    expect(existsSync(join(home, ".openclaw", "openclaw.json"))).toBe(false);
    await cliOk(home, ...base, "--model-api-key", "sk-wrong", "--no-check");
    expect(configOf(home).models.providers.fake.apiKey).toBe("sk-wrong");
  });

  it("keeps the model key as an environment reference with --model-api-key-env", async () => {
    const home = newHome();
    const args = ["onboard", "--non-interactive", "--model", "openai/gpt-5-mini", "--model-api-key-env", "MY_OPENAI_KEY", "--no-check"];
    expect((await runCliWithEnv(home, {}, ...args)).error?.message).toBe(
      "config key models.providers.openai.apiKey: environment variable MY_OPENAI_KEY is not set",
    );
    expect((await runCliWithEnv(home, { MY_OPENAI_KEY: "sk-from-env" }, ...args)).error).toBeUndefined();
    expect(configOf(home).models.providers.openai).toEqual({ api: "openai-compatible", baseUrl: "https://api.openai.com/v1", apiKey: "${MY_OPENAI_KEY}" });
  });

  it("a second run changes only what it is given, and configure does the same for one section", async () => {
    const home = newHome();
    await cliOk(home, "onboard", "--non-interactive", "--port", "19555", "--discord-token", "abc.def", "--no-check");
    const first = configOf(home);
    expect(first.gateway.port).toBe(19555);
    expect(await cliRefusal(home, "onboard", "--non-interactive", "--model", "offline/script")).toBe(
      'config key agents.defaults.model: offline models are offline/echo, got "offline/script"',
    );
    await cliOk(home, "onboard", "--non-interactive", "--model", "local/llama3", "--model-base-url", "http://127.0.0.1:9/v1", "--no-check");
    const second = configOf(home);
    expect(second.gateway).toEqual(first.gateway);
    expect(second.channels).toEqual(first.channels);
    expect(second.agents.defaults.model).toBe("local/llama3");
    await cliOk(home, "configure", "--section", "channel", "--non-interactive", "--channel", "discord", "--dm-policy", "allowlist", "--allow-from", "42,43");
    expect(configOf(home).channels.discord).toEqual({ token: "abc.def", dmPolicy: "allowlist", allowFrom: ["42", "43"] });
    expect(configOf(home).gateway).toEqual(first.gateway);
  });

  it("installs the service last, with the config it just wrote", async () => {
    const env = supervisorStubs();
    cleanups.push(() => env.dispose());
    env.stub("launchctl", { "print gui/501/ai.openclaw.gateway": { code: 113, stderr: "Could not find service" } });
    let out = "";
    const io: CommandIo = {
      stdout: { write: (text: string) => (out += text) },
      stderr: { write: () => true },
      env: { PATH: env.bin, USER: "tester" },
      homedir: env.home,
      cwd: env.home,
      platform: "darwin",
      uid: 501,
      execPath: "/usr/bin/node",
      entryPath: "/opt/openclaw/dist/cli.js",
    };
    await buildProgram(io, { onGatewayStarted: () => undefined }).parseAsync(["node", "openclaw", "onboard", "--non-interactive", "--install-service"]);
    const plist = join(env.home, "Library", "LaunchAgents", "ai.openclaw.gateway.plist");
    expect(env.calls()).toEqual(["launchctl print gui/501/ai.openclaw.gateway", `launchctl bootstrap gui/501 ${plist}`]);
    expect(readFileSync(plist, "utf8")).toContain("<string>/opt/openclaw/dist/cli.js</string>");
    expect(configOf(env.home).gateway.auth.token).toMatch(/^[\w-]{43}$/);
    expect(out).not.toContain("Start the gateway: openclaw gateway");
  });

  it("refuses contradictory or incomplete flags with what to give instead", async () => {
    const home = newHome();
    const refusal = (...args: string[]) => cliRefusal(home, "onboard", "--non-interactive", ...args);
    expect(await refusal("--telegram-token", "1:a", "--discord-token", "x")).toBe("one channel per run: telegram and discord were both given");
    expect(await refusal("--model", "ollama/llama3")).toBe(
      'the model provider "ollama" is not declared; give its server with --model-base-url <url> (and --model-api-key when it needs one)',
    );
    expect(await refusal("--model-api-key", "k")).toBe("--model-base-url and --model-api-key need --model <provider/model>");
    expect(await refusal("--dm-policy", "open")).toMatch(/^--dm-policy, --allow-from, --channel-set and --account need a channel/);
    expect(await refusal("--dm-policy", "everyone", "--channel", "telegram")).toBe("--dm-policy everyone: expected one of pairing, allowlist, open, disabled");
    expect(await refusal("--auth", "password")).toBe("--auth password needs --password <secret>");
    expect(await cliRefusal(home, "configure", "--section", "models", "--non-interactive")).toBe(
      "--section models: expected one of gateway, model, channel, service",
    );
    expect(await cliRefusal(home, "onboard")).toBe(
      "OpenClaw onboarding asks its questions on a terminal; in scripts pass --non-interactive and the answers as flags (see --help)",
    );
    expect(existsSync(join(home, ".openclaw", "openclaw.json"))).toBe(false);
  });
});
