// The gateway under soak: the real binary (apps/gateway/dist/cli.js gateway run) as a child
// process on a fresh temp state dir and home, loopback, token auth, with tooling/soak/preload.mjs
// loaded to report its heap and event-loop delay. Also what the soak reads about it: RSS from
// /proc, the preload's metric lines, and the error lines of its JSON log file.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import http from "node:http";
import { cpus, tmpdir, totalmem } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import { freePort } from "../bench/common.mjs";
import { summarizeSmaps } from "./smaps.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, "../..");
const require = createRequire(path.join(ROOT, "packages/gateway-core/package.json"));
/** `ws`, resolved where the gateway resolves it (Node 20 has no global WebSocket). */
export const WebSocket = require("ws");

/** A workspace package's built entry, imported by path (tooling does not depend on every package). */
export const importBuilt = (relative) => import(pathToFileURL(path.join(ROOT, relative)).href);

function healthz(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/healthz", agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => {
      req.destroy();
      resolve(false);
    });
  });
}

/**
 * Start the gateway with `config` as its config file; resolves once /healthz answers.
 * `warmupMs` tells the preload when to start its after-warm-up delay histogram.
 */
export async function startGateway({ config, warmupMs, sampleMs }) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const dir = mkdtempSync(path.join(tmpdir(), "openclaw-soak-"));
  const stateDir = path.join(dir, "state");
  mkdirSync(stateDir);
  mkdirSync(path.join(dir, "home"));
  const configPath = path.join(stateDir, "openclaw.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2), { mode: 0o600 });
  const metricsFile = path.join(dir, "metrics.jsonl");
  const env = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith("OPENCLAW_") && !key.startsWith("SOAK_")) env[key] = value;
  Object.assign(env, {
    NO_COLOR: "1",
    HOME: path.join(dir, "home"),
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    SOAK_METRICS_FILE: metricsFile,
    SOAK_WARMUP_MS: String(warmupMs),
    SOAK_SAMPLE_MS: String(sampleMs),
  });
  const args = ["--import", pathToFileURL(path.join(HERE, "preload.mjs")).href, "apps/gateway/dist/cli.js", "gateway", "run"];
  args.push("--port", String(port), "--bind", "loopback", "--auth", "token", "--token", token, "--log-format", "off");
  const began = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr = (stderr + chunk).slice(-8000)));
  while (!(await healthz(port))) {
    if (child.exitCode !== null) throw new Error(`the gateway exited ${child.exitCode} at start: ${stderr}`);
    if (performance.now() - began > 30_000) {
      child.kill("SIGKILL");
      throw new Error(`the gateway was not listening on ${port} after 30 s: ${stderr}`);
    }
    await sleep(20);
  }
  return {
    child,
    port,
    token,
    url: `ws://127.0.0.1:${port}`,
    began,
    stateDir,
    metricsFile,
    stderr: () => stderr,
    logFile: path.join(stateDir, "logs", "gateway.log"),
    removeDir: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** SIGTERM, then SIGKILL after 10 s; resolves with the exit code (or signal). */
export async function stopGateway(gateway) {
  const { child } = gateway;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  const outcome = await exited;
  clearTimeout(timer);
  return outcome;
}

/** VmRSS of a pid in bytes (Linux /proc), NaN once it is gone. */
export function rssBytes(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds the process has used (user + system, from /proc/<pid>/stat), NaN once it is gone. */
/** The process's RSS by kind of mapping (see smaps.mjs), or null where /proc/<pid>/smaps cannot be read. */
export function mappingBytes(pid) {
  try {
    return summarizeSmaps(readFileSync(`/proc/${pid}/smaps`, "utf8"));
  } catch {
    return null;
  }
}

export function cpuSeconds(pid) {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The 1-minute load average: how busy the whole machine was (other work shares its CPUs). */
export const loadAverage = () => Number(readFileSync("/proc/loadavg", "utf8").split(" ")[0]);

/** The preload's lines, oldest first (a torn last line, written as the gateway stopped, is skipped). */
export function readMetrics(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        return line ? [JSON.parse(line)] : [];
      } catch {
        return [];
      }
    });
}

/** The gateway log's lines at level error or fatal (JSON lines with a `level` label). */
export function errorLogLines(file) {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line) => {
      try {
        const record = JSON.parse(line);
        return record.level === "error" || record.level === "fatal" ? [record] : [];
      } catch {
        return [];
      }
    });
}

export function machine() {
  const model = /model name\s*:\s*(.*)/.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1] ?? cpus()[0]?.model ?? "unknown";
  return {
    nproc: cpus().length,
    cpu: model,
    memTotalMB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}
