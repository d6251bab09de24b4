import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tar from "tar";
import { afterEach, describe, expect, it } from "vitest";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import type { RunningGateway } from "../src/index.js";
import { cliOk, cliRefusal, runCli, startGatewayIn } from "./helpers.js";

/** `openclaw backup create|verify|restore`: a state dir carried to an empty one with sessions, pairings and the outbox. */

const homes: string[] = [];
const gateways: RunningGateway[] = [];
let fake: TelegramFake | undefined;
afterEach(async () => {
  for (const gateway of gateways.splice(0)) await gateway.stop();
  await fake?.close();
  fake = undefined;
  for (const home of homes.splice(0)) rmSync(home, { recursive: true, force: true });
});

function newHome(): string {
  const home = mkdtempSync(join(tmpdir(), "openclaw-backup-"));
  homes.push(home);
  return home;
}

async function start(home: string): Promise<RunningGateway> {
  const gateway = await startGatewayIn(home);
  gateways.push(gateway);
  return gateway;
}

const cli = cliOk;
const refusal = cliRefusal;

describe("openclaw backup", () => {
  it("carries sessions, paired devices and the outbox into an empty state dir, taken while the gateway runs", { timeout: 60_000 }, async () => {
    const first = newHome();
    fake = await startTelegramFake();
    const gateway = await start(first);
    await cli(
      first,
      "channels",
      "add",
      "--channel",
      "telegram",
      "--token",
      fake.token,
      "--set",
      `apiRoot=${fake.apiRoot}`,
      "--set",
      "polling={ timeoutSeconds: 1 }",
    );
    await waitFor("the bot to connect", () => gateway.server.channels!.snapshot().channels["telegram"]?.accounts[0]?.connected);
    await cli(first, "agent", "-m", "remember the tea");
    await cli(first, "send", "--channel", "telegram", "--to", "4242", "--message", "kept in the outbox");
    const deviceId = (JSON.parse(readFileSync(join(first, ".openclaw", "identity", "cli-device.json"), "utf8")) as { deviceId: string }).deviceId;

    const archive = join(first, "state.tar.gz");
    expect(await cli(first, "backup", "create", "--out", archive)).toMatch(/^Backed up 2 files of .* \(\d+ bytes, mode 0600; it holds secrets\)\n$/);
    await expect(refusal(first, "backup", "restore", archive)).resolves.toMatch(/a gateway is running on this state dir/);
    await gateway.stop();
    const verified = JSON.parse(await cli(first, "backup", "verify", archive, "--json")) as { ok: boolean; findings: { check: string; ok: boolean }[] };
    expect(verified.ok).toBe(true);
    expect(verified.findings.map((finding) => finding.check)).toEqual(["files", "store", "config"]);

    const second = newHome();
    expect(await cli(second, "backup", "restore", archive)).toMatch(/Restored 2 files into /);
    expect(await refusal(second, "backup", "restore", archive)).toMatch(/restoring would replace .*; pass --force/);
    await start(second);
    const sessions = JSON.parse(await cli(second, "gateway", "call", "sessions.list", "--json")) as { sessions: { key: string }[] };
    expect(sessions.sessions.map((session) => session.key)).toContain("agent:main:main");
    const history = JSON.parse(await cli(second, "gateway", "call", "chat.history", "--params", '{"sessionKey":"agent:main:main"}', "--json")) as {
      messages: { content: unknown }[];
    };
    expect(JSON.stringify(history.messages)).toContain("remember the tea");
    const devices = JSON.parse(await cli(second, "devices", "list", "--json")) as { paired: { deviceId: string }[] };
    expect(devices.paired.map((device) => device.deviceId)).toContain(deviceId);
    const outbox = JSON.parse(await cli(second, "channels", "outbox", "list", "--json")) as { entries: { preview: string; status: string }[] };
    expect(outbox.entries).toEqual([expect.objectContaining({ preview: "kept in the outbox", status: "sent", channel: "telegram", chatId: "4242" })]);
  });

  it("fails verification for a changed file or a path outside the layout, and restores nothing", async () => {
    const home = newHome();
    await cli(home, "config", "set", "gateway.port", "19101");
    const archive = join(home, "config.tar.gz");
    await cli(home, "backup", "create", "--out", archive);

    const unpacked = join(home, "unpacked");
    mkdirSync(unpacked);
    await tar.extract({ file: archive, cwd: unpacked });
    writeFileSync(join(unpacked, "openclaw.json"), '{ "gateway": { "port": 19999 } }\n');
    mkdirSync(join(unpacked, "extra"));
    writeFileSync(join(unpacked, "extra", "evil.sh"), "echo owned\n");
    const tampered = join(home, "tampered.tar.gz");
    await tar.create({ gzip: true, file: tampered, cwd: unpacked }, ["manifest.json", "openclaw.json", "extra/evil.sh"]);

    const { out, error } = await runCli(home, "backup", "verify", tampered);
    expect(error?.message).toBe("the backup failed verification");
    expect(out).toContain("FAIL paths: refused entries outside the backup layout: extra/evil.sh");
    expect(out).toContain("FAIL openclaw.json: its SHA-256 sum does not match the manifest");

    const target = newHome();
    expect(await refusal(target, "backup", "restore", tampered)).toBe("the backup failed verification; nothing was restored");
    expect(() => readFileSync(join(target, ".openclaw", "openclaw.json"))).toThrow(/ENOENT/);
    expect(await refusal(target, "backup", "verify", join(home, "missing.tar.gz"))).toMatch(/^no backup at /);
  });
});
