import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTelegramFake, waitFor, type TelegramFake } from "@openclaw/testing";
import { doctorCommand, type DoctorOptions } from "../src/commands/doctor.js";
import { CliError, runGateway, type CommandIo, type RunningGateway } from "../src/index.js";
import { renderSystemdUnit, serviceFilePath } from "../src/service/unit-files.js";
import { freePort } from "./free-port.js";

/** `openclaw doctor`: each check failing in a fixture, then passing. */

let home: string;
let gateway: RunningGateway | undefined;
let fake: TelegramFake | undefined;
let squatter: Server | undefined;
afterEach(async () => {
  await gateway?.stop();
  await fake?.close();
  squatter?.close();
  gateway = fake = squatter = undefined;
  rmSync(home, { recursive: true, force: true });
});

const SERVICE = { nodePath: "/usr/bin/node", cliPath: "/opt/openclaw/cli.js" };

interface Report {
  ok: boolean;
  checks: { id: string; status: string; detail: string; fix?: string; repaired?: boolean }[];
}

async function doctor(options: Partial<DoctorOptions> = {}, env: NodeJS.ProcessEnv = {}): Promise<Report> {
  let out = "";
  const io: CommandIo = { stdout: { write: (text: string) => void (out += text) }, stderr: { write: () => undefined }, env, homedir: home, cwd: home };
  const limitsFile = join(home, "limits");
  const failed = await doctorCommand(io, { json: true, platform: "linux", service: SERVICE, nodeVersion: "24.1.0", limitsFile, ...options }).then(
    () => false,
    (error: unknown) => {
      expect(error).toBeInstanceOf(CliError);
      return true;
    },
  );
  const report = JSON.parse(out) as Report;
  expect(report.ok).toBe(!failed);
  return report;
}

const check = (report: Report, id: string) => report.checks.find((entry) => entry.id === id)!;
const stateDir = () => join(home, ".openclaw");
const writeConfig = (config: unknown) => writeFileSync(join(stateDir(), "openclaw.json"), JSON.stringify(config), { mode: 0o600 });
const limits = (soft: number) =>
  writeFileSync(
    join(home, "limits"),
    `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                 1048576              files\n`,
  );

function freshHome(): void {
  home = mkdtempSync(join(tmpdir(), "openclaw-doctor-"));
  mkdirSync(stateDir(), { mode: 0o700 });
  limits(65536);
}

describe("openclaw doctor", () => {
  it("passes on a fresh machine and skips what is not set up, exiting zero", async () => {
    freshHome();
    // A port nobody holds: the default one may be in use by another gateway on this machine.
    writeConfig({ gateway: { port: await freePort() } });
    const report = await doctor();
    expect(Object.fromEntries(report.checks.map((entry) => [entry.id, entry.status]))).toEqual({
      config: "pass",
      "state-files": "pass",
      port: "pass",
      store: "pass",
      "dm-policy": "skip",
      channels: "skip",
      model: "pass",
      node: "pass",
      "fd-limit": "pass",
      service: "skip",
    });
  });

  it("fails an invalid config, a taken port, a damaged store and an unsupported Node, naming each fix", async () => {
    freshHome();
    writeConfig({ gateway: { port: "abc" } });
    const broken = await doctor({ nodeVersion: "18.20.0" });
    expect(check(broken, "config")).toMatchObject({ status: "fail", detail: 'config key gateway.port: expected integer 1..65535, got "abc"' });
    expect(check(broken, "node")).toMatchObject({ status: "fail", fix: "install Node 22 or 24" });
    expect(check(broken, "model")).toMatchObject({ status: "skip" });
    expect((await doctor({ nodeVersion: "20.19.0" })).checks.find((entry) => entry.id === "node")).toMatchObject({ status: "warn" });
    for (const outside of ["20.18.1", "22.12.0", "23.11.0"]) expect(check(await doctor({ nodeVersion: outside }), "node").status).toBe("fail");
    expect(check(await doctor({ nodeVersion: "22.13.0" }), "node").status).toBe("pass");

    squatter = createServer();
    const taken = await new Promise<number>((resolve) => squatter!.listen(0, "127.0.0.1", () => resolve((squatter!.address() as { port: number }).port)));
    writeConfig({ gateway: { port: taken }, agents: { defaults: { model: "openai/gpt-5" } } });
    mkdirSync(join(stateDir(), "state"), { recursive: true });
    writeFileSync(join(stateDir(), "state", "openclaw.sqlite"), "this is not a database", { mode: 0o600 });
    const report = await doctor();
    expect(check(report, "port")).toMatchObject({ status: "fail", detail: `port ${taken} is in use by another process` });
    expect(check(report, "store")).toMatchObject({ status: "fail", fix: "restore a backup: openclaw backup restore <file> --force" });
    expect(check(report, "model")).toMatchObject({ status: "fail", detail: expect.stringContaining("OPENAI_API_KEY is not set") });
    // Nothing listens at port 9: the provider is configured right but does not answer.
    writeConfig({
      agents: { defaults: { model: "local/m1" } },
      models: { providers: { local: { api: "openai-compatible", baseUrl: "http://127.0.0.1:9/v1" } } },
    });
    expect(check(await doctor(), "model")).toMatchObject({ status: "warn", detail: expect.stringContaining("local/m1: its provider did not answer") });
  });

  it("warns about wide file modes, a low file limit, an audit finding and a stale unit; --fix repairs the modes", async () => {
    freshHome();
    writeConfig({ channels: { telegram: { botToken: "123:abc", enabled: false, dmPolicy: "pairing", allowFrom: ["*"] } } });
    chmodSync(join(stateDir(), "openclaw.json"), 0o644);
    chmodSync(stateDir(), 0o755);
    limits(256);
    const unit = serviceFilePath("linux", home);
    mkdirSync(join(unit, ".."), { recursive: true });
    writeFileSync(unit, renderSystemdUnit({ nodePath: "/old/node", cliPath: "/old/cli.js" }));

    const report = await doctor();
    expect(report.ok).toBe(true);
    expect(check(report, "state-files")).toMatchObject({ status: "warn", detail: expect.stringContaining("openclaw.json is 644, should be 600") });
    expect(check(report, "fd-limit")).toMatchObject({ status: "warn", detail: "256 open files: each connection and channel takes one" });
    expect(check(report, "dm-policy")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining('channels.telegram.allowFrom contains "*" but dmPolicy is "pairing"'),
    });
    expect(check(report, "service")).toMatchObject({ status: "warn", fix: "openclaw gateway install" });

    const fixed = await doctor({ fix: true });
    expect(check(fixed, "state-files")).toMatchObject({ status: "pass", repaired: true });
    expect(statSync(join(stateDir(), "openclaw.json")).mode & 0o777).toBe(0o600);
    expect(statSync(stateDir()).mode & 0o777).toBe(0o700);
    writeFileSync(unit, renderSystemdUnit(SERVICE));
    expect(check(await doctor(), "service")).toMatchObject({ status: "pass" });
  });

  it("asks each channel's provider about its credential, directly or through the running gateway", { timeout: 30_000 }, async () => {
    freshHome();
    fake = await startTelegramFake();
    const account = (token: string) => ({ botToken: token, apiRoot: fake!.apiRoot, polling: { timeoutSeconds: 1 }, dmPolicy: "open", allowFrom: ["*"] });
    writeConfig({ channels: { telegram: { accounts: { good: account(fake.token), bad: account("999:refused") } } } });
    const stopped = await doctor();
    expect(check(stopped, "channels")).toMatchObject({
      status: "fail",
      detail: "telegram/bad: the bot token was refused (401 Unauthorized); check botToken",
    });

    const sink = { write: () => true };
    gateway = await runGateway({ io: { stdout: sink, stderr: sink, env: {}, homedir: home, cwd: home }, flags: { port: await freePort() }, stdout: "off" });
    const running = gateway;
    await waitFor("both accounts to settle", () =>
      running.server.channels!.snapshot().channels["telegram"]?.accounts.every((entry) => entry.state !== "starting"),
    );
    const report = await doctor();
    expect(check(report, "port")).toMatchObject({ status: "pass", detail: expect.stringContaining("this gateway listens on") });
    expect(check(report, "channels")).toMatchObject({ status: "fail", detail: expect.stringMatching(/^telegram\/bad: /) });
    expect(check(report, "channels").detail).not.toContain("telegram/good");
  });
});
