// The install test: what a user gets from `npm i -g @openclaw/gateway`, before anything is published.
// It packs every publishable package (`pnpm pack`, as `pnpm publish` would), serves the tarballs from a local
// registry that passes every other package through to the upstream one, installs `@openclaw/gateway`
// globally into a temp prefix and `@openclaw/node-sdk` into a temp project (the SDK README's install line),
// and then, with a temp HOME and nothing else, runs:
//
//   openclaw gateway --port <free port>        (no config: the first start generates the token)
//   openclaw health                            (finds the gateway on that port by itself)
//   openclaw agent -m hi                       (the default offline model)
//   openclaw conformance, and npx @openclaw/conformance against it (and against the real OpenClaw
//                                              gateway when tooling/interop/install.sh has cached it)
//   the node-SDK README's "A minimal node", saved and run as the README says, then its `openclaw` lines
//
// Each step's exit status and output are checked; a step that fails or prints an error stops the run and
// shows its output. Everything it started is stopped and every temp folder removed, also on Ctrl-C.
//
//   pnpm build && node tooling/install-test/run.mjs [--keep]     (--keep leaves the temp folder to look at)
//
// Needs network access to the upstream registry (`npm config get registry`), and, where better-sqlite3 has
// no prebuilt binary, `npm_config_nodedir=/usr` in the environment (as the README's set-up line).
// Exit code: 0 all passed, 1 a step failed, 2 set-up failed (not built). Last line: `N passed, N failed`.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { publishableDirs } from "../publishable-packages.mjs";
import { freePort, killAll, run, start } from "./processes.mjs";
import { readMinimalNode } from "./readme.mjs";
import { startRegistry } from "./registry.mjs";
import { README_EXPECTATIONS, cliProblem, conformanceProblem, gatewayErrors, installProblem, shellQuote } from "./checks.mjs";
import { realOpenclawGateway } from "./real-openclaw.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const README = join(ROOT, "packages/node-sdk/README.md");
const keep = process.argv.includes("--keep");
const MINUTE = 60_000;

const missing = publishableDirs(ROOT).filter((dir) => !existsSync(join(ROOT, dir, "dist")));
if (missing.length > 0) {
  console.error(`not built: ${missing.join(", ")}; run: pnpm build`);
  console.log("0 passed, 0 failed");
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), "openclaw-install-test-"));
const [tarballs, prefix, home, project] = ["tarballs", "prefix", "home", "project"].map((name) => join(work, name));
for (const dir of [tarballs, prefix, home, project]) mkdirSync(dir);
const cleanups = [];
let cleanedUp = false;
async function cleanUp() {
  if (cleanedUp) return;
  cleanedUp = true;
  for (const cleanup of cleanups.reverse()) await cleanup().catch((error) => console.error(`clean-up: ${error.message}`));
  killAll();
  if (keep) console.log(`# kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.once(signal, () => {
    console.log(`\n# ${signal}: stopping`);
    void cleanUp().then(() => process.exit(130));
  });
}

/** Everything the user's shell would pass on, minus our variables and the ones `pnpm run` adds. */
function baseEnv() {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith("OPENCLAW_") || (key.startsWith("npm_") && key !== "npm_config_nodedir" && key !== "npm_config_cache")) continue;
    env[key] = value;
  }
  return env;
}
const npmEnv = { ...baseEnv(), npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };
/** The user after the install: the global bin on PATH, a fresh HOME (so a fresh ~/.openclaw), nothing else. */
const userEnv = {
  PATH: `${join(prefix, "bin")}${delimiter}${process.env["PATH"] ?? ""}`,
  HOME: home,
  ...(process.env["LANG"] ? { LANG: process.env["LANG"] } : {}),
  ...(process.env["TMPDIR"] ? { TMPDIR: process.env["TMPDIR"] } : {}),
};

class StepFailure extends Error {
  constructor(message, output = "") {
    super(message);
    this.output = output;
    this.reported = false;
  }
}
const expect = (ok, message, output) => {
  if (!ok) throw new StepFailure(message, output);
};

let passed = 0;
let failed = 0;
const started = Date.now();
async function step(name, body) {
  const stepStarted = Date.now();
  console.log(`-- ${name}`);
  try {
    const note = await body();
    passed++;
    console.log(`ok (${((Date.now() - stepStarted) / 1000).toFixed(1)} s)${note ? `: ${note}` : ""}`);
  } catch (caught) {
    const error = caught instanceof StepFailure ? caught : new StepFailure(caught?.stack ?? String(caught));
    failed++;
    error.reported = true;
    console.log(`FAILED (${((Date.now() - stepStarted) / 1000).toFixed(1)} s): ${error.message}`);
    if (error.output) console.log(error.output.replace(/^/gm, "  | ").trimEnd());
    throw error;
  }
}

/** `openclaw <args>` (or a README shell line) as the user types it, checked by `cliProblem`. */
async function openclaw(line) {
  const result = await run("sh", ["-c", line], { env: userEnv, cwd: home, timeoutMs: MINUTE });
  const problem = cliProblem(result);
  expect(problem === undefined, `${line}: ${problem}`, result.output);
  return result.stdout;
}

/** An `npm install` run to completion, checked by `installProblem`. */
async function npmInstall(command, args, { env, cwd, label }) {
  const result = await run(command, args, { env, cwd, timeoutMs: 30 * MINUTE });
  const problem = installProblem(result);
  expect(problem === undefined, `${label}: ${problem}`, result.output);
  return result;
}

/** Ours that installing @openclaw/gateway must resolve: it and its dependencies among `ours`, transitively. */
function gatewayClosure(ours) {
  const manifests = new Map(
    publishableDirs(ROOT).map((dir) => {
      const manifest = JSON.parse(readFileSync(join(ROOT, dir, "package.json"), "utf8"));
      return [manifest.name, manifest];
    }),
  );
  const needed = new Set(["@openclaw/gateway"]);
  for (const name of needed)
    for (const dependency of Object.keys(manifests.get(name)?.dependencies ?? {})) if (ours.includes(dependency)) needed.add(dependency);
  return [...needed];
}

let registry;
let gateway;
let readmeNode;
try {
  const readme = readMinimalNode(README);

  await step(`pnpm pack of the ${publishableDirs(ROOT).length} publishable packages`, async () => {
    for (const dir of publishableDirs(ROOT)) {
      const packed = await run("pnpm", ["pack", "--pack-destination", tarballs], { env: baseEnv(), cwd: join(ROOT, dir), timeoutMs: 2 * MINUTE });
      expect(packed.code === 0, `pnpm pack in ${dir} exited ${packed.code}`, packed.output);
    }
    return readdirSync(tarballs).join(", ");
  });

  await step("local registry", async () => {
    const upstream = execFileSync("npm", ["config", "get", "registry"], { env: npmEnv, encoding: "utf8" }).trim();
    registry = await startRegistry({ tarballs: readdirSync(tarballs).map((file) => join(tarballs, file)), upstream });
    cleanups.push(() => registry.close());
    return `${registry.url} serves ${registry.packages.map((pkg) => `${pkg.name}@${pkg.version}`).join(", ")}; everything else from ${upstream}`;
  });

  const globalInstall = ["install", "-g", "@openclaw/gateway", "--registry", "<local registry>", "--prefix", "<temp prefix>"];
  await step(`npm ${globalInstall.join(" ")}`, async () => {
    const args = globalInstall.map((arg) => (arg === "<local registry>" ? registry.url : arg === "<temp prefix>" ? prefix : arg));
    const result = await npmInstall("npm", args, { env: npmEnv, cwd: home, label: `npm ${args.join(" ")}` });
    expect(existsSync(join(prefix, "bin", "openclaw")), `npm put no openclaw command in ${join(prefix, "bin")}`, result.output);
    // npm resolves each of ours from the packument we serve; its integrity pins the tarball, which npm may
    // take from its cache when the same bytes were installed before.
    const notServed = gatewayClosure(registry.packages.map((pkg) => pkg.name)).filter((name) => !registry.counts.packuments.has(name));
    expect(notServed.length === 0, `npm did not resolve these from the local registry: ${notServed.join(", ")}`, result.output);
    const { packuments, tarballs: downloaded, proxied } = registry.counts;
    return `${packuments.size} packuments and ${downloaded.size} tarballs (the rest from npm's cache) from the local registry, ${proxied} requests passed upstream`;
  });

  await step(`${readme.install.join(" && ")} (the node-SDK README's install line) in a new project`, async () => {
    const env = { ...npmEnv, npm_config_registry: registry.url };
    const result = await npmInstall("sh", ["-c", readme.install.join(" && ")], { env, cwd: project, label: readme.install.join(" && ") });
    expect(existsSync(join(project, "node_modules/@openclaw/node-sdk/package.json")), "@openclaw/node-sdk is not in the project's node_modules", result.output);
  });

  const port = await freePort();
  await step(`openclaw onboard --non-interactive --port ${port} --model offline/echo`, async () => {
    const stdout = await openclaw(`openclaw onboard --non-interactive --port ${port} --model offline/echo`);
    expect(/Gateway token \([^)]*\):\s+[\w-]{43}\n/.test(stdout), "expected the generated gateway token", stdout);
    const config = JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8"));
    expect(config.gateway?.port === port, `expected gateway.port ${port} in the config`, JSON.stringify(config));
  });

  await step("openclaw gateway (on the port onboarding chose)", async () => {
    // Node looks `openclaw` up on the PATH of `env`: the global bin the install made.
    gateway = start("openclaw", ["gateway"], { env: userEnv, cwd: home });
    cleanups.push(() => gateway.stop());
    const version = JSON.parse(readFileSync(join(ROOT, "apps/gateway/package.json"), "utf8")).version;
    await gateway
      .waitFor((output) => output.includes(`listening on ws://127.0.0.1:${port}`), "listening line", 2 * MINUTE)
      .catch((error) => {
        throw new StepFailure(`the gateway: ${error.message}`, gateway.output());
      });
    expect(gateway.output().includes(`OpenClaw gateway ${version} listening`), `expected "OpenClaw gateway ${version} listening"`, gateway.output());
  });

  await step("openclaw health", async () => {
    const stdout = await openclaw("openclaw health");
    expect(/^Gateway Health\nOK \(\d+ms\)\n/.test(stdout), 'expected "Gateway Health / OK (<n>ms)"', stdout);
  });

  await step("openclaw agent -m hi", async () => {
    const stdout = await openclaw("openclaw agent -m hi");
    expect(stdout.includes("Echo: hi"), 'expected the offline model\'s reply "Echo: hi"', stdout);
  });

  const token = () => JSON.parse(readFileSync(join(home, ".openclaw", "openclaw.json"), "utf8")).gateway.auth.token;
  await step("openclaw conformance --only handshake --only dispatch", async () => {
    const result = await run("sh", ["-c", "openclaw conformance --only handshake --only dispatch"], { env: userEnv, cwd: home, timeoutMs: 2 * MINUTE });
    expect(conformanceProblem(result) === undefined, `openclaw conformance: ${conformanceProblem(result)}`, result.output);
    return result.stdout.trim().split("\n").at(-1);
  });

  // The kit on its own, as its README installs it: npx from the registry, which serves the packed tarball.
  const npxKit = (url, secret) =>
    run("npx", ["--yes", "@openclaw/conformance", "--url", url, "--token", secret], {
      env: { ...npmEnv, npm_config_registry: registry.url, HOME: home },
      cwd: project,
      timeoutMs: 5 * MINUTE,
    });
  await step("npx @openclaw/conformance --url <this gateway> --token <its token>", async () => {
    const result = await npxKit(`ws://127.0.0.1:${port}`, token());
    expect(conformanceProblem(result) === undefined, `npx @openclaw/conformance: ${conformanceProblem(result)}`, result.output);
    expect(registry.counts.packuments.has("@openclaw/conformance"), "npx did not resolve @openclaw/conformance from the local registry", result.output);
    return result.stdout.trim().split("\n").at(-1);
  });

  const realOpenclaw = realOpenclawGateway();
  if (realOpenclaw) {
    await step(`npx @openclaw/conformance against the real OpenClaw ${realOpenclaw.version} gateway`, async () => {
      const real = await realOpenclaw.start();
      cleanups.push(() => real.stop());
      const result = await npxKit(real.url, real.token);
      // Where OpenClaw differs from the spec is docs/CONFORMANCE.md's business; here the kit must run and report.
      expect(
        conformanceProblem(result, { conformant: false }) === undefined,
        `npx @openclaw/conformance: ${conformanceProblem(result, { conformant: false })}`,
        result.output,
      );
      await real.stop();
      return result.stdout.trim().split("\n").at(-1);
    });
  } else {
    console.log("-- npx @openclaw/conformance against the real OpenClaw gateway: not run, it is not installed (bash tooling/interop/install.sh)");
  }

  let nodeId;
  await step(`the node-SDK README's minimal node: ${readme.file}, ${readme.run}`, async () => {
    writeFileSync(join(project, readme.file), readme.code);
    // The README: "set OPENCLAW_GATEWAY_URL for another address"; this gateway is on its own port.
    const env = { ...userEnv, OPENCLAW_GATEWAY_URL: `ws://127.0.0.1:${port}` };
    readmeNode = start("sh", ["-c", readme.run.replaceAll("<token>", shellQuote(token()))], { env, cwd: project });
    cleanups.push(() => readmeNode.stop());
    nodeId = await readmeNode
      .waitFor(
        (output) => /connected as ([0-9a-f]+);/.exec(output)?.[1] ?? (output.includes("approve me") ? "awaiting-pairing" : undefined),
        "connection",
        MINUTE,
      )
      .catch((error) => {
        throw new StepFailure(`the README node: ${error.message}`, readmeNode.output());
      });
    expect(
      nodeId !== "awaiting-pairing",
      "the README node waits for device pairing; the README says a local node holding the token pairs silently",
      readmeNode.output(),
    );
    expect(readmeNode.stderr() === "", "the README node printed on stderr", readmeNode.output());
    return `node ${nodeId}`;
  });

  for (const line of readme.commands) {
    const typed = line.replaceAll("<nodeId>", nodeId);
    await step(typed, async () => {
      const stdout = await openclaw(typed);
      for (const { matches, check, what } of README_EXPECTATIONS) if (matches(typed)) expect(check(stdout), `expected ${what}`, stdout);
    });
  }

  await step("stop: the README node, then the gateway (SIGTERM)", async () => {
    await readmeNode.stop();
    const { code, signal } = await gateway.stop();
    expect(code === 0, `the gateway exited with ${code ?? signal} on SIGTERM`, gateway.output());
    const errors = gatewayErrors(gateway.output());
    expect(errors.length === 0, "the gateway logged errors", errors.join("\n"));
    expect(readmeNode.stderr() === "", "the README node printed on stderr", readmeNode.output());
  });
} catch (error) {
  if (!error?.reported) {
    failed++;
    console.log(`FAILED: ${error?.stack ?? error}`);
  }
} finally {
  await cleanUp();
}
console.log(`# install test took ${Math.round((Date.now() - started) / 1000)} s`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
