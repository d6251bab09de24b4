#!/usr/bin/env node
// Our built client SDK (packages/client/dist/node.js, so `pnpm build` first) against a gateway:
// connect with a fresh Ed25519 device identity (file) and the shared token, check hello-ok,
// call `health` and `status`; pair a second identity (client cli/cli) silently, check the
// device token it is issued lands in the FileDeviceTokenStore and reconnect with it alone; and
// receive a `tick` event on the first connection (both gateways tick every 30 s; the wait is
// bounded at 45 s). See NOTES.md §13.
//
//   node tooling/interop/run-sdk-interop.mjs --real-gateway        # the real OpenClaw 2026.9.6 gateway
//   node tooling/interop/run-sdk-interop.mjs --gateway-cmd "node apps/gateway/dist/cli.js gateway run"
//   node tooling/interop/run-sdk-interop.mjs --url ws://127.0.0.1:18789 --token T
//
// Gateway start/stop and the shared options are those of run-cli-interop.mjs (./lib.mjs); the
// real gateway runs with mDNS, update checks/telemetry and self-respawn off
// (REAL_OPENCLAW_QUIET_ENV). Prints PASS/FAIL per check and `N passed, N failed`.
// Exit code: 0 all passed, 1 a check failed, 2 setup failed (no build, gateway did not start).
//
// Plain Node ESM on Node 20; the SDK loads `ws` itself (a dependency of packages/client).
import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { GATEWAY_OPTIONS_USAGE, REPO_ROOT, isPlainObject, runWithGateway, createChecklist, short } from "./lib.mjs";

const USAGE = `usage: node tooling/interop/run-sdk-interop.mjs (--gateway-cmd CMD | --real-gateway | --url URL --token T) [options]
${GATEWAY_OPTIONS_USAGE}
  --tick-timeout MS    how long to wait for a tick event after connecting (default 45000)
  --keep-temp          keep the temp dir (state, gateway log, identity files)
  --verbose            print the hello-ok and call results for passing checks too`;

const SDK_ENTRY = path.join(REPO_ROOT, "packages/client/dist/node.js");

/** What the checks print on failure: an SDK error with its wire code and details. */

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Problems with a hello-ok payload, as far as this SDK run relies on it. */
function helloProblems(hello, identity) {
  const problems = [];
  if (!isPlainObject(hello)) return [`hello-ok is ${short(hello)}`];
  if (hello.type !== "hello-ok") problems.push(`type ${short(hello.type)}`);
  if (hello.protocol !== 4) problems.push(`protocol ${short(hello.protocol)}, expected 4`);
  if (typeof hello.server?.version !== "string") problems.push("no server.version");
  if (typeof hello.server?.connId !== "string") problems.push("no server.connId");
  const methods = hello.features?.methods;
  if (!Array.isArray(methods)) problems.push("no features.methods");
  else for (const method of ["health", "status"]) if (!methods.includes(method)) problems.push(`features.methods lacks ${method}`);
  if (!Array.isArray(hello.features?.events) || !hello.features.events.includes("tick")) problems.push("features.events lacks tick");
  if (!isPlainObject(hello.snapshot)) problems.push("no snapshot");
  const tick = hello.policy?.tickIntervalMs;
  if (typeof tick !== "number" || tick <= 0) problems.push(`policy.tickIntervalMs ${short(tick)}`);
  if (hello.auth?.role !== "operator") problems.push(`auth.role ${short(hello.auth?.role)}`);
  const scopes = hello.auth?.scopes;
  if (!Array.isArray(scopes) || !scopes.includes("operator.read")) problems.push(`auth.scopes ${short(scopes)} lack operator.read`);
  if (identity && hello.auth?.deviceId !== undefined && hello.auth.deviceId !== identity.id)
    problems.push(`auth.deviceId ${short(hello.auth.deviceId)} is not the identity's ${identity.id}`);
  return problems;
}

async function main() {
  return runWithGateway(
    {
      argv: process.argv.slice(2),
      usage: USAGE,
      needsCli: "real-gateway",
      extraOptions: { "tick-timeout": { type: "string", default: "45000" } },
    },
    async ({ options, url, token, tempDir }) => {
      const tickTimeoutMs = Number(options.extra["tick-timeout"]);
      if (!Number.isFinite(tickTimeoutMs) || tickTimeoutMs <= 0) {
        console.error("--tick-timeout must be a positive number of ms");
        return 2;
      }
      if (!existsSync(SDK_ENTRY)) {
        console.error(`${SDK_ENTRY} not found; run: pnpm build`);
        return 2;
      }
      const sdk = await import(pathToFileURL(SDK_ENTRY).href);
      const { connectNode, loadOrCreateIdentity, FileDeviceTokenStore } = sdk;

      const { counts, check, notRun } = createChecklist(options);
      const skip = notRun;

      const sdkHome = path.join(tempDir, "sdk-home");
      const identityPath = path.join(sdkHome, "identity.json");
      const tokensPath = path.join(sdkHome, "device-auth.json");
      const pairedIdentityPath = path.join(sdkHome, "paired-identity.json");
      const pairedTokensPath = path.join(sdkHome, "paired-device-auth.json");
      const scopes = ["operator.read", "operator.write"];
      const clients = [];
      const open = async (connectOptions) => {
        const client = await connectNode({ url, scopes, reconnect: false, handshakeTimeoutMs: 20_000, ...connectOptions });
        clients.push(client);
        return client;
      };
      try {
        // ---- A: the README's script shape: default client info (gateway-client/backend),
        // a device identity from a fresh file, the shared token.
        let client;
        let identity;
        let firstTick;
        let connectedAt;
        const connected = await check("connect-with-device-identity", async () => {
          identity = await loadOrCreateIdentity(identityPath);
          const mode = (await stat(identityPath)).mode & 0o777;
          connectedAt = Date.now();
          client = await open({ token, identity, identityStore: new FileDeviceTokenStore(tokensPath) });
          // Subscribe at once: the first tick can come any time in the next 30 s.
          firstTick = new Promise((resolve) => {
            const off = client.on("tick", (payload, message) => {
              off();
              resolve({ payload, message, afterMs: Date.now() - connectedAt });
            });
          });
          if (client.status.state !== "open") return `status is ${client.status.state} after connect, expected open`;
          if (mode !== 0o600) return `identity file mode ${mode.toString(8)}, expected 600`;
          return null;
        });
        if (connected) {
          await check("hello-ok", () => {
            const hello = client.hello;
            const problems = helloProblems(hello, identity);
            const detail = {
              server: hello?.server,
              policy: hello?.policy,
              auth: { ...hello?.auth, deviceToken: hello?.auth?.deviceToken ? "<set>" : undefined },
            };
            return { problem: problems.length ? problems.join("; ") : null, detail };
          });
          await check("call-health", async () => {
            const health = await client.call("health");
            if (!isPlainObject(health)) return { problem: "result is not an object", detail: health };
            if (health.ok !== true) return { problem: `ok is ${short(health.ok)}, expected true`, detail: health };
            if (typeof health.ts !== "number") return { problem: "no numeric ts", detail: health };
            return { detail: { ok: health.ok, ts: health.ts, durationMs: health.durationMs } };
          });
          await check("call-status", async () => {
            const status = await client.call("status");
            if (!isPlainObject(status)) return { problem: "result is not an object", detail: status };
            if (typeof status.runtimeVersion !== "string") return { problem: "no string runtimeVersion", detail: status };
            return { detail: { runtimeVersion: status.runtimeVersion } };
          });
        } else {
          for (const name of ["hello-ok", "call-health", "call-status"]) skip(name, "connect failed");
        }

        // ---- B: a device that gets paired. The real gateway admits a local
        // gateway-client/backend device without pairing it (and issues no device token), so
        // this one connects as client cli/cli, which a loopback connection with the shared
        // token gets paired silently: hello-ok carries a device token, the SDK stores it,
        // and the next connect needs no shared token.
        let paired;
        const pairedOk = await check("paired-device-token-issued-and-stored", async () => {
          const pairedIdentity = await loadOrCreateIdentity(pairedIdentityPath);
          paired = await open({
            token,
            identity: pairedIdentity,
            identityStore: new FileDeviceTokenStore(pairedTokensPath),
            client: { id: "cli", mode: "cli" },
          });
          const auth = paired.hello?.auth;
          const deviceToken = auth?.deviceToken;
          await paired.close();
          if (typeof deviceToken !== "string" || deviceToken === "") return { problem: "hello-ok has no auth.deviceToken", detail: auth };
          if (!existsSync(pairedTokensPath)) return `${path.basename(pairedTokensPath)} was not written`;
          const mode = (await stat(pairedTokensPath)).mode & 0o777;
          const file = JSON.parse(await readFile(pairedTokensPath, "utf8"));
          const entry = file.tokens?.find((candidate) => candidate.deviceId === pairedIdentity.id && candidate.role === "operator");
          if (!entry) return `no operator token for device ${pairedIdentity.id} in the token file`;
          if (entry.token !== deviceToken) return "stored token differs from hello-ok auth.deviceToken";
          if (mode !== 0o600) return `token file mode ${mode.toString(8)}, expected 600`;
          return { detail: { ...auth, deviceToken: "<set>" } };
        });
        if (pairedOk) {
          await check("reconnect-with-device-token-only", async () => {
            const again = await open({
              identity: await loadOrCreateIdentity(pairedIdentityPath),
              identityStore: new FileDeviceTokenStore(pairedTokensPath),
              client: { id: "cli", mode: "cli" },
            });
            const auth = again.hello?.auth;
            const health = await again.call("health");
            await again.close();
            if (health?.ok !== true) return { problem: "health through the device-token connection is not ok", detail: health };
            if (auth?.role !== "operator") return { problem: `auth.role ${short(auth?.role)}`, detail: auth };
            return { detail: { ...auth, deviceToken: auth?.deviceToken ? "<set>" : undefined } };
          });
        } else {
          skip("reconnect-with-device-token-only", "no device token was issued");
        }

        // ---- A again: a tick on the first connection, bounded.
        if (connected) {
          await check("tick-event", async () => {
            const remaining = Math.max(1000, tickTimeoutMs - (Date.now() - connectedAt));
            const tick = await withTimeout(firstTick, remaining, `tick (bounded at ${tickTimeoutMs} ms after connect)`);
            if (typeof tick.payload?.ts !== "number") return { problem: "tick payload has no numeric ts", detail: tick.message };
            if (client.status.state !== "open") return `status is ${client.status.state} when the tick arrived`;
            return { detail: { afterMsSinceConnect: tick.afterMs, seq: tick.message.seq, payload: tick.payload } };
          });
        } else {
          skip("tick-event", "connect failed");
        }
      } finally {
        for (const each of clients) await each.close().catch(() => {});
      }
      console.log(`${counts.passed} passed, ${counts.failed} failed`);
      return counts.failed === 0 ? 0 : 1;
    },
  );
}

process.exitCode = await main();
