#!/usr/bin/env node
// The real OpenClaw 2026.9.6 headless node host (`openclaw node run`, on Node 24 from
// install.sh's cache) against a gateway, driven by our built client SDK as the operator:
// the node host connects (through a logging WebSocket proxy, so every frame is recorded),
// shows up connected in `node.list`, its command surface is approved (`node.pair.approve`),
// and it answers `node.invoke` for `system.which` (approval-gated on both gateways) and
// `fs.listDir` (approval-gated on the real gateway; needs `gateway.nodes.commands.allow` on
// ours, which the runner writes into the gateway's openclaw.json — the real gateway accepts
// the same file).
//
//   node tooling/interop/run-node-interop.mjs --gateway-cmd "node apps/gateway/dist/cli.js gateway run"
//   node tooling/interop/run-node-interop.mjs --real-gateway      # the real gateway, as a reference
//   node tooling/interop/run-node-interop.mjs --url ws://127.0.0.1:18789 --token T
//
// With --url nothing is written: that gateway must allow fs.listDir itself.
//
// The node host runs with its own empty HOME and OPENCLAW_STATE_DIR under the temp dir, the
// token in OPENCLAW_GATEWAY_TOKEN (`node run` has no --token flag), and
// REAL_OPENCLAW_QUIET_ENV (no mDNS, no update checks/telemetry, no respawn).
// Prints PASS/FAIL per check and `N passed, N failed`; on a failure it prints the recorded
// frames (tokens redacted) and the node host's output. `--verbose` prints them always.
// Exit code: 0 all passed, 1 a check failed, 2 setup failed.
//
// Plain Node ESM on Node 20: node: built-ins, the logging proxy of ./ws-proxy.mjs (`ws`, resolved
// through packages/gateway-core), and packages/client/dist/node.js (pnpm build).
import { spawn } from "node:child_process";
import { existsSync, openSync, closeSync } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import {
  GATEWAY_OPTIONS_USAGE,
  REAL_OPENCLAW_QUIET_ENV,
  REPO_ROOT,
  cleanEnv,
  indent,
  runWithGateway,
  sleep,
  stopProcessTree,
  createChecklist,
  describeError,
  short,
} from "./lib.mjs";
import { WS_UNAVAILABLE, loadWs, startProxy } from "./ws-proxy.mjs";

const USAGE = `usage: node tooling/interop/run-node-interop.mjs (--gateway-cmd CMD | --real-gateway | --url URL --token T) [options]
${GATEWAY_OPTIONS_USAGE}
  --wait MS            how long to wait for the node host to connect / be listed (default 45000)
  --keep-temp          keep the temp dir (gateway state + log, node host HOME + log, frames.log)
  --verbose            print the frames and the node host output for passing runs too`;

const SDK_ENTRY = path.join(REPO_ROOT, "packages/client/dist/node.js");
const DISPLAY_NAME = "openclaw-interop-node";
/**
 * Not in any platform default nor approval-gated on our gateway, so it needs
 * gateway.nodes.commands.allow there. (The real gateway treats it as an approval-gated desktop
 * host command on Linux. system.execApprovals.get would also need the allow-list on ours, but
 * the real gateway refuses it in node.invoke: "use exec.approvals.node.*".)
 */
const ALLOWLISTED_COMMAND = "fs.listDir";

const GATEWAY_CONFIG = { gateway: { nodes: { commands: { allow: [ALLOWLISTED_COMMAND] } } } };

function startNodeHost({ node, cli, port, token, home, logPath }) {
  const log = openSync(logPath, "w");
  const child = spawn(node, [cli, "node", "run", "--host", "127.0.0.1", "--port", String(port), "--display-name", DISPLAY_NAME], {
    // cwd = its empty HOME too: the CLI loads ./.env from its working directory.
    cwd: home,
    detached: true,
    stdio: ["ignore", log, log],
    env: cleanEnv({
      HOME: home,
      OPENCLAW_STATE_DIR: path.join(home, ".openclaw"),
      OPENCLAW_GATEWAY_TOKEN: token,
      ...REAL_OPENCLAW_QUIET_ENV,
    }),
  });
  closeSync(log);
  return child;
}

/** Polls `probe` (returns a value or undefined) every `everyMs` until it gives a value or `timeoutMs` passes. */
async function poll(probe, { timeoutMs, everyMs = 250 }) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last?.value !== undefined) return last;
    if (Date.now() >= until) return last;
    await sleep(everyMs);
  }
}

async function main() {
  const WebSocket = loadWs();
  return runWithGateway(
    {
      argv: process.argv.slice(2),
      usage: USAGE,
      needsCli: "always",
      extraOptions: { wait: { type: "string", default: "45000" } },
      gatewayConfig: () => GATEWAY_CONFIG,
    },
    async ({ options, url, token, tempDir }) => {
      const waitMs = Number(options.extra.wait);
      if (!Number.isFinite(waitMs) || waitMs <= 0) {
        console.error("--wait must be a positive number of ms");
        return 2;
      }
      if (!WebSocket) {
        console.error(WS_UNAVAILABLE);
        return 2;
      }
      if (!existsSync(SDK_ENTRY)) {
        console.error(`${SDK_ENTRY} not found; run: pnpm build`);
        return 2;
      }
      const { connectNode } = await import(pathToFileURL(SDK_ENTRY).href);
      const redact = (text) => (token ? text.replaceAll(token, "<token>") : text);
      const framesPath = path.join(tempDir, "frames.log");
      const nodeHome = path.join(tempDir, "node-home");
      const nodeLogPath = path.join(tempDir, "node-host.log");
      await mkdir(nodeHome, { recursive: true });

      const { counts, check, notRun } = createChecklist(options);
      const skip = (names, why) => names.forEach((name) => notRun(name, why));

      const runStarted = Date.now();
      const proxy = await startProxy(WebSocket, url, framesPath, redact);
      let nodeHost;
      let killNodeHostOnSignal;
      let operator;
      try {
        nodeHost = startNodeHost({ node: options.node, cli: options.cli, port: proxy.port, token, home: nodeHome, logPath: nodeLogPath });
        // lib.mjs stops the gateway and exits on SIGINT/SIGTERM; the node host (its own process
        // group) would otherwise outlive us and retry the gateway forever.
        killNodeHostOnSignal = () => {
          try {
            process.kill(-nodeHost.pid, "SIGKILL");
          } catch {
            // already gone
          }
        };
        process.once("SIGINT", killNodeHostOnSignal);
        process.once("SIGTERM", killNodeHostOnSignal);
        console.log(`# node host: openclaw node run --host 127.0.0.1 --port ${proxy.port} --display-name ${DISPLAY_NAME} (proxy to ${url})`);
        operator = await connectNode({ url, token, scopes: ["operator.admin"], reconnect: false });

        // 1. The node host's connect, and the gateway's answer, as seen by the proxy.
        let connectParams;
        let nodeId;
        const connected = await check("node-host-connects", async () => {
          const found = await poll(
            () => {
              const req = proxy.frames.find((f) => f.dir === "->" && f.frame?.type === "req" && f.frame.method === "connect");
              const res = req && proxy.frames.find((f) => f.dir === "<-" && f.frame?.type === "res" && f.frame.id === req.frame.id);
              return { value: res ? { req: req.frame, res: res.frame } : undefined };
            },
            { timeoutMs: waitMs },
          );
          if (nodeHost.exitCode !== null) return `node host exited with ${nodeHost.exitCode}`;
          if (!found?.value) return `no connect answered within ${waitMs} ms`;
          const { req, res } = found.value;
          connectParams = req.params;
          const problems = [];
          if (res.ok !== true) problems.push(`connect refused: ${short(res.error, 600)}`);
          else if (res.payload?.type !== "hello-ok") problems.push(`answer is not hello-ok: ${short(res.payload)}`);
          if (connectParams?.role !== "node") problems.push(`role ${short(connectParams?.role)}`);
          if (connectParams?.client?.id !== "node-host" || connectParams?.client?.mode !== "node") problems.push(`client ${short(connectParams?.client)}`);
          if (typeof connectParams?.device?.id !== "string") problems.push("no device");
          if (!connectParams?.commands?.includes("system.which")) problems.push("does not declare system.which");
          nodeId = connectParams?.device?.id;
          const hello = res.payload;
          return {
            problem: problems.length ? problems.join("; ") : null,
            detail: {
              client: connectParams?.client,
              caps: connectParams?.caps,
              commands: connectParams?.commands,
              helloAuth: { ...hello?.auth, deviceToken: hello?.auth?.deviceToken ? "<set>" : undefined },
            },
          };
        });

        if (!connected) {
          skip(
            ["node-listed-connected", "node-surface-approved", "node-invoke-system-which", `node-invoke-${ALLOWLISTED_COMMAND}`],
            "node host did not connect",
          );
        } else {
          // 2. node.list shows it connected.
          await check("node-listed-connected", async () => {
            const found = await poll(
              async () => {
                const list = await operator.call("node.list", {});
                const entry = list.nodes?.find((n) => n.nodeId === nodeId);
                return { value: entry?.connected === true ? entry : undefined, list };
              },
              { timeoutMs: 15_000 },
            );
            if (!found.value) return { problem: `node ${nodeId} not listed as connected`, detail: found.list };
            if (found.value.displayName !== DISPLAY_NAME) return { problem: `displayName ${short(found.value.displayName)}`, detail: found.value };
            return { detail: found.value };
          });

          // 3. Approve the declared command surface (a pending node.pair request), then
          //    system.which must become invocable.
          const approved = await check("node-surface-approved", async () => {
            const pending = await poll(
              async () => {
                const pairs = await operator.call("node.pair.list", {});
                const request = pairs.pending?.find((p) => p.nodeId === nodeId);
                const already = pairs.paired?.find((p) => p.nodeId === nodeId);
                return { value: request ?? (already ? null : undefined), pairs };
              },
              { timeoutMs: 15_000 },
            );
            if (pending.value === undefined) return { problem: "no pending node.pair request for the node (and not paired)", detail: pending.pairs };
            let approval;
            if (pending.value) approval = await operator.call("node.pair.approve", { requestId: pending.value.requestId });
            const invocable = await poll(
              async () => {
                const described = await operator.call("node.describe", { nodeId });
                return { value: described.commands?.includes("system.which") ? described : undefined, described };
              },
              { timeoutMs: 10_000 },
            );
            if (!invocable.value) return { problem: "system.which not in node.describe commands after approval", detail: invocable.described };
            return { detail: { pendingRequest: pending.value, approvedNode: approval?.node, commandsNow: invocable.value.commands } };
          });

          if (!approved) {
            skip(["node-invoke-system-which", `node-invoke-${ALLOWLISTED_COMMAND}`], "surface not approved");
          } else {
            // 4. node.invoke system.which: the node host answers with the path of `node`.
            await check("node-invoke-system-which", async () => {
              const result = await operator.call("node.invoke", {
                nodeId,
                command: "system.which",
                params: { bins: ["node", "no-such-binary-openclaw-interop"] },
                timeoutMs: 15_000,
              });
              const where = result?.payload?.bins?.node;
              if (result?.ok !== true) return { problem: `ok is ${short(result?.ok)}`, detail: result };
              if (typeof where !== "string" || !where.endsWith("/node")) return { problem: `payload.bins.node is ${short(where)}`, detail: result };
              if (!existsSync(where)) return { problem: `${where} does not exist`, detail: result };
              if ("no-such-binary-openclaw-interop" in result.payload.bins) return { problem: "a missing binary was reported as found", detail: result };
              const request = proxy.frames.find(
                (f) => f.dir === "<-" && f.frame?.event === "node.invoke.request" && f.frame.payload?.command === "system.which",
              );
              if (typeof request?.frame.payload?.paramsJSON !== "string")
                return { problem: "the node.invoke.request event had no string paramsJSON", detail: request?.frame };
              return { detail: result };
            });

            // 5. A command our gateway only allows through gateway.nodes.commands.allow:
            //    list the directories in a folder we made on the node's side.
            await check(`node-invoke-${ALLOWLISTED_COMMAND}`, async () => {
              const folder = path.join(nodeHome, "listing");
              await mkdir(path.join(folder, "interop-subdir"), { recursive: true });
              const result = await operator.call("node.invoke", { nodeId, command: ALLOWLISTED_COMMAND, params: { path: folder }, timeoutMs: 15_000 });
              if (result?.ok !== true) return { problem: `ok is ${short(result?.ok)}`, detail: result };
              if (!JSON.stringify(result.payload ?? null).includes("interop-subdir"))
                return { problem: "the listing does not show interop-subdir", detail: result };
              return { detail: result };
            });
          }
        }
      } catch (error) {
        notRun("setup", describeError(error));
      } finally {
        await operator?.close().catch(() => {});
        if (nodeHost) await stopProcessTree(nodeHost, { killAfterMs: 5_000 });
        if (killNodeHostOnSignal) {
          process.off("SIGINT", killNodeHostOnSignal);
          process.off("SIGTERM", killNodeHostOnSignal);
        }
        await proxy.stop();
      }

      if (counts.failed > 0 || options.verbose) {
        const frames = await readFile(framesPath, "utf8").catch(() => "");
        const nodeLog = await readFile(nodeLogPath, "utf8").catch(() => "");
        console.log(
          `  frames (${framesPath}${options.keepTemp ? "" : ", use --keep-temp to keep"}):\n${indent(
            frames
              .split("\n")
              .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line))
              .join("\n"),
            60,
          )}`,
        );
        console.log(`  node host output:\n${indent(redact(nodeLog), 30)}`);
      }
      console.log(`# node interop took ${Date.now() - runStarted} ms after the gateway was ready`);
      console.log(`${counts.passed} passed, ${counts.failed} failed`);
      return counts.failed === 0 ? 0 : 1;
    },
  );
}

process.exitCode = await main();
