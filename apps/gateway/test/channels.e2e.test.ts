import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  startDiscordFake,
  startImessageFake,
  startOpenAiFake,
  startSignalFake,
  startSlackFake,
  startTelegramFake,
  waitFor,
  type TelegramFake,
} from "@openclaw/testing";
import { openStore, resolveStorePath } from "@openclaw/gateway-core";
import { prepared } from "@openclaw/gateway-core/internal";
import { freePort } from "./free-port.js";
import { printed } from "./printed.js";

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const TOKEN = "e2e-gateway-token-0123456789abcdef";
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function run(args: string[], home: string): Run {
  const child = spawn(process.execPath, [CLI, ...args], { env: { PATH: process.env["PATH"] ?? "", HOME: home }, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** `openclaw <args>` as a new user would run it; resolves with its output once it exits 0. */
async function openclaw(home: string, ...args: string[]): Promise<string> {
  const cli = run(args, home);
  const code = await cli.exited;
  if (code !== 0) throw new Error(`openclaw ${args.join(" ")} exited ${code}:\n${cli.output()}`);
  return cli.output();
}

function setupHome(fake: TelegramFake, port: number): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-channels-e2e-"));
  cleanups.push(() => rmSync(home, { recursive: true, force: true }));
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  const config = {
    gateway: { mode: "local", port, auth: { mode: "token", token: TOKEN } },
    channels: { telegram: { botToken: fake.token, apiRoot: fake.apiRoot, polling: { timeoutSeconds: 1 }, reconnect: { initialMs: 200, maxMs: 1000 } } },
  };
  writeFileSync(join(home, ".openclaw", "openclaw.json"), JSON.stringify(config, null, 2), { mode: 0o600 });
  return home;
}

async function startGateway(home: string): Promise<Run> {
  const gateway = run(["gateway", "run", "--log-format", "off"], home);
  await printed(gateway.child, gateway.output, "listening on ws://127.0.0.1:");
  return gateway;
}

describe("channels end to end: the real gateway binary against the fake Telegram Bot API", () => {
  it("pairs an unknown sender with a code approved on the CLI, then answers with the agent", { timeout: 60_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const home = setupHome(fake, await freePort());
    await startGateway(home);

    fake.inject({ chatId: 4242, from: { id: 4242, first_name: "Stranger" }, text: "hello?" });
    const notice = await waitFor("the pairing code", () => fake.sent.find((sent) => sent.chatId === "4242"));
    const code = /pairing code is ([A-HJ-NP-Z2-9]{8})/.exec(notice.text)?.[1];
    expect(code, notice.text).toBeDefined();

    fake.inject({ chatId: 4242, from: { id: 4242, first_name: "Stranger" }, text: "are you there?" });
    await waitFor("the second DM to be fetched", () => fake.pending().length === 0);
    const listed = await openclaw(home, "channels", "pairing", "list");
    expect(listed).toContain(code);
    expect(listed).toContain("4242");
    expect(await openclaw(home, "channels", "pairing", "approve", "telegram", code!)).toBe(
      "Approved 4242 on telegram (account default) for direct messages.\n",
    );

    fake.inject({ chatId: 4242, from: { id: 4242, first_name: "Stranger" }, text: "hello after approval" });
    const reply = await waitFor("the agent's reply", () => fake.sent.find((sent) => sent.text === "Echo: hello after approval"));
    expect(reply.chatId).toBe("4242");
    // Only the code and the reply: the DM sent while pending got nothing.
    expect(fake.sent.filter((sent) => sent.chatId === "4242")).toHaveLength(2);
    const status = JSON.parse(await openclaw(home, "channels", "status", "--json"));
    expect(status.channels.telegram.accounts[0]).toMatchObject({ accountId: "default", state: "connected", connected: true });
    // The bot token never reaches the log, though the channel logged its work there.
    const log = readFileSync(join(home, ".openclaw", "logs", "gateway.log"), "utf8");
    expect(log).toContain("channel pairing approved");
    expect(log).not.toContain(fake.token);
    expect(log).not.toContain(fake.token.split(":")[1]);
  });

  it("kill -9 between accepting a message and delivering the reply: after a restart the reply arrives exactly once", { timeout: 90_000 }, async () => {
    const fake = await startTelegramFake();
    cleanups.push(() => fake.close());
    const home = setupHome(fake, await freePort());
    // Open DMs for this test: it is about delivery, not pairing.
    const configPath = join(home, ".openclaw", "openclaw.json");
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    config.channels.telegram.dmPolicy = "open";
    config.channels.telegram.allowFrom = ["*"];
    writeFileSync(configPath, JSON.stringify(config));
    const first = await startGateway(home);

    // The provider fails every send (5xx, nothing delivered), so the reply sits in the outbox.
    fake.failSends({ status: 502, count: 1_000 });
    fake.inject({ chatId: 777, from: { id: 777 }, text: "survive the crash" });
    await waitFor("a refused send attempt", () => fake.attempts.some((attempt) => attempt.chatId === "777" && attempt.status === 502));
    let pending: { status: string; lastError?: string } | undefined;
    for (let tries = 0; tries < 40 && pending?.status !== "pending"; tries += 1) {
      pending = JSON.parse(await openclaw(home, "channels", "outbox", "list", "--json")).entries.find((entry: { chatId: string }) => entry.chatId === "777");
      if (pending?.status !== "pending") await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(pending).toMatchObject({ status: "pending", lastError: expect.stringContaining("502") });

    first.child.kill("SIGKILL");
    await first.exited;
    // The database the killed gateway was writing is intact.
    const storePath = resolveStorePath(join(home, ".openclaw"));
    expect(existsSync(storePath)).toBe(true);
    const store = openStore(storePath);
    try {
      expect(prepared(store.db, "PRAGMA integrity_check").get()).toEqual({ integrity_check: "ok" });
      expect(prepared(store.db, "SELECT COUNT(*) AS n FROM channel_outbox WHERE status = 'pending'").get()).toEqual({ n: 1 });
    } finally {
      store.close();
    }
    fake.clearFailures();
    const second = await startGateway(home);

    const delivered = await waitFor("the reply after the restart", () => fake.sent.find((sent) => sent.chatId === "777"), 20_000, second.output);
    expect(delivered.text).toBe("Echo: survive the crash");
    // Give a duplicate every chance to show up: a poll cycle and an outbox pass.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(fake.sent.filter((sent) => sent.chatId === "777").map((sent) => sent.text)).toEqual(["Echo: survive the crash"]);
    const history = JSON.parse(
      await openclaw(home, "gateway", "call", "chat.history", "--params", JSON.stringify({ sessionKey: "agent:main:main" }), "--json"),
    );
    const asked = history.messages.filter(
      (message: { role: string; content: { text?: string }[] }) => message.role === "user" && message.content[0]?.text === "survive the crash",
    );
    expect(asked).toHaveLength(1);
  });

  it(
    "kill -9 after the inbound was recorded but before the agent answered; after the restart the turn is replayed once and the reply arrives exactly once",
    { timeout: 90_000 },
    async () => {
      const telegram = await startTelegramFake();
      // The model holds its first answer open for as long as the gateway lives: the crash window is
      // "recorded, agent running, no reply yet", every time. Later requests answer at once.
      const model = await startOpenAiFake({
        script: [
          { kind: "hang", chunks: ["Half an ans"] },
          { kind: "text", chunks: ["Recovered ", "answer"] },
          { kind: "text", chunks: ["Second answer"] },
        ],
      });
      cleanups.push(
        () => telegram.close(),
        () => model.close(),
      );
      const home = setupHome(telegram, await freePort());
      const configPath = join(home, ".openclaw", "openclaw.json");
      const config = JSON.parse(readFileSync(configPath, "utf8"));
      config.channels.telegram.dmPolicy = "open";
      config.channels.telegram.allowFrom = ["*"];
      config.agents = { defaults: { model: "held/fake-model", heartbeat: { enabled: false } } };
      config.models = { providers: { held: { api: "openai-compatible", baseUrl: `${model.url}/v1`, apiKey: "sk-test-held" } } };
      writeFileSync(configPath, JSON.stringify(config));
      const first = await startGateway(home);

      telegram.inject({ chatId: 888, from: { id: 888 }, text: "survive the crash" });
      await waitFor("the model to be asked", () => model.requests.length === 1, 15_000, first.output);
      first.child.kill("SIGKILL");
      await first.exited;

      // What the killed gateway left: the message recorded and unfinished, no reply queued or sent.
      const store = openStore(resolveStorePath(join(home, ".openclaw")));
      try {
        expect(prepared(store.db, "SELECT status FROM channel_inbound WHERE chat_id = '888'").all()).toEqual([{ status: "pending" }]);
        expect(prepared(store.db, "SELECT COUNT(*) AS n FROM channel_outbox").get()).toEqual({ n: 0 });
      } finally {
        store.close();
      }
      expect(telegram.sent).toEqual([]);

      const second = await startGateway(home);
      const reply = await waitFor("the replayed reply", () => telegram.sent.find((sent) => sent.chatId === "888"), 20_000, second.output);
      expect(reply.text).toBe("Recovered answer");
      // A barrier instead of a sleep: the chat's lane and the session's run queue are first in,
      // first out, so once the next message is answered any duplicate of the first would be out too.
      telegram.inject({ chatId: 888, from: { id: 888 }, text: "and now?" });
      await waitFor("the barrier reply", () => telegram.sent.find((sent) => sent.text === "Second answer"), 20_000, second.output);
      expect(telegram.sent.filter((sent) => sent.chatId === "888").map((sent) => sent.text)).toEqual(["Recovered answer", "Second answer"]);

      // The turn ran to completion once: three model requests in all (the one the crash cut, the
      // replay, the barrier), one answer to the first message in the model's context and in the
      // transcript, and the cut attempt recorded as interrupted, never as a second answer.
      expect(model.requests).toHaveLength(3);
      const context = (model.requests[2]!.body as { messages: { role: string; content: string }[] }).messages;
      expect(context.filter((message) => message.role === "assistant" && message.content === "Recovered answer")).toHaveLength(1);
      expect(context.filter((message) => message.role === "assistant" && message.content.includes("Half an ans"))).toEqual([]);
      const history = JSON.parse(
        await openclaw(home, "gateway", "call", "chat.history", "--params", JSON.stringify({ sessionKey: "agent:main:main" }), "--json"),
      );
      const answers = history.messages.filter(
        (message: { role: string; content: { text?: string }[] }) => message.role === "assistant" && (message.content[0]?.text ?? "") !== "",
      );
      expect(answers.map((message: { content: { text?: string }[] }) => message.content[0]?.text)).toEqual(["Recovered answer", "Second answer"]);
    },
  );

  it("Signal and iMessage: a DM from an allowed sender is answered by the agent through each fake", { timeout: 60_000 }, async () => {
    const telegram = await startTelegramFake();
    const signal = await startSignalFake();
    const imessage = await startImessageFake();
    cleanups.push(
      () => telegram.close(),
      () => signal.close(),
      () => imessage.close(),
    );
    const home = setupHome(telegram, await freePort());
    const configPath = join(home, ".openclaw", "openclaw.json");
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    delete config.channels.telegram;
    config.channels.signal = {
      account: signal.account,
      transport: { url: signal.url },
      dmPolicy: "allowlist",
      allowFrom: ["+15550009999"],
      reconnect: { initialMs: 200, maxMs: 1000 },
    };
    config.channels.imessage = { cliPath: imessage.cliPath, dmPolicy: "allowlist", allowFrom: ["+15550008888"], reconnect: { initialMs: 200, maxMs: 1000 } };
    writeFileSync(configPath, JSON.stringify(config));
    const gateway = await startGateway(home);
    let status: any;
    for (let tries = 0; tries < 50; tries += 1) {
      status = JSON.parse(await openclaw(home, "channels", "status", "--json"));
      if (status.channels.signal?.accounts[0]?.connected && status.channels.imessage?.accounts[0]?.connected) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status.channels.signal.accounts[0]).toMatchObject({ state: "connected", connected: true });
    expect(status.channels.imessage.accounts[0]).toMatchObject({ state: "connected", connected: true });

    signal.message({ from: "+15550009999", text: "hi over signal" });
    signal.message({ from: "+15550007777", text: "not allowed" });
    imessage.message({ chatId: 42, sender: "+15550008888", text: "hi over imessage" });
    await waitFor("the Signal reply", () => signal.sent.find((sent) => sent.message === "Echo: hi over signal"), 15_000, gateway.output);
    await waitFor("the iMessage reply", () => imessage.sent.find((sent) => sent.text === "Echo: hi over imessage"), 15_000, gateway.output);
    expect(signal.sent.map((sent) => sent.recipient)).toEqual(["+15550009999"]);
    expect(imessage.sent.map((sent) => sent.chatId)).toEqual(["42"]);
  });

  it("secrets stay out of the log file and channels.status when every channel fails on a bad credential", { timeout: 60_000 }, async () => {
    const telegram = await startTelegramFake();
    const slack = await startSlackFake();
    const discord = await startDiscordFake();
    const signal = await startSignalFake();
    cleanups.push(
      () => telegram.close(),
      () => slack.close(),
      () => discord.close(),
      () => signal.close(),
    );
    // Well-formed but wrong, so each fake answers 401 / invalid_auth; the Signal daemon URL carries
    // basic-auth credentials, which fetch refuses with the whole URL in its error message.
    const secrets = {
      telegram: "999999:WRONG-token_abcdefghijklmnopqrstuvwxyz12",
      telegramUnreachable: "888888:UNREACHABLE-token_abcdefghijklmnopqrstuv",
      slackBot: "xoxb-9999-8888-wrongbottoken",
      slackApp: "xapp-1-A9999-7777-wrongapptoken",
      discord: "OTk5OTk5OTk5.WrOnG1.wrong-discord-token-abcdefghij",
      signalPassword: "signal-daemon-pass-123456",
    };
    const home = setupHome(telegram, await freePort());
    const configPath = join(home, ".openclaw", "openclaw.json");
    const config = JSON.parse(readFileSync(configPath, "utf8"));
    config.logging = { level: "debug" };
    config.channels = {
      telegram: {
        apiRoot: telegram.apiRoot,
        polling: { timeoutSeconds: 1 },
        reconnect: { initialMs: 200, maxMs: 1000 },
        accounts: {
          default: { botToken: secrets.telegram },
          unreachable: { botToken: secrets.telegramUnreachable, apiRoot: `http://127.0.0.1:${await freePort()}` },
        },
      },
      slack: { botToken: secrets.slackBot, appToken: secrets.slackApp, apiUrl: slack.apiUrl },
      discord: { token: secrets.discord, apiRoot: `${discord.url}/api` },
      signal: {
        account: signal.account,
        transport: { url: signal.url.replace("http://", `http://openclaw:${secrets.signalPassword}@`) },
        reconnect: { initialMs: 200, maxMs: 1000 },
      },
    };
    writeFileSync(configPath, JSON.stringify(config));
    const gateway = await startGateway(home);

    // Every account is driven into its error path before anything is checked.
    let status: any;
    for (let tries = 0; tries < 100; tries += 1) {
      status = JSON.parse(await openclaw(home, "channels", "status", "--json"));
      const accounts = ["telegram", "slack", "discord", "signal"].map((id) => status.channels[id]?.accounts[0]);
      if (accounts.every((account) => account && !account.connected && account.state !== "starting" && typeof account.lastError === "string")) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    for (const id of ["telegram", "slack", "discord", "signal"]) {
      expect(status.channels[id].accounts[0], id).toMatchObject({ connected: false, lastError: expect.any(String) });
    }
    // The fakes really refused the credentials (the error path ran), at least once each.
    expect(telegram.server.requests.some((request) => request.path.includes(secrets.telegram))).toBe(true);
    const health = await openclaw(home, "gateway", "call", "health", "--params", '{"probe":true}', "--json");
    const outbox = await openclaw(home, "channels", "outbox", "list", "--json");
    const statusText = JSON.stringify(status);
    const logFile = join(home, ".openclaw", "logs", "gateway.log");
    // The Signal adapter's error quotes the daemon URL, credentials and all; the gateway logs it
    // once, so this line is where the logger's redaction has to work.
    const log = await waitFor("the Signal error in the log", () => {
      const text = readFileSync(logFile, "utf8");
      return text.includes("channel account signal/default reports an error") && text;
    });
    expect(log).toContain("http://[redacted]@127.0.0.1");
    expect(log).toMatch(/"alert":"channel-terminal","channel":"telegram","accountId":"default"/);
    const leaks = Object.values(secrets).flatMap((secret) => [secret, secret.split(":")[1] ?? secret].filter((part) => part.length >= 8));
    for (const secret of leaks) {
      expect(log, `log file leaks ${secret}`).not.toContain(secret);
      expect(statusText, `channels.status leaks ${secret}`).not.toContain(secret);
      expect(health, `health leaks ${secret}`).not.toContain(secret);
      expect(outbox).not.toContain(secret);
      expect(gateway.output(), `gateway output leaks ${secret}`).not.toContain(secret);
    }
  });
});
