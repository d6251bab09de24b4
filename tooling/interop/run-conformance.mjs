#!/usr/bin/env node
// Runs the conformance kit (@openclaw/conformance) against our gateway and the real OpenClaw 2026.9.6
// gateway side by side, and compares the two columns with the expected differences in
// ./conformance-expected.json (each with its reason).
//
//   node tooling/interop/run-conformance.mjs                 # both gateways, the table, exit 1 on an unexpected difference
//   node tooling/interop/run-conformance.mjs --write-doc     # also rewrite docs/CONFORMANCE.md from this run
//   node tooling/interop/run-conformance.mjs --kit "npx @openclaw/conformance"   # another copy of the kit
//
// It fails (exit 1) when a MUST check fails on our gateway, when a check's result differs between the two
// gateways and conformance-expected.json does not list that difference with the same two results, or when an
// expected difference no longer occurs (so the document never keeps a stale reason). Exit 2: setup failed.
// The kit runs with --allow-mutations and the shared token as --admin-token, so the pairing checks run too,
// once as an operator and once --as node; disruptive checks are not run. The `client.*` rows come from the
// kit's `serve`, once with our node host (`openclaw node run`) and once with OpenClaw's pointed at it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createServer } from "node:net";
import { startGateway, stopGateway, stopProcessTree } from "./gateway-process.mjs";
import { OPENCLAW_VERSION, REAL_OPENCLAW_QUIET_ENV, REPO_ROOT, cleanEnv, parseRunnerOptions, shellQuote } from "./lib.mjs";
import { compareColumns, conformanceDocument, differencesTable } from "./conformance-compare.mjs";

const USAGE = `usage: node tooling/interop/run-conformance.mjs [--write-doc] [--kit CMD] [--gateway-cmd CMD] [--verbose]
  --kit CMD          the kit's command (default: node packages/conformance/dist/bin.js)
  --gateway-cmd CMD  runs our gateway in the foreground; gets --port P --token T appended
                     (default: node apps/gateway/dist/cli.js gateway run)
  --write-doc    rewrite docs/CONFORMANCE.md with this run's two columns
  --verbose      print both kit runs' tables`;

const EXPECTED_FILE = path.join(REPO_ROOT, "tooling/interop/conformance-expected.json");
const DOC_FILE = path.join(REPO_ROOT, "docs/CONFORMANCE.md");

let values;
try {
  ({ values } = parseArgs({
    options: {
      kit: { type: "string", default: `node ${shellQuote(path.join(REPO_ROOT, "packages/conformance/dist/bin.js"))}` },
      "gateway-cmd": { type: "string", default: "node apps/gateway/dist/cli.js gateway run" },
      "write-doc": { type: "boolean", default: false },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  }));
} catch (error) {
  console.error(`${error.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
// The shared runner options give the cached Node 24 and OpenClaw CLI paths.
const { node, cli } = parseRunnerOptions(["--real-gateway"]);
for (const [what, file] of [
  ["Node 24", node],
  ["openclaw CLI", cli],
  ["the built kit", path.join(REPO_ROOT, "packages/conformance/dist/bin.js")],
  ["the built gateway", path.join(REPO_ROOT, "apps/gateway/dist/cli.js")],
]) {
  if (!existsSync(file)) {
    console.error(`${what} not found at ${file}; run: pnpm build && bash tooling/interop/install.sh`);
    console.log("0 passed, 0 failed");
    process.exit(2);
  }
}

/** One kit run: its parsed `--json` report. The kit exits 1 on a failed MUST; that is data here, not an error. */
function runKit(args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(`${values.kit} ${args.map(shellQuote).join(" ")}`, { shell: true, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0 && code !== 1) return reject(new Error(`the kit exited ${code}: ${stderr.trim() || stdout.trim()}`));
      try {
        resolve(JSON.parse(stdout));
      } catch {
        reject(new Error(`the kit printed no JSON report: ${stdout.slice(0, 400)}`));
      }
    });
  });
}

/** Every check the kit has, run against one gateway: operator checks, then node checks. */
async function resultsFor(url, token) {
  const common = ["--url", url, "--token", token, "--admin-token", token, "--allow-mutations", "--json"];
  const operator = await runKit(common);
  const nodeRole = await runKit([...common, "--as", "node"]);
  return [...operator.results, ...nodeRole.results];
}

/** A free loopback port (closed again at once; serve binds it right after). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The kit's `serve` with one node host pointed at it: the client checks' results. The node host is
 * ours (`openclaw node run` from apps/gateway) or the real OpenClaw one; both reconnect by themselves,
 * which is what serve's script (a seq gap, then two 1012 closes) needs.
 */
async function clientResults(which) {
  const port = await freePort();
  const token = `serve-${which}-${process.pid}`;
  const tempDir = await mkdtemp(path.join(tmpdir(), `openclaw-conformance-client-${which}-`));
  tempDirs.push(tempDir);
  const serve = runKit(["serve", "--token", token, "--port", String(port), "--closes", "2", "--timeout-ms", "90000", "--json"]);
  const nodeHost =
    which === "ours"
      ? `node ${shellQuote(path.join(REPO_ROOT, "apps/gateway/dist/cli.js"))} node run --host 127.0.0.1 --port ${port}`
      : `${shellQuote(node)} ${shellQuote(cli)} node run --host 127.0.0.1 --port ${port} --display-name conformance`;
  // Started once serve listens: it prints its address on stderr before anything else, but a short
  // head start is simpler and the node host retries anyway.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const host = spawn(nodeHost, {
    shell: true,
    detached: true,
    stdio: "ignore",
    env: cleanEnv({
      HOME: tempDir,
      OPENCLAW_STATE_DIR: path.join(tempDir, "state"),
      OPENCLAW_GATEWAY_TOKEN: token,
      ...(which === "ours" ? {} : REAL_OPENCLAW_QUIET_ENV),
    }),
  });
  try {
    return (await serve).results;
  } finally {
    await stopProcessTree(host, { killAfterMs: 5000 });
  }
}

const tempDirs = [];
const gateways = [];
async function cleanUp() {
  await Promise.all(gateways.map((gateway) => stopGateway(gateway)));
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
}
for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => void cleanUp().then(() => process.exit(130)));

async function startBoth() {
  const start = async (label, command, cwd, env) => {
    const tempDir = await mkdtemp(path.join(tmpdir(), `openclaw-conformance-${label}-`));
    tempDirs.push(tempDir);
    const gateway = await startGateway({ command, cwd: cwd ?? tempDir, tempDir, startTimeoutMs: 90_000, env, onSpawned: (spawned) => gateways.push(spawned) });
    if (!gateways.includes(gateway)) gateways.push(gateway);
    return gateway;
  };
  return Promise.all([
    start("ours", values["gateway-cmd"], REPO_ROOT, {}),
    start(
      "openclaw",
      `${shellQuote(node)} ${shellQuote(cli)} gateway run --bind loopback --auth token --allow-unconfigured`,
      undefined,
      REAL_OPENCLAW_QUIET_ENV,
    ),
  ]);
}

let exitCode = 0;
try {
  const started = Date.now();
  let ours;
  let real;
  try {
    [ours, real] = await startBoth();
  } catch (error) {
    console.error(`a gateway failed to start: ${error.message}`);
    console.log("0 passed, 0 failed");
    exitCode = 2;
    throw error;
  }
  // Both at once: most of a run is waiting (ticks every 30 s on both gateways).
  const [ourGateway, realGateway, ourClient, realClient] = await Promise.all([
    resultsFor(ours.url, ours.token),
    resultsFor(real.url, real.token),
    clientResults("ours"),
    clientResults("openclaw"),
  ]);
  const [ourResults, realResults] = [
    [...ourGateway, ...ourClient],
    [...realGateway, ...realClient],
  ];
  const expected = JSON.parse(readFileSync(EXPECTED_FILE, "utf8"));
  const comparison = compareColumns(ourResults, realResults, expected);
  console.log(differencesTable(comparison));
  for (const problem of comparison.problems) console.log(`FAIL ${problem}`);
  if (values.verbose) {
    for (const row of comparison.rows) console.log(`${row.id}: ours ${row.ours?.status ?? "-"} / openclaw ${row.openclaw?.status ?? "-"}`);
  }
  if (values["write-doc"]) {
    await writeFile(DOC_FILE, conformanceDocument(comparison, { openclawVersion: OPENCLAW_VERSION, date: new Date().toISOString().slice(0, 10) }));
    // Formatted as `pnpm format` would, so `pnpm format:check` stays green after a rewrite.
    execFileSync(path.join(REPO_ROOT, "node_modules/.bin/prettier"), ["--write", DOC_FILE], { stdio: "ignore" });
    console.log(`# wrote ${path.relative(REPO_ROOT, DOC_FILE)}`);
  }
  console.log(`# conformance comparison took ${Math.round((Date.now() - started) / 1000)} s`);
  const passed = comparison.rows.length - comparison.problems.length;
  console.log(`${Math.max(passed, 0)} passed, ${comparison.problems.length} failed`);
  exitCode = comparison.problems.length > 0 ? 1 : 0;
} catch (error) {
  if (exitCode === 0) {
    console.error(`error: ${error.stack ?? error}`);
    console.log("0 passed, 1 failed");
    exitCode = 2;
  }
} finally {
  await cleanUp();
}
process.exit(exitCode);
