import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiFake } from "@openclaw/testing";
import { runGateway, type RunningGateway } from "../src/index.js";
import { freePort } from "./free-port.js";
import { cliOk } from "./helpers.js";
import { openTerminal, type Terminal } from "./tmux.js";

/**
 * `openclaw tui` as a user runs it: the built binary in a real terminal (tmux), against a real
 * gateway with the offline echo model, found the way every client command finds it (the lock
 * file's port, the config's token). Keys go in with `send-keys`; the screen is read with
 * `capture-pane` until the expected text shows, within an overall limit.
 */

const CLI = fileURLToPath(new URL("../dist/cli.js", import.meta.url));

let home: string;
let port: number;
let gateway: RunningGateway | undefined;
let slowModel: Awaited<ReturnType<typeof startOpenAiFake>> | undefined;

function startGateway(): Promise<RunningGateway> {
  const sink = { write: () => true };
  return runGateway({ io: { stdout: sink, stderr: sink, env: {}, homedir: home, cwd: home }, flags: { port }, stdout: "off" });
}

let terminal: Terminal | undefined;

/** Polls the screen until `expected` shows; fails with the last screen. */
const waitForScreen = (expected: string | RegExp) => terminal!.shows(expected);

/** Type a line, then press Enter on its own (as a user does). */
async function typeLine(text: string): Promise<void> {
  await terminal!.type(text);
  await terminal!.keys("Enter");
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), "openclaw-tui-"));
  port = await freePort();
  // A model that streams a few words and then holds the reply open, so a reply can be seen mid-stream and aborted.
  slowModel = await startOpenAiFake({ script: [{ kind: "hang", chunks: ["partial words from the slow model"] }] });
  mkdirSync(join(home, ".openclaw"), { recursive: true });
  writeFileSync(
    join(home, ".openclaw", "openclaw.json"),
    JSON.stringify({
      agents: { defaults: { heartbeat: { enabled: false } } },
      models: { providers: { slow: { api: "openai-compatible", baseUrl: `${slowModel.url}/v1`, models: [{ id: "held" }] } } },
    }),
    { mode: 0o600 },
  );
  gateway = await startGateway();
  // History the TUI must show on start.
  await cliOk(home, "agent", "--message", "seeded before the tui started");
}, 60_000);

afterAll(async () => {
  await terminal?.close();
  await gateway?.stop();
  await slowModel?.close();
  rmSync(home, { recursive: true, force: true });
});

describe("openclaw tui in a terminal", () => {
  it(
    "shows the history, streams a reply that Esc aborts, answers slash commands, switches sessions, and survives a gateway restart",
    { timeout: 180_000 },
    async () => {
      // Its own tmux server with only this environment: no CI, so Ink draws live.
      terminal = await openTerminal(
        `sh -c "'${process.execPath}' '${CLI}' tui; echo tui exited with \\$?; sleep 600"`,
        { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: home, LANG: "C.UTF-8" },
        { columns: 120, rows: 40 },
      );

      // History on start, and the status line once connected.
      await waitForScreen("Echo: seeded before the tui started");
      await waitForScreen(/● connected · agent:main:main · offline\/echo/);

      // A message, and the assistant's reply.
      await typeLine("hello from tmux");
      await waitForScreen(/you\s+hello from tmux[\s\S]*assistant Echo: hello from tmux/);

      // A gateway command, answered by the gateway (not the model).
      await typeLine("/think high");
      const thought = await waitForScreen("takes no thinking levels");
      expect(thought).not.toContain("Echo: /think high");

      // Tab completes a command name; /help lists commands.list locally.
      await terminal!.type("/mode");
      await terminal!.keys("Tab");
      await waitForScreen(/> \/model\s/);
      await terminal!.keys("C-u");
      await typeLine("/help");
      await waitForScreen(/\/compact\s+Compact the session context\.[\s\S]*TUI commands:/);

      // /sessions lists and switches; a new key starts a session of its own.
      await typeLine("/sessions agent:main:side");
      await waitForScreen(/agent:main:side: no messages yet[\s\S]*● connected · agent:main:side/);
      await typeLine("on the side");
      await waitForScreen("assistant Echo: on the side");

      // A reply shows while it streams, and Esc aborts it.
      await typeLine("/model slow/held");
      await waitForScreen(/● connected · agent:main:side · slow\/held/);
      await typeLine("take your time");
      await waitForScreen(/assistant partial words from the slow model▍[\s\S]*replying… \(Esc aborts\)/);
      await terminal!.keys("Escape");
      const aborted = await waitForScreen(/partial words from the slow model\s+· +\(run aborted\)/);
      expect(aborted).not.toContain("replying…");

      await typeLine("/sessions");
      const listed = await waitForScreen(/Sessions \(switch with/);
      const main = listed.match(/(\d+)\. agent:main:main/);
      expect(main, listed).not.toBeNull();
      await typeLine(`/sessions ${main![1]}`);
      await waitForScreen(/Echo: hello from tmux[\s\S]*● connected · agent:main:main/);

      // The gateway goes away: the status line says so, and the TUI comes back when it does.
      await gateway!.stop();
      gateway = undefined;
      await waitForScreen("reconnecting…");
      gateway = await startGateway();
      await waitForScreen("reconnected; history reloaded");
      await waitForScreen(/● connected · agent:main:main/);
      await typeLine("after the restart");
      await waitForScreen("assistant Echo: after the restart");

      await typeLine("/quit");
      await waitForScreen("tui exited with 0");
    },
  );

  it("refuses to run without a terminal, as `tui` and as `chat`", { timeout: 60_000 }, async () => {
    for (const command of ["tui", "chat"]) {
      const child = spawn(process.execPath, [CLI, command], { env: { PATH: process.env["PATH"] ?? "", HOME: home }, stdio: ["pipe", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect(code, stderr).toBe(1);
      expect(stderr).toContain("openclaw tui needs a terminal; use `openclaw agent --message …` in scripts");
    }
  });
});
