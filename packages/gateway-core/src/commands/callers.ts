import { ADMIN_SCOPE } from "@openclaw/protocol";
import type { RequestContext } from "../methods/types.js";
import type { CommandCaller } from "./types.js";

/** Client ids as `/status` and `/whoami` name their surface. */
const SURFACES: Readonly<Record<string, string>> = {
  "openclaw-tui": "tui",
  "openclaw-control-ui": "webchat",
  webchat: "webchat",
  "webchat-ui": "webchat",
  cli: "cli",
};

/**
 * A gateway client as a command caller. On the control plane the owner is a connection holding
 * `operator.admin`: the same scope that may change the gateway by its methods.
 */
export function commandCaller(context: RequestContext, sessionKey: string, agentId: string): CommandCaller {
  return {
    surface: SURFACES[context.client.id] ?? context.client.mode ?? context.client.id,
    sessionKey,
    agentId,
    senderId: context.deviceId ?? context.client.id,
    senderName: context.client.displayName ?? context.client.id,
    isOwner: context.scopes.includes(ADMIN_SCOPE),
  };
}

/**
 * Whether a channel sender is the owner: listed in `commands.ownerAllowFrom` as
 * `<channel>:<senderId>` (or `<channel>/<account>:<senderId>` for one account only). Nobody
 * else is, whatever the DM policy lets in; the list takes no wildcards.
 */
export function isChannelOwner(owners: readonly string[], channel: string, accountId: string, senderId: string): boolean {
  return owners.includes(`${channel}:${senderId}`) || owners.includes(`${channel}/${accountId}:${senderId}`);
}
