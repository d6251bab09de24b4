// The real OpenClaw gateway for the install test's second conformance run, from the interop cache
// (tooling/interop/install.sh). Undefined when it is not installed: that run is then reported as not run.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startGateway, stopGateway } from "../interop/gateway-process.mjs";
import { OPENCLAW_VERSION, REAL_OPENCLAW_QUIET_ENV, parseRunnerOptions, shellQuote } from "../interop/lib.mjs";

/** `{ version, start() }`, where `start` resolves with `{ url, token, stop() }` once the gateway is ready. */
export function realOpenclawGateway() {
  const { node, cli } = parseRunnerOptions(["--real-gateway"]);
  if (!existsSync(node) || !existsSync(cli)) return undefined;
  return {
    version: OPENCLAW_VERSION,
    async start() {
      const tempDir = mkdtempSync(join(tmpdir(), "openclaw-install-real-"));
      let spawned;
      const stop = async () => {
        if (spawned) await stopGateway(spawned);
        rmSync(tempDir, { recursive: true, force: true });
      };
      try {
        const gateway = await startGateway({
          command: `${shellQuote(node)} ${shellQuote(cli)} gateway run --bind loopback --auth token --allow-unconfigured`,
          cwd: tempDir,
          tempDir,
          startTimeoutMs: 120_000,
          env: REAL_OPENCLAW_QUIET_ENV,
          onSpawned: (child) => (spawned = child),
        });
        return { url: gateway.url, token: gateway.token, stop };
      } catch (error) {
        await stop();
        throw error;
      }
    },
  };
}
