import { GatewayRequestError, type GatewayClient } from "@openclaw/client";
import type { MethodResult } from "@openclaw/protocol";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { resolveNodeId } from "../id-prefix.js";
import { withClient, type ClientFlags } from "../client-session.js";
import { printCommandReview, printJson } from "../output.js";
import { printTable, withSpinner } from "../terminal.js";

const WRITE = ["operator.read", "operator.write"];

type PendingNode = MethodResult<"node.pair.list">["pending"][number];

export interface NodesFlags extends ClientFlags {
  readonly params?: string;
  readonly invokeTimeout?: number;
  /** `nodes approve`: connect with operator.admin, which a surface declaring system.run and the like needs. */
  readonly admin?: boolean;
}

/**
 * The waiting approval `id` names: a request id, a node id, or a node id's unique prefix (as
 * `nodes pending` shows it). Says what to do when there is none.
 */
export function findPendingNode(listed: MethodResult<"node.pair.list">, id: string): PendingNode {
  const exact = listed.pending.find((request) => request.requestId === id || request.nodeId === id);
  if (exact) return exact;
  const prefixed = listed.pending.filter((request) => request.nodeId.startsWith(id));
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1)
    throw new CliError(`"${id}" matches ${prefixed.length} nodes waiting for approval; give more of the node id (see openclaw nodes pending)`);
  if (listed.paired.some((node) => node.nodeId === id || node.nodeId.startsWith(id)))
    throw new CliError(`node ${id} has nothing waiting for approval: the commands it declares are approved (see openclaw nodes describe ${id})`);
  throw new CliError(`nothing is waiting for approval under "${id}"; is the node connected? (see openclaw nodes pending)`);
}

async function approve(client: GatewayClient, flags: NodesFlags, id: string) {
  const request = findPendingNode(await client.call("node.pair.list", {}), id);
  try {
    return await client.call("node.pair.approve", { requestId: request.requestId });
  } catch (error) {
    if (error instanceof GatewayRequestError && error.detailCode === "MISSING_SCOPE" && !flags.admin) {
      const missing = (error.details as { missingScope?: string }).missingScope;
      throw new CliError(
        `approving node ${request.displayName ?? request.nodeId} needs ${missing}: one of the commands it declares (${(request.commands ?? []).join(", ")}) is admin-only; ` +
          `rerun with: openclaw nodes approve ${request.nodeId} --admin`,
        1,
        { cause: error },
      );
    }
    throw error;
  }
}

/** A refusal from a gateway that gives no hint of its own gets the fix this CLI knows for its reason. */
function withInvokeHint(error: unknown, nodeId: string): unknown {
  if (!(error instanceof GatewayRequestError)) return error;
  const details = error.details as { reason?: string; command?: string; remediationHint?: string } | undefined;
  if (!details?.reason || details.remediationHint) return error;
  const fixes: Record<string, string> = {
    "not-approved": `approve it with: openclaw nodes approve ${nodeId}`,
    "not-allowlisted": `add ${details.command ?? "it"} to gateway.nodes.commands.allow in the gateway config`,
    denied: `remove ${details.command ?? "it"} from gateway.nodes.commands.deny in the gateway config`,
    "not-declared": `the node does not declare ${details.command ?? "it"}; add it to the node's commands and reconnect it`,
  };
  const fix = fixes[details.reason];
  return new CliError(`${error.message} (reason ${details.reason})${fix ? `; ${fix}` : ""}`, 1, { cause: error });
}

/** `openclaw nodes list|pending|approve|reject|describe|invoke`. */
export async function nodesCommand(io: CommandIo, flags: NodesFlags, action: string, nodeId?: string, command?: string): Promise<void> {
  // Approving a surface needs operator.pairing (and write for a surface with commands, admin for admin commands).
  const scopes = ["pending", "approve", "reject"].includes(action) ? [...WRITE, "operator.pairing", ...(flags.admin ? ["operator.admin"] : [])] : WRITE;
  const result = await withClient(io, flags, scopes, async (client) => {
    switch (action) {
      case "list":
        return client.call("node.list", {});
      case "pending":
        return client.call("node.pair.list", {});
      case "approve":
        if (!nodeId) throw new CliError("openclaw nodes approve needs a nodeId or requestId (see openclaw nodes pending)");
        return approve(client, flags, nodeId);
      case "reject": {
        if (!nodeId) throw new CliError("openclaw nodes reject needs a nodeId or requestId (see openclaw nodes pending)");
        const request = findPendingNode(await client.call("node.pair.list", {}), nodeId);
        return client.call("node.pair.reject", { requestId: request.requestId });
      }
      case "describe":
        if (!nodeId) throw new CliError("openclaw nodes describe needs a nodeId");
        return client.call("node.describe", { nodeId: await resolveNodeId(client, nodeId) });
      case "invoke": {
        if (!nodeId || !command) throw new CliError("openclaw nodes invoke needs a nodeId and a command");
        if (command === "system.run" || command === "system.run.prepare")
          throw new CliError(`${command} only runs through the agent's exec tool with an approval; it cannot be invoked directly`);
        let params: unknown;
        try {
          params = flags.params === undefined ? undefined : JSON.parse(flags.params);
        } catch (error) {
          throw new CliError(`--params is not valid JSON: ${(error as Error).message}`);
        }
        const target = await resolveNodeId(client, nodeId);
        return withSpinner(io, `waiting for ${command}`, () =>
          client
            .call("node.invoke", {
              nodeId: target,
              command,
              ...(params === undefined ? {} : { params }),
              ...(flags.invokeTimeout ? { timeoutMs: flags.invokeTimeout } : {}),
            })
            .catch((error: unknown) => {
              throw withInvokeHint(error, target);
            }),
        );
      }
      default:
        throw new CliError(`unknown nodes action "${action}"; use list, pending, approve, reject, describe or invoke`);
    }
  });
  if (flags.json) return printJson(io, action === "invoke" ? ((result as { payload?: unknown }).payload ?? null) : result);
  switch (action) {
    case "pending": {
      const pending = (result as MethodResult<"node.pair.list">).pending;
      return printTable(
        io,
        ["requestId", "node", "name", "platform", "approving opens", "stays refused"],
        pending.map((r) => [
          r.requestId,
          r.nodeId.slice(0, 12),
          r.displayName,
          r.platform,
          (r.commandReview?.approved ?? r.commands ?? []).join(", "),
          (r.commandReview?.withheld ?? []).map((withheld) => `${withheld.command} (${withheld.reason})`).join(", "),
        ]),
      );
    }
    case "approve": {
      const approved = result as MethodResult<"node.pair.approve">;
      io.stdout.write(`Approved node ${approved.node.displayName ? `"${approved.node.displayName}" ` : ""}${approved.node.nodeId}\n`);
      if (approved.commandReview) printCommandReview(io, approved.commandReview);
      return;
    }
    case "list": {
      const listed = result as MethodResult<"node.list">;
      return printTable(
        io,
        ["node", "name", "platform", "connected", "paired", "commands"],
        listed.nodes.map((n) => [n.nodeId.slice(0, 12), n.displayName, n.platform, n.connected ? "yes" : "no", n.paired ? "yes" : "no", n.commands.join(", ")]),
      );
    }
    default:
      return printJson(io, action === "invoke" ? ((result as { payload?: unknown }).payload ?? null) : result);
  }
}
