#!/usr/bin/env node
// Runs the real OpenClaw 2026.9.6 CLI (on Node 24, from tooling/interop/install.sh's
// cache) against a gateway and checks that its read-only commands and `agent` succeed.
//
//   node tooling/interop/run-cli-interop.mjs --gateway-cmd "node apps/gateway/dist/cli.js gateway run"
//   node tooling/interop/run-cli-interop.mjs --real-gateway        # the real OpenClaw gateway, as a stand-in
//   node tooling/interop/run-cli-interop.mjs --url ws://127.0.0.1:18789 --token T
//
// With --gateway-cmd the runner appends `--port <free port> --token <random>`, runs the
// command from the repo root with a fresh temp state dir (OPENCLAW_STATE_DIR,
// OPENCLAW_CONFIG_PATH, HOME), waits until it answers HTTP, runs the checks and stops
// the gateway's whole process group. Exit code: 0 all passed, 1 a check failed,
// 2 setup failed (no CLI, gateway did not start).
//
// Plain Node ESM with node: built-ins only, so it runs on the repo's Node 20. Gateway
// start/stop and the shared options live in ./lib.mjs.
import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import path from "node:path";

import { GATEWAY_OPTIONS_USAGE, cleanEnv, indent, isPlainObject, parseJson, runWithGateway, textLines } from "./lib.mjs";

const USAGE = `usage: node tooling/interop/run-cli-interop.mjs (--gateway-cmd CMD | --real-gateway | --url URL --token T) [options]
${GATEWAY_OPTIONS_USAGE}
  --keep-temp          keep the temp dir (state, gateway log, CLI homes)
  --verbose            print every command's output, not only failing ones`;

// The five commands and what the real 2026.9.6 gateway's answer makes them print.
// See NOTES.md for what each one sends and reads.
const CHECKS = [
  {
    name: "gateway-call-health",
    args: (url, token) => ["gateway", "call", "health", "--url", url, "--token", token, "--json"],
    verify: (out) => {
      const value = parseJson(out.stdout);
      if (!isPlainObject(value)) return "stdout is not a JSON object";
      if (value.ok !== true) return `expected "ok": true, got ${JSON.stringify(value.ok)}`;
      return null;
    },
  },
  {
    name: "gateway-call-status",
    args: (url, token) => ["gateway", "call", "status", "--url", url, "--token", token, "--json"],
    verify: (out) => {
      const value = parseJson(out.stdout);
      if (!isPlainObject(value)) return "stdout is not a JSON object";
      if (typeof value.runtimeVersion !== "string") return 'no string "runtimeVersion" key';
      return null;
    },
  },
  {
    name: "gateway-call-system-presence",
    args: (url, token) => ["gateway", "call", "system-presence", "--url", url, "--token", token, "--json"],
    verify: (out) => {
      const value = parseJson(out.stdout);
      if (!Array.isArray(value)) return "stdout is not a JSON array";
      return null;
    },
  },
  {
    name: "gateway-health",
    args: (url, token) => ["gateway", "health", "--url", url, "--token", token],
    // Real output when the health RPC succeeds: "Gateway Health", then "OK (<durationMs>ms)"
    // ("OK" alone without durationMs), then one line per channel.
    verify: (out) => {
      const lines = textLines(out.stdout);
      if (lines[0] !== "Gateway Health") return `first line is ${JSON.stringify(lines[0] ?? "")}, expected "Gateway Health"`;
      if (!/^OK( \(\d+(\.\d+)?ms\))?$/.test(lines[1] ?? "")) return `second line is ${JSON.stringify(lines[1] ?? "")}, expected "OK (<n>ms)"`;
      return null;
    },
  },
  {
    name: "logs",
    args: (url, token) => ["logs", "--url", url, "--token", token, "--limit", "5"],
    // A gateway that has started has logged something, so expect at least one log line
    // besides the "Log file: <path>" header the CLI prints when logs.tail names a file.
    verify: (out) => {
      const lines = textLines(out.stdout).filter((line) => !line.startsWith("Log file: "));
      if (lines.length === 0) return "printed no log lines";
      if (lines.length > 5) return `printed ${lines.length} log lines for --limit 5`;
      return null;
    },
  },
  {
    name: "agent",
    // `openclaw agent` has no --url; it takes the gateway from the environment. Our gateway
    // answers with its embedded offline provider; the real one needs a model, so it is skipped there.
    ownGatewayOnly: true,
    args: () => ["agent", "-m", "interop hello", "--json"],
    env: (url, token) => ({ OPENCLAW_GATEWAY_URL: url, OPENCLAW_GATEWAY_TOKEN: token }),
    verify: (out) => {
      const value = parseJson(out.stdout);
      if (!isPlainObject(value)) return "stdout is not a JSON object";
      if (value.status !== "ok") return `expected "status": "ok", got ${JSON.stringify(value.status)}`;
      const text = value.result?.payloads?.[0]?.text;
      if (typeof text !== "string" || !text.includes("interop hello")) return `final reply does not echo the message: ${JSON.stringify(text)}`;
      return null;
    },
  },
];

function runCli({ node, cli, args, home, timeoutMs, env = {} }) {
  return new Promise((resolve) => {
    const started = Date.now();
    // cwd = the empty HOME too: the CLI loads ./.env from its working directory.
    const child = spawn(node, [cli, ...args], {
      cwd: home,
      stdio: ["ignore", "pipe", "pipe"],
      env: cleanEnv({ HOME: home, ...env }),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, ms: Date.now() - started });
    });
  });
}

async function main() {
  return runWithGateway({ argv: process.argv.slice(2), usage: USAGE, needsCli: "always" }, async ({ options, url, token, tempDir }) => {
    let passed = 0;
    let failed = 0;
    for (const check of CHECKS) {
      if (check.ownGatewayOnly && options.realGateway) continue;
      const home = await mkdtemp(path.join(tempDir, "cli-home-"));
      const out = await runCli({
        node: options.node,
        cli: options.cli,
        args: check.args(url, token),
        home,
        timeoutMs: 60_000,
        env: check.env?.(url, token) ?? {},
      });
      let reason;
      if (out.timedOut) reason = "timed out after 60 s";
      else if (out.code !== 0) reason = `exit code ${out.code ?? out.signal}`;
      else reason = check.verify(out);
      if (reason) {
        failed += 1;
        console.log(`FAIL ${check.name}: ${reason}`);
      } else {
        passed += 1;
        console.log(`PASS ${check.name} (${out.ms} ms)`);
      }
      if (reason || options.verbose) {
        console.log(`  $ openclaw ${check.args(url, "<token>").join(" ")}`);
        if (out.stdout.trim()) console.log(`  stdout:\n${indent(out.stdout)}`);
        if (out.stderr.trim()) console.log(`  stderr:\n${indent(out.stderr)}`);
      }
    }
    console.log(`${passed} passed, ${failed} failed`);
    return failed === 0 ? 0 : 1;
  });
}

process.exitCode = await main();
