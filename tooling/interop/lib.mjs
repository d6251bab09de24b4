// Helpers shared by the interop runners (run-cli-interop.mjs, run-handshake-errors.mjs,
// run-sdk-interop.mjs, run-node-interop.mjs): option parsing for "which gateway", starting a
// gateway on a free port with a fresh temp state dir (and optionally a config file), waiting
// for /readyz, and stopping its whole process tree.
//
// Plain Node ESM with node: built-ins only, so it runs on the repo's Node 20.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { homedir, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startGateway, stopGateway } from "./gateway-process.mjs";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const OPENCLAW_VERSION = "2026.9.6";

/** Usage lines for the gateway options every runner shares (see parseRunnerOptions); each
 * runner adds its own --keep-temp / --verbose lines. */
export const GATEWAY_OPTIONS_USAGE = `  --gateway-cmd CMD    command that runs a gateway in the foreground; gets --port P --token T appended
                       (env OPENCLAW_INTEROP_GATEWAY_CMD)
  --real-gateway       start the real OpenClaw gateway from the interop cache (the stand-in)
  --url URL --token T  use a gateway that is already running
  --node PATH          Node 24 binary (env OPENCLAW_INTEROP_NODE; default: the cache)
  --cli PATH           openclaw.mjs (env OPENCLAW_INTEROP_CLI; default: the cache)
  --start-timeout MS   how long to wait for the gateway to answer HTTP (default 90000)`;

export function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const ANSI = /\x1b\[[0-9;]*m/g;

export function textLines(text) {
  return text
    .replace(ANSI, "")
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "");
}

export function indent(text, max = 20) {
  const lines = text.replace(ANSI, "").trimEnd().split("\n");
  const shown = lines.slice(0, max).map((line) => `    ${line}`);
  if (lines.length > max) shown.push(`    … (${lines.length - max} more lines)`);
  return shown.join("\n");
}

export function shellQuote(value) {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Extra environment for every real OpenClaw process the runners start (gateway, node host),
 * so a run stays quiet and local (see NOTES.md "Quiet flags"):
 *   OPENCLAW_DISABLE_BONJOUR=1  no LAN mDNS/Bonjour advertising (`discovery.mdns.mode: "off"` in config does the same)
 *   OPENCLAW_NO_AUTO_UPDATE=1   no update check = no telemetry request (the daily GET to
 *                               telemetry.openclaw.ai is both), no node-host auto-update
 *                               (same as config `update.checkOnStart: false`)
 *   DO_NOT_TRACK=1              anonymous feature statistics off even if config enabled them
 *   OPENCLAW_NO_RESPAWN=1       no startup/update self-respawn into a detached child, so the
 *                               process the runner started is the one that runs
 * `openclaw gateway run` has no flags for any of these.
 */
export const REAL_OPENCLAW_QUIET_ENV = Object.freeze({
  OPENCLAW_DISABLE_BONJOUR: "1",
  OPENCLAW_NO_AUTO_UPDATE: "1",
  DO_NOT_TRACK: "1",
  OPENCLAW_NO_RESPAWN: "1",
});

/** The environment minus every OPENCLAW_* variable, so nothing from the caller's setup leaks in. */
export function cleanEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith("OPENCLAW_")) env[key] = value;
  }
  return { ...env, NO_COLOR: "1", ...extra };
}

/**
 * Parses the shared gateway options plus `extra` (parseArgs option specs). Returns the
 * shared ones as camelCase fields and the extra ones under `extra`. Throws on bad input.
 */
export function parseRunnerOptions(argv, extra = {}) {
  const { values } = parseArgs({
    args: argv,
    options: {
      "gateway-cmd": { type: "string" },
      "real-gateway": { type: "boolean", default: false },
      url: { type: "string" },
      token: { type: "string" },
      node: { type: "string" },
      cli: { type: "string" },
      "start-timeout": { type: "string", default: "90000" },
      "keep-temp": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      ...extra,
    },
  });
  const cache = process.env.OPENCLAW_INTEROP_CACHE || path.join(homedir(), ".cache", "openclaw-interop");
  const options = {
    gatewayCmd: values["gateway-cmd"] ?? process.env.OPENCLAW_INTEROP_GATEWAY_CMD,
    realGateway: values["real-gateway"],
    url: values.url,
    token: values.token,
    node: values.node ?? process.env.OPENCLAW_INTEROP_NODE ?? path.join(cache, "node24/node_modules/node/bin/node"),
    cli: values.cli ?? process.env.OPENCLAW_INTEROP_CLI ?? path.join(cache, `openclaw-${OPENCLAW_VERSION}/node_modules/openclaw/openclaw.mjs`),
    startTimeoutMs: Number(values["start-timeout"]),
    keepTemp: values["keep-temp"],
    verbose: values.verbose,
    help: values.help,
    extra: Object.fromEntries(Object.keys(extra).map((key) => [key, values[key]])),
  };
  const modes = [options.gatewayCmd, options.realGateway || undefined, options.url].filter(Boolean).length;
  if (options.help) return options;
  if (modes !== 1) throw new Error("pick exactly one of --gateway-cmd, --real-gateway, --url");
  if (options.url && !options.token) throw new Error("--url needs --token");
  if (!Number.isFinite(options.startTimeoutMs) || options.startTimeoutMs <= 0) throw new Error("--start-timeout must be a positive number of ms");
  return options;
}

/**
 * The runner skeleton: parse options (printing usage on error / --help), check that the
 * Node 24 + CLI files exist when needed, make a temp dir, start the gateway unless --url
 * was given, call `body({ options, url, token, tempDir })` and return its exit code, then
 * stop the gateway and remove the temp dir. SIGINT/SIGTERM clean up and exit 130.
 * Exit codes: whatever body returns (0 pass, 1 fail), 2 for setup failures.
 *
 *   needsCli: "always" (the runner runs the CLI) or "real-gateway" (only to start it).
 *   gatewayConfig: optional `(options) => object | undefined`; the object is written as the
 *     gateway's openclaw.json (OPENCLAW_CONFIG_PATH) before it starts. Not used with --url.
 * The real gateway always gets REAL_OPENCLAW_QUIET_ENV.
 */
export async function runWithGateway({ argv, usage, extraOptions, needsCli = "always", tempPrefix = "openclaw-interop-", gatewayConfig }, body) {
  let options;
  try {
    options = parseRunnerOptions(argv, extraOptions);
  } catch (error) {
    console.error(`${error.message}\n${usage}`);
    return 2;
  }
  if (options.help) {
    console.log(usage);
    return 0;
  }
  if (needsCli === "always" || options.realGateway) {
    for (const [what, file] of [
      ["Node 24", options.node],
      ["openclaw CLI", options.cli],
    ]) {
      if (!existsSync(file)) {
        console.error(`${what} not found at ${file}; run: bash tooling/interop/install.sh`);
        return 2;
      }
    }
  }

  const tempDir = await mkdtemp(path.join(tmpdir(), tempPrefix));
  let gateway;
  let interrupted = false;
  const onSignal = async () => {
    interrupted = true;
    if (gateway) await stopGateway(gateway);
    if (!options.keepTemp) await rm(tempDir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);

  try {
    let url = options.url;
    let token = options.token;
    if (!url) {
      // The real gateway needs loopback bind (its default is "auto" = 0.0.0.0), token
      // auth, and --allow-unconfigured because the temp state dir has no openclaw.json.
      const command = options.realGateway
        ? `${shellQuote(options.node)} ${shellQuote(options.cli)} gateway run --bind loopback --auth token --allow-unconfigured`
        : options.gatewayCmd;
      try {
        gateway = await startGateway({
          command,
          cwd: options.realGateway ? tempDir : REPO_ROOT,
          tempDir,
          startTimeoutMs: options.startTimeoutMs,
          env: options.realGateway ? REAL_OPENCLAW_QUIET_ENV : {},
          config: gatewayConfig?.(options),
          onSpawned: (spawned) => (gateway = spawned),
        });
      } catch (error) {
        if (interrupted) return 130; // onSignal is stopping everything and will exit
        console.error(`gateway failed to start: ${error.message}`);
        return 2;
      }
      url = gateway.url;
      token = gateway.token;
    }
    return await body({ options, url, token, tempDir, gateway });
  } finally {
    if (gateway) await stopGateway(gateway);
    if (options.keepTemp) console.log(`# temp dir kept: ${tempDir}`);
    else await rm(tempDir, { recursive: true, force: true });
  }
}

/** JSON of a value, cut to `max` characters for one-line reports. */
export function short(value, max = 400) {
  const text = JSON.stringify(value);
  return text === undefined ? "undefined" : text.length > max ? `${text.slice(0, max)}…` : text;
}

/** One line for an SDK error: name, message, and the wire fields that explain it. */
export function describeError(error) {
  if (!(error instanceof Error)) return String(error);
  const parts = [`${error.name}: ${error.message}`];
  if (error.code) parts.push(`code ${error.code}`);
  if (error.detailCode) parts.push(`details.code ${error.detailCode}`);
  if (error.details !== undefined) parts.push(`details ${short(error.details, 600)}`);
  if (error.closeCode !== undefined) parts.push(`close ${error.closeCode}`);
  if (error.retryable !== undefined) parts.push(`retryable ${error.retryable}`);
  return parts.join(", ");
}

/**
 * PASS/FAIL bookkeeping shared by the runners. `check(name, fn)`: `fn` returns null/undefined
 * (pass), a string (fail) or { problem?, detail? }; a throw is a failure.
 */
export function createChecklist({ verbose }) {
  const counts = { passed: 0, failed: 0 };
  const report = (name, problem, started, detail) => {
    if (problem) {
      counts.failed += 1;
      console.log(`FAIL ${name}: ${problem}`);
    } else {
      counts.passed += 1;
      console.log(`PASS ${name} (${Date.now() - started} ms)`);
    }
    if (detail !== undefined && (problem || verbose)) console.log(`    ${short(detail, 2000)}`);
  };
  const check = async (name, fn) => {
    const started = Date.now();
    try {
      const out = await fn();
      if (out === null || out === undefined) report(name, null, started);
      else if (typeof out === "string") report(name, out, started);
      else report(name, out.problem ?? null, started, out.detail);
      return !out || (typeof out === "object" && !out.problem);
    } catch (error) {
      report(name, describeError(error), started);
      return false;
    }
  };
  const notRun = (name, why) => {
    counts.failed += 1;
    console.log(`FAIL ${name}: not run (${why})`);
  };
  return { counts, check, notRun };
}
export { stopProcessTree } from "./gateway-process.mjs";
