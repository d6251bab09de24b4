// Our gateway (or the real one) as a child process of an interop runner: a free port, start until
// it answers HTTP, and stop with its whole process tree.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:net";
import { mkdir, open, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { cleanEnv, indent, sleep } from "./lib.mjs";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function httpStatus(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // not listening yet
  }
}

/**
 * Ready means /readyz answers 200, or the gateway has no such route (any answer but
 * 503) and /healthz is not 503 either. The real gateway answers /readyz 503 while its
 * startup sidecars load; a client connecting then gets UNAVAILABLE "gateway starting"
 * (the CLI spends its whole 10 s budget retrying), so wait for readiness, not just the port.
 */
async function waitUntilReady(port, child, timeoutMs) {
  const started = Date.now();
  const answered = (status) => status !== 0 && status !== 503;
  while (Date.now() - started < timeoutMs) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`gateway exited early (code ${child.exitCode}, signal ${child.signalCode})`);
    }
    const ready = await httpStatus(`http://127.0.0.1:${port}/readyz`);
    if (ready === 200) return Date.now() - started;
    if (answered(ready) && answered(await httpStatus(`http://127.0.0.1:${port}/healthz`))) {
      return Date.now() - started;
    }
    await sleep(100);
  }
  throw new Error(`gateway did not become ready on port ${port} within ${timeoutMs} ms`);
}

export async function startGateway({ command, cwd, tempDir, startTimeoutMs, onSpawned, env = {}, config }) {
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const stateDir = path.join(tempDir, "state");
  const gatewayHome = path.join(tempDir, "gateway-home");
  await mkdir(stateDir, { recursive: true });
  await mkdir(gatewayHome, { recursive: true });
  const configPath = path.join(stateDir, "openclaw.json");
  if (config !== undefined) await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const logPath = path.join(tempDir, "gateway.log");
  const log = await open(logPath, "w");
  const fullCommand = `${command} --port ${port} --token ${token}`;
  // detached: its own process group, so stopGateway can signal the shell, the gateway
  // and any workers it spawned together.
  const child = spawn(fullCommand, {
    cwd,
    shell: true,
    detached: true,
    stdio: ["ignore", log.fd, log.fd],
    env: cleanEnv({
      HOME: gatewayHome,
      OPENCLAW_STATE_DIR: stateDir,
      OPENCLAW_CONFIG_PATH: configPath,
      ...env,
    }),
  });
  await log.close();
  const gateway = { child, port, token, url: `ws://127.0.0.1:${port}`, logPath, stateDir, configPath };
  onSpawned(gateway); // so an interrupt during the wait below still stops it
  console.log(`# starting gateway: ${command} --port ${port} --token <generated>`);
  try {
    const readyMs = await waitUntilReady(port, child, startTimeoutMs);
    console.log(`# gateway ready on port ${port} after ${readyMs} ms`);
    return gateway;
  } catch (error) {
    const tail = await readFile(logPath, "utf8").catch(() => "");
    await stopGateway(gateway);
    throw new Error(`${error.message}\n  gateway output:\n${indent(tail.split("\n").slice(-30).join("\n"), 30)}`, { cause: error });
  }
}

/** Pids of every live descendant of `rootPid` (Linux /proc; empty elsewhere). */
async function descendantPids(rootPid) {
  const parentOf = new Map();
  const entries = await readdir("/proc").catch(() => []);
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => "");
    // "pid (comm) state ppid …"; comm may hold spaces or parens, so split after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields[1]) parentOf.set(Number(entry), Number(fields[1]));
  }
  const found = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parentOf) {
      if (found.has(ppid) && !found.has(pid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(rootPid);
  return [...found];
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops a process started with `detached: true` (its own process group) and everything it
 * spawned: SIGTERM to the group, SIGKILL after `killAfterMs`, then SIGKILL to descendants
 * that left the group (the real gateway's spawn-broker worker does).
 */
export async function stopProcessTree(child, { killAfterMs = 15_000 } = {}) {
  return stopGateway({ child }, killAfterMs);
}

export async function stopGateway({ child }, killAfterMs = 15_000) {
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // group already gone
    }
  };
  if (child.exitCode !== null || child.signalCode !== null) {
    signalGroup("SIGKILL"); // the shell is gone; anything it left in its group goes too
    return;
  }
  // The real gateway puts its spawn-broker worker in a process group of its own, so a
  // group signal misses it; remember every descendant to reap stragglers afterwards.
  const descendants = await descendantPids(child.pid);
  const exited = new Promise((resolve) => child.once("exit", resolve));
  signalGroup("SIGTERM");
  // The real gateway shuts down cleanly in ~2.5 s; don't let a stuck one hang the run.
  const timer = setTimeout(() => signalGroup("SIGKILL"), killAfterMs);
  await exited;
  clearTimeout(timer);
  signalGroup("SIGKILL");
  for (let waited = 0; waited < 3000 && descendants.some(isAlive); waited += 100) await sleep(100);
  for (const pid of descendants.filter(isAlive)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // exited meanwhile
    }
  }
}
