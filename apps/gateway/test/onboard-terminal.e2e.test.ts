import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startOpenAiFake, startTelegramFake } from "@openclaw/testing";
import { freePort } from "./free-port.js";
import { openTerminal, type Terminal } from "./tmux.js";

/** `openclaw onboard` on a real terminal (tmux), answered key by key as a person would. */

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function onboardIn(home: string, ...args: string[]): Promise<Terminal> {
  const line = [process.execPath, CLI, "onboard", ...args].map((part) => `'${part}'`).join(" ");
  const terminal = await openTerminal(`sh -c "${line.replaceAll('"', '\\"')}; echo onboard exited \\$?; sleep 600"`, {
    HOME: home,
    PATH: process.env["PATH"] ?? "",
  });
  cleanups.push(() => terminal.close());
  return terminal;
}

async function clearAndType(terminal: Terminal, text: string): Promise<void> {
  await terminal.keys(...Array<string>(40).fill("BSpace"));
  await terminal.type(text);
  await terminal.keys("Enter");
}

describe("openclaw onboard on a terminal", () => {
  it("asks each question, re-asks a refused key, checks the Telegram token, and writes the answers", { timeout: 120_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), "openclaw-onboard-tty-"));
    cleanups.push(() => rmSync(home, { recursive: true, force: true }));
    const telegram = await startTelegramFake();
    cleanups.push(() => telegram.close());
    const model = await startOpenAiFake({ apiKey: "sk-terminal", models: ["fake-model"], script: [] });
    cleanups.push(() => model.close());
    const port = await freePort();

    const terminal = await onboardIn(home, "--channel-set", `apiRoot=${telegram.apiRoot}`);
    await terminal.shows("Port for the gateway");
    await clearAndType(terminal, String(port));
    await terminal.shows("Who may reach it");
    await terminal.keys("Enter");
    await terminal.shows("How clients prove who they are");
    await terminal.keys("Enter");

    const answerModel = async (key: string, round: number) => {
      await terminal.shows("The model that answers", round);
      await terminal.keys("Down", "Down", "Down", "Enter");
      await terminal.shows("A short name for this provider", round);
      await clearAndType(terminal, "fake");
      await terminal.shows("Its base URL", round);
      await clearAndType(terminal, model.url);
      await terminal.shows("Model name", round);
      await clearAndType(terminal, "fake-model");
      await terminal.shows("API key (leave empty", round);
      await terminal.type(key);
      await terminal.keys("Enter");
    };
    await answerModel("sk-wrong", 1);
    await terminal.shows(/the model provider refused the API key/);
    await terminal.shows("Keep this answer anyway?");
    await terminal.keys("Enter"); // "Answer again" is the default
    await answerModel("sk-terminal", 2);
    await terminal.shows("accepted the key and lists fake-model");

    await terminal.shows("A channel to reach the assistant on");
    await terminal.keys("Enter"); // Telegram
    await terminal.shows("Who may message the assistant directly");
    await terminal.keys("Down", "Down", "Enter"); // Anyone
    await terminal.shows("Telegram bot token");
    await terminal.type("12345");
    await terminal.keys("Enter");
    await terminal.shows("a bot token looks like 123456:ABC-");
    await terminal.keys(...Array<string>(10).fill("BSpace"));
    await terminal.type(telegram.token);
    await terminal.keys("Enter");
    await terminal.shows(/telegram accepted the credentials: @\w+/);
    await terminal.shows("Install the gateway as a service");
    await terminal.keys("Enter"); // No
    const screen = await terminal.shows("onboard exited 0");

    expect(screen).not.toContain("sk-terminal");
    expect(screen).not.toContain(telegram.token);
    const token = /Gateway token \([^)]*\):\s+(\S+)/.exec(screen.replaceAll(/│\s*/g, ""))?.[1];
    const config = JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8"));
    expect(config).toEqual({
      gateway: { port, bind: "loopback", auth: { mode: "token", token } },
      agents: { defaults: { model: "fake/fake-model" } },
      models: { providers: { fake: { api: "openai-compatible", baseUrl: model.url, apiKey: "sk-terminal" } } },
      channels: { telegram: { botToken: telegram.token, dmPolicy: "open", allowFrom: ["*"], apiRoot: telegram.apiRoot } },
    });

    // A second run starts from what is there: Enter keeps each answer (an empty key keeps the stored one),
    // and Ctrl-C leaves the file untouched.
    const again = await onboardIn(home);
    const second = await again.shows("Port for the gateway");
    expect(second).toContain(String(port));
    await again.keys("Enter");
    await again.shows("Who may reach it");
    await again.keys("Enter");
    expect(await again.shows("How clients prove who they are")).toMatch(/● Keep the current credential/);
    await again.keys("Enter");
    expect(await again.shows("The model that answers")).toMatch(/● Another OpenAI-compatible server/);
    await again.keys("Enter");
    for (const question of ["A short name for this provider", "Its base URL", "Model name", "API key (leave empty"]) {
      await again.shows(question);
      await again.keys("Enter");
    }
    await again.shows("accepted the key and lists fake-model");
    expect(await again.shows("A channel to reach the assistant on")).toMatch(/● Telegram/);
    await again.keys("Enter");
    expect(await again.shows("Who may message the assistant directly")).toMatch(/● Anyone/);
    await again.keys("C-c");
    await again.shows("setup cancelled; nothing was written");
    await again.shows("onboard exited 130");
    expect(JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8"))).toEqual(config);
  });
});
