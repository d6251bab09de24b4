import type { DeviceIdentity, DeviceTokenStore, GatewayClient } from "@openclaw/client";
import { connectNode, type NodeConnectOptions } from "@openclaw/client/node";
import { NodeCommandError } from "../errors.js";
import { pendingPairing } from "../status.js";

export type ExecDecision = "allow-once" | "allow-always" | "deny";

/** What an approver is asked about one run. */
export interface ExecApprovalAsk {
  readonly argv: readonly string[];
  readonly cwd?: string;
  /** Variables the run sets explicitly; approvers see them. */
  readonly env?: Readonly<Record<string, string>>;
  /** The node that will run it. */
  readonly nodeId?: string;
  /** How long operators get to answer; `null` after it. */
  readonly timeoutMs: number;
  /** Aborting stops waiting (the answer is then treated as no decision). */
  readonly signal?: AbortSignal;
}

/** Decides whether a `system.run` may go ahead. `null` means nobody decided: treat it as a deny. */
export interface ExecApprover {
  decide(ask: ExecApprovalAsk): Promise<ExecDecision | null>;
  close(): Promise<void>;
}

/** Options of {@link createGatewayExecApprover}: how this device reaches the gateway as an operator. */
export interface GatewayExecApproverOptions {
  readonly url: string;
  readonly token?: string;
  readonly password?: string;
  readonly tlsFingerprint?: string;
  /** The node's own device: the gateway pins one identity per host, with both roles. */
  readonly identity: DeviceIdentity;
  readonly tokenStore?: DeviceTokenStore;
  readonly displayName?: string;
  /** Must match the node connection's, or the gateway asks for a metadata re-approval. @default process.platform */
  readonly platform?: string;
  readonly deviceFamily?: string;
}

/** How a command line reads in an approval prompt: argv, quoted like a POSIX shell would need. */
export function commandText(argv: readonly string[]): string {
  return argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`)).join(" ");
}

/**
 * Ask the gateway's operators (`exec.approval.request`, one phase) over a second connection of
 * this device with `role: "operator"` and only `operator.approvals`. A node connection cannot
 * call operator methods, so the host holds both. On a local gateway holding the shared secret
 * the role is added silently; elsewhere an operator approves it once (`openclaw devices approve`).
 */
export function createGatewayExecApprover(options: GatewayExecApproverOptions): ExecApprover {
  let client: Promise<GatewayClient> | undefined;
  let closed = false;
  const connectOptions: NodeConnectOptions = {
    url: options.url,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.tlsFingerprint !== undefined ? { tlsFingerprint: options.tlsFingerprint } : {}),
    identity: options.identity,
    ...(options.tokenStore !== undefined ? { identityStore: options.tokenStore } : {}),
    client: {
      id: "node-host",
      mode: "backend",
      platform: options.platform ?? process.platform,
      ...(options.displayName !== undefined ? { displayName: options.displayName } : {}),
      ...(options.deviceFamily !== undefined ? { deviceFamily: options.deviceFamily } : {}),
    },
    role: "operator",
    scopes: ["operator.approvals"],
  };
  // Connected on first use, and again after the client gave up, so a gateway restart heals.
  const current = async (): Promise<GatewayClient> => {
    const existing = client ? await client.catch(() => undefined) : undefined;
    if (existing && existing.status.state !== "closed") return existing;
    client = connectNode(connectOptions);
    return client;
  };
  return {
    async decide(ask) {
      if (closed) throw new NodeCommandError("APPROVALS_UNAVAILABLE", "the exec approver is closed");
      let gateway: GatewayClient;
      try {
        gateway = await current();
      } catch (error) {
        const pairing = pendingPairing(error);
        const hint = pairing ? ` (approve this device's operator role: openclaw devices approve ${pairing.requestId ?? "<requestId>"})` : "";
        throw new NodeCommandError(
          "APPROVALS_UNAVAILABLE",
          `cannot reach the gateway to ask for an exec approval: ${error instanceof Error ? error.message : String(error)}${hint}`,
          { cause: error },
        );
      }
      const answer = await gateway.call(
        "exec.approval.request",
        {
          command: commandText(ask.argv),
          commandArgv: [...ask.argv],
          ...(ask.cwd !== undefined ? { cwd: ask.cwd } : {}),
          ...(ask.env !== undefined ? { env: { ...ask.env } } : {}),
          ...(ask.nodeId !== undefined ? { nodeId: ask.nodeId } : {}),
          host: "node",
          timeoutMs: ask.timeoutMs,
        },
        // The gateway answers `decision: null` at timeoutMs; the margin covers the round trip.
        { timeoutMs: ask.timeoutMs + 5000, ...(ask.signal ? { signal: ask.signal } : {}) },
      );
      return answer.decision ?? null;
    },
    async close() {
      closed = true;
      const existing = client ? await client.catch(() => undefined) : undefined;
      await existing?.close();
    },
  };
}
