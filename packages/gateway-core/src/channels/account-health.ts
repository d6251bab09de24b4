import { evaluateDmPolicy, evaluateGroupPolicy, type ChannelAccountStatus } from "@openclaw/channel-kit";
import type { ChannelAccountHealth } from "@openclaw/protocol";

// A terminal account must not look healthy: its health says whether the transport is up, whether
// inbound messages can reach the agent, and whether it is stuck until the operator acts. The
// schemas (ChannelAccountHealth, ChannelHealthSummary) are protocol's.

/** Account states no reconnect leaves: the adapter gave up, or the provider ended the session. */
const TERMINAL_STATES: ReadonlySet<string> = new Set(["failed", "logged_out", "replaced"]);
/** States on the way up, not yet a failure. */
const CONNECTING_STATES: ReadonlySet<string> = new Set(["starting", "connecting"]);
/** DM and group denials that hold for every sender: nobody gets in. */
const DM_CLOSED_FOR_ALL: ReadonlySet<string> = new Set(["dm-disabled", "unknown-mode", "invalid-allow-list", "empty-allow-list", "open-without-wildcard"]);
const GROUPS_CLOSED_FOR_ALL: ReadonlySet<string> = new Set(["groups-disabled", "unknown-mode", "invalid-allow-list", "empty-allow-list"]);

export interface AccountHealthInput {
  readonly channel: string;
  readonly status: ChannelAccountStatus;
  /** The account's merged settings; only the policy keys are read. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly groups: readonly string[];
}

/** Derives an account's health from its status and policy; pure, so every rule is unit-testable. */
export function evaluateAccountHealth(input: AccountHealthInput): Omit<ChannelAccountHealth, "terminalSince" | "lastErrorAt"> {
  const { status, channel } = input;
  const accountFlag = status.accountId === "default" ? "" : ` --account ${status.accountId}`;
  const terminal = status.enabled !== false && (TERMINAL_STATES.has(status.state) || status.relinkNeeded === true);
  const transport: ChannelAccountHealth["transport"] =
    status.enabled === false || status.state === "stopped" || status.state === "disabled"
      ? "stopped"
      : status.connected === true
        ? "up"
        : CONNECTING_STATES.has(status.state)
          ? "connecting"
          : "down";

  let problem: string | undefined;
  const cause = status.lastError !== undefined ? `: ${status.lastError}` : "";
  if (status.relinkNeeded === true) problem = `${status.state}${cause}; relink with openclaw channels login --channel ${channel}${accountFlag}`;
  else if (terminal)
    problem = `${status.state}${cause}; it will not recover on its own: fix the cause, then run openclaw channels start ${channel}${accountFlag}`;
  else if (transport === "down") problem = `${status.state}${cause}`;

  let inboundReason: string | undefined;
  if (transport !== "up") inboundReason = `transport is ${transport}`;
  else {
    const probe = { channel, senderId: "health-probe", chatId: "health-probe" };
    const dm = evaluateDmPolicy({ ...probe, policy: { mode: input.config.dmPolicy, allowFrom: input.config.allowFrom } });
    const group = evaluateGroupPolicy({
      ...probe,
      policy: { mode: input.config.groupPolicy, allowFrom: input.config.groupAllowFrom, groups: [...input.groups] },
    });
    const dmClosed = dm.action === "deny" && DM_CLOSED_FOR_ALL.has(dm.reason);
    const groupsClosed = group.action === "deny" && GROUPS_CLOSED_FOR_ALL.has(group.reason);
    if (dmClosed && groupsClosed) inboundReason = `no sender can reach the agent: DMs ${dm.reason}, groups ${group.reason}`;
  }
  return {
    transport,
    inbound: inboundReason === undefined ? "admitting" : "closed",
    ...(inboundReason !== undefined ? { inboundReason } : {}),
    terminal,
    ...(problem !== undefined ? { problem } : {}),
  };
}
