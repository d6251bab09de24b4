import type { GatewaySettings } from "@openclaw/gateway-core";
import { CliError } from "../errors.js";
import { AgentModels } from "../live/agent-models.js";

/**
 * What a gateway refuses to start with, checked before a start and before a changed config is
 * accepted, so a restart for a config change never stops a gateway that cannot come back.
 * Throws a CliError whose message names the key to fix.
 */
export function checkStartable(settings: GatewaySettings, env: NodeJS.ProcessEnv): void {
  if (settings.auth.mode === "none" && settings.bind !== "loopback")
    throw new CliError('refusing to start: gateway.auth.mode "none" is only allowed with a loopback bind (set a token or password, or use --bind loopback)');
  // A password mode without a password would refuse every connect; say so instead of starting.
  if (settings.auth.mode === "password" && !settings.auth.password) {
    const tokenHint = settings.auth.token ? " (a token is set, but password mode ignores it: use --auth token, or give the password)" : "";
    throw new CliError(
      `refusing to start: gateway.auth.mode is "password" but no password is set; set gateway.auth.password, OPENCLAW_GATEWAY_PASSWORD or --password${tokenHint}`,
    );
  }
  if (settings.bind !== "loopback" && settings.auth.mode !== "trusted-proxy" && !settings.auth.token && !settings.auth.password) {
    throw new CliError(`refusing to start: a ${settings.bind} bind needs gateway auth (set gateway.auth.token or --token)`);
  }
  AgentModels.check(settings, env);
}
