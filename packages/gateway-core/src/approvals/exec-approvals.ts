import type { Broadcast } from "../events/bus.js";
import { randomUUID } from "node:crypto";
import { type MethodParams } from "@openclaw/protocol";
import { ApprovalNotFoundError, InvalidInputError } from "../errors.js";

export type ExecApprovalDecision = "allow-once" | "allow-always" | "deny";
export type ExecApprovalRequest = MethodParams<"exec.approval.request">;

/** One approval request, waiting or decided. */
export interface ExecApprovalEntry {
  readonly id: string;
  readonly request: ExecApprovalRequest;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  decision: ExecApprovalDecision | null | undefined;
  readonly settled: Promise<ExecApprovalDecision | null>;
  readonly settle: (decision: ExecApprovalDecision | null) => void;
  readonly timer: NodeJS.Timeout;
}

/** How long a request waits for an operator. @default 120000 */
export const EXEC_APPROVAL_TIMEOUT_MS = 120_000;
/** Resolved approvals stay readable this long. */
const KEEP_RESOLVED_MS = 300_000;

function commandKey(request: ExecApprovalRequest): string {
  const argv0 = request.commandArgv?.[0] ?? request.systemRunPlan?.argv[0] ?? request.command?.trim().split(/\s+/)[0] ?? "";
  return `${request.nodeId ?? request.host ?? "gateway"}|${argv0}`;
}

/**
 * Exec approvals: a request waits until an operator with `operator.approvals`
 * allows or denies it, or it times out (decision null = not allowed).
 * `allow-always` is remembered for the same program on the same node.
 */
export class ExecApprovals {
  private readonly pending = new Map<string, ExecApprovalEntry>();
  private readonly alwaysAllowed = new Set<string>();
  private readonly forgetTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly broadcast: Broadcast,
    private readonly now: () => number = Date.now,
  ) {}

  request(request: ExecApprovalRequest): ExecApprovalEntry {
    const id = request.id ?? randomUUID();
    if (this.pending.has(id)) throw new InvalidInputError(`approval id already in use: ${id}`);
    const createdAtMs = this.now();
    const timeoutMs = request.timeoutMs ?? EXEC_APPROVAL_TIMEOUT_MS;
    let settle!: (decision: ExecApprovalDecision | null) => void;
    const settled = new Promise<ExecApprovalDecision | null>((resolve) => (settle = resolve));
    const entry: ExecApprovalEntry = {
      id,
      request,
      createdAtMs,
      expiresAtMs: createdAtMs + timeoutMs,
      decision: undefined,
      settled,
      settle,
      timer: setTimeout(() => this.finish(entry, null, "timeout"), timeoutMs),
    };
    this.pending.set(id, entry);
    if (this.alwaysAllowed.has(commandKey(request))) {
      this.finish(entry, "allow-always", "policy");
      return entry;
    }
    this.broadcast("exec.approval.requested", { id, request, createdAtMs, expiresAtMs: entry.expiresAtMs });
    return entry;
  }

  resolve(id: string, decision: ExecApprovalDecision, resolvedBy: string): void {
    const entry = this.pending.get(id);
    if (!entry || entry.decision !== undefined) throw new ApprovalNotFoundError(`unknown approval id: ${id}`);
    if (decision === "allow-always") this.alwaysAllowed.add(commandKey(entry.request));
    this.finish(entry, decision, resolvedBy);
  }

  get(id: string): ExecApprovalEntry {
    const entry = this.pending.get(id);
    if (!entry) throw new ApprovalNotFoundError(`unknown approval id: ${id}`);
    return entry;
  }

  list(): ExecApprovalEntry[] {
    return [...this.pending.values()].filter((entry) => entry.decision === undefined);
  }

  /** Deny everything still waiting and clear every timer (shutdown). */
  close(): void {
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      if (entry.decision === undefined) entry.settle(null);
    }
    this.pending.clear();
    for (const timer of this.forgetTimers) clearTimeout(timer);
    this.forgetTimers.clear();
  }

  private finish(entry: ExecApprovalEntry, decision: ExecApprovalDecision | null, resolvedBy: string): void {
    if (entry.decision !== undefined) return;
    clearTimeout(entry.timer);
    entry.decision = decision;
    entry.settle(decision);
    this.broadcast("exec.approval.resolved", { id: entry.id, decision, resolvedBy, ts: this.now() });
    // Keep it answerable for waiters and `exec.approval.get` for a while, then forget it.
    const forget = setTimeout(() => {
      this.forgetTimers.delete(forget);
      this.pending.delete(entry.id);
    }, KEEP_RESOLVED_MS);
    this.forgetTimers.add(forget);
  }
}
