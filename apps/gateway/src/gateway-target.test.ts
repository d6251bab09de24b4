import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliError } from "./errors.js";
import { describeTarget, resolveGatewayTarget, type TargetFlags } from "./gateway-target.js";
import type { CommandIo } from "./io.js";

let home: string;
let stateDir: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "openclaw-target-"));
  stateDir = join(home, ".openclaw");
  mkdirSync(stateDir);
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

function writeConfig(config: unknown): void {
  writeFileSync(join(stateDir, "openclaw.json"), JSON.stringify(config));
}

/** A lock file as `openclaw gateway run` leaves it, held by a live process (this one) or a dead one. */
function writeLock(port: number, pid = process.pid): void {
  writeFileSync(join(stateDir, "gateway.lock"), JSON.stringify({ pid, port, startedAt: new Date().toISOString(), stateDir }));
}

function resolve(flags: TargetFlags = {}, env: NodeJS.ProcessEnv = {}) {
  const io: CommandIo = { stdout: { write: () => true }, stderr: { write: () => true }, env, homedir: home, cwd: home };
  return resolveGatewayTarget(io, flags);
}

const LOCAL = { gateway: { port: 18800, auth: { token: "local-token" } } };
const REMOTE = {
  gateway: { mode: "remote", port: 18800, auth: { token: "local-token" }, remote: { url: "ws://gw.example.test:18789", token: "remote-token" } },
};

describe("where client commands connect", () => {
  it("finds the running local gateway's port in the lock file, with the config's token", async () => {
    writeConfig(LOCAL);
    writeLock(19101);
    const target = await resolve();
    expect(target).toMatchObject({ url: "ws://127.0.0.1:19101", urlSource: "lock-file", token: "local-token", credentialSource: "local-config" });
    expect(describeTarget(target)).toBe(
      `gateway ws://127.0.0.1:19101 (running local gateway (pid ${process.pid}), port from the lock file); token from config (gateway.auth.token)`,
    );
  });

  it("without a live lock holder, uses gateway.port, then 18789", async () => {
    writeConfig(LOCAL);
    const dead = spawnSync(process.execPath, ["-e", ""]).pid;
    writeLock(19101, dead);
    expect(await resolve()).toMatchObject({ url: "ws://127.0.0.1:18800", urlSource: "config-port" });
    writeConfig({ gateway: { auth: { token: "local-token" } } });
    const target = await resolve();
    expect(target).toMatchObject({ url: "ws://127.0.0.1:18789", urlSource: "default" });
    expect(target.urlFrom).toBe(`the default port; no running gateway found in ${stateDir}`);
  });

  it("--url beats the environment, which beats remote mode, which beats the lock file", async () => {
    writeConfig(REMOTE);
    writeLock(19101);
    expect(await resolve()).toMatchObject({ url: "ws://gw.example.test:18789", urlSource: "remote-config" });
    const env = { OPENCLAW_GATEWAY_URL: "ws://127.0.0.1:19202" };
    expect(await resolve({}, env)).toMatchObject({ url: "ws://127.0.0.1:19202", urlSource: "env" });
    expect(await resolve({ url: "ws://127.0.0.1:19303" }, env)).toMatchObject({ url: "ws://127.0.0.1:19303", urlSource: "flag" });
    // OPENCLAW_GATEWAY_PORT is the environment's word on the local port, and beats the lock file.
    writeConfig(LOCAL);
    expect(await resolve({}, { OPENCLAW_GATEWAY_PORT: "19404" })).toMatchObject({ url: "ws://127.0.0.1:19404", urlSource: "env-port" });
  });

  it("an explicit loopback --url uses the config's token; any other host does not get it", async () => {
    writeConfig(LOCAL);
    expect(await resolve({ url: "ws://127.0.0.1:19101" })).toMatchObject({ token: "local-token", credentialSource: "local-config" });
    expect(await resolve({ url: "ws://localhost:19101" })).toMatchObject({ token: "local-token" });
    expect(await resolve({ url: "ws://[::1]:19101" })).toMatchObject({ token: "local-token" });
    const elsewhere = await resolve({ url: "ws://192.0.2.7:18789" });
    expect(elsewhere).toMatchObject({ credentialSource: "missing" });
    expect(elsewhere.token).toBeUndefined();
  });

  it("flags beat the environment, which beats gateway.remote.token, which beats the local config", async () => {
    writeConfig(REMOTE);
    expect(await resolve()).toMatchObject({ token: "remote-token", credentialSource: "remote-config", credentialFrom: "token from gateway.remote.token" });
    const env = { OPENCLAW_GATEWAY_TOKEN: "env-token" };
    expect(await resolve({}, env)).toMatchObject({ token: "env-token", credentialSource: "env" });
    expect(await resolve({ token: "flag-token" }, env)).toMatchObject({ token: "flag-token", credentialSource: "flag" });
    expect(await resolve({}, { OPENCLAW_GATEWAY_PASSWORD: "env-pass" })).toMatchObject({
      password: "env-pass",
      credentialFrom: "password from OPENCLAW_GATEWAY_PASSWORD",
    });
  });

  it("sends gateway.remote.token only to gateway.remote.url, and the local token never to the remote URL", async () => {
    writeConfig(REMOTE);
    // The remote URL named on the command line still gets the remote token.
    expect(await resolve({ url: "ws://gw.example.test:18789" })).toMatchObject({ token: "remote-token" });
    expect(await resolve({ url: "ws://other.example.test:18789" })).toMatchObject({ credentialSource: "missing" });
    // A loopback remote URL (an SSH tunnel) gets the remote token, not the local one.
    writeConfig({ gateway: { mode: "remote", auth: { token: "local-token" }, remote: { url: "ws://127.0.0.1:28789" } } });
    expect(await resolve()).toMatchObject({ url: "ws://127.0.0.1:28789", credentialSource: "missing" });
  });

  it("pins gateway.remote.tlsFingerprint for the remote URL, and refuses it on a ws:// URL", async () => {
    const pin = "AB:".repeat(31) + "AB";
    writeConfig({ gateway: { mode: "remote", remote: { url: "wss://gw.example.test:18789", token: "t", tlsFingerprint: pin } } });
    expect(await resolve()).toMatchObject({ tlsFingerprint: pin, tlsFingerprintFrom: "gateway.remote.tlsFingerprint" });
    expect(await resolve({ tlsFingerprint: "cd".repeat(32) })).toMatchObject({ tlsFingerprint: "cd".repeat(32), tlsFingerprintFrom: "--tls-fingerprint" });
    writeConfig({ gateway: { mode: "remote", remote: { url: "ws://gw.example.test:18789", token: "t", tlsFingerprint: pin } } });
    await expect(resolve()).rejects.toThrow(/gateway\.remote\.tlsFingerprint pins a certificate, but the gateway URL gw\.example\.test:18789 is not wss:\/\//);
  });

  it("needs no credential for a local gateway with auth mode none", async () => {
    writeConfig({ gateway: { auth: { mode: "none" } } });
    expect(await resolve()).toMatchObject({ credentialSource: "none-needed" });
  });

  it("names what is wrong: remote mode without a URL, a bad URL or port", async () => {
    writeConfig({ gateway: { mode: "remote" } });
    await expect(resolve()).rejects.toThrow(/gateway\.mode is "remote" but gateway\.remote\.url is not set/);
    await expect(resolve({ url: "http://127.0.0.1:1" })).rejects.toThrow('--url: expected a ws:// or wss:// URL, got "http://127.0.0.1:1"');
    writeConfig(LOCAL);
    await expect(resolve({}, { OPENCLAW_GATEWAY_PORT: "abc" })).rejects.toThrow(CliError);
  });

  it("does not read the config when the command line says where and with what", async () => {
    writeFileSync(join(stateDir, "openclaw.json"), "{ not json5");
    expect(await resolve({ url: "ws://127.0.0.1:1", token: "t" })).toMatchObject({ url: "ws://127.0.0.1:1", token: "t" });
    await expect(resolve()).rejects.toThrow(/pass --url and --token/);
  });
});
