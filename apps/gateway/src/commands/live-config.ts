import { resolveGatewaySettings, type ConfigWriteInfo, type GatewayFlags, type GatewayServer, type LoadedConfig } from "@openclaw/gateway-core";

/** What a running gateway needs to apply a written config: the server, and the env and flags it started with. */
export interface LiveConfigTarget {
  readonly server: GatewayServer;
  readonly env: NodeJS.ProcessEnv;
  readonly flags: GatewayFlags;
}

/**
 * The one place a config written through `config.set`/`config.patch`/`config.apply` reaches the
 * running gateway without a restart. Today it applies `gateway.nodes.commands` (allow/deny); a
 * general live-reload path extends this function with the other hot keys of `restartRequiredFor`.
 * With `gateway.reload.mode: "off"` nothing changes until the restart.
 */
export function applyLiveConfig(target: LiveConfigTarget, written: LoadedConfig, info: ConfigWriteInfo): void {
  if (info.previous?.gateway?.reload?.mode === "off") return;
  const settings = resolveGatewaySettings({ config: written.config, env: target.env, flags: target.flags });
  target.server.nodes.setCommandLists({ allow: settings.nodes.commands?.allow ?? [], deny: settings.nodes.commands?.deny ?? [] });
}
