import { randomUUID } from "node:crypto";
import { ErrorCodes, type MethodParams } from "@openclaw/protocol";
import { MethodError } from "../errors.js";
import type { MethodHandlers } from "../methods/types.js";

type Decision = "allow-once" | "allow-always" | "deny";
type Request = MethodParams<"exec.approval.request">;

interface Pending {
  readonly id: string;
  readonly request: Request;
  readonly createdAtMs: number;
  readonly expiresAtMs: number;
  decision: Decision | null | undefined;
  readonly settled: Promise<Decision | null>;
  readonly settle: (decision: Decision | null) => void;
  readonly timer: NodeJS.Timeout;
}

/** How long a request waits for an operator. @default 120000 */
export const EXEC_APPROVAL_TIMEOUT_MS = 120_000;
/** Resolved approvals stay readable this long. */
const KEEP_RESOLVED_MS = 300_000;

function commandKey(request: Request): string {
  const argv0 = request.commandArgv?.[0] ?? request.systemRunPlan?.argv[0] ?? request.command?.trim().split(/\s+/)[0] ?? "";
  return `${request.nodeId ?? request.host ?? "gateway"}|${argv0}`;
}

/**
 * Exec approvals: a request waits until an operator with `operator.approvals`
 * allows or denies it, or it times out (decision null = not allowed).
 * `allow-always` is remembered for the same program on the same node.
 */
export class ExecApprovals {
  private readonly pending = new Map<string, Pending>();
  private readonly alwaysAllowed = new Set<string>();
  private readonly forgetTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly broadcast: (event: "exec.approval.requested" | "exec.approval.resolved", payload: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  request(request: Request): Pending {
    const id = request.id ?? randomUUID();
    if (this.pending.has(id)) throw MethodError.invalidRequest(`approval id already in use: ${id}`);
    const createdAtMs = this.now();
    const timeoutMs = request.timeoutMs ?? EXEC_APPROVAL_TIMEOUT_MS;
    let settle!: (decision: Decision | null) => void;
    const settled = new Promise<Decision | null>((resolve) => (settle = resolve));
    const entry: Pending = {
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

  resolve(id: string, decision: Decision, resolvedBy: string): void {
    const entry = this.pending.get(id);
    if (!entry || entry.decision !== undefined) throw new MethodError({ code: ErrorCodes.APPROVAL_NOT_FOUND, message: `unknown approval id: ${id}` });
    if (decision === "allow-always") this.alwaysAllowed.add(commandKey(entry.request));
    this.finish(entry, decision, resolvedBy);
  }

  get(id: string): Pending {
    const entry = this.pending.get(id);
    if (!entry) throw new MethodError({ code: ErrorCodes.APPROVAL_NOT_FOUND, message: `unknown approval id: ${id}` });
    return entry;
  }

  list(): Pending[] {
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

  private finish(entry: Pending, decision: Decision | null, resolvedBy: string): void {
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

  handlers(): MethodHandlers {
    const record = (entry: Pending) => ({ id: entry.id, request: entry.request, createdAtMs: entry.createdAtMs, expiresAtMs: entry.expiresAtMs, ...(entry.decision !== undefined ? { decision: entry.decision } : {}) });
    return {
      "exec.approval.request": async (params, context) => {
        const entry = this.request(params);
        if (params.twoPhase) return { id: entry.id, status: "accepted" as const };
        const abort = new Promise<null>((resolve) => context.signal.addEventListener("abort", () => resolve(null), { once: true }));
        return { id: entry.id, decision: await Promise.race([entry.settled, abort]) };
      },
      "exec.approval.waitDecision": async (params, context) => {
        const entry = this.get(params.id);
        const abort = new Promise<null>((resolve) => context.signal.addEventListener("abort", () => resolve(null), { once: true }));
        return { id: entry.id, decision: await Promise.race([entry.settled, abort]) };
      },
      "exec.approval.resolve": (params, context) => {
        this.resolve(params.id, params.decision, context.deviceId ?? context.client.displayName ?? context.client.id);
        return { ok: true as const };
      },
      "exec.approval.get": (params) => record(this.get(params.id)),
      "exec.approval.list": () => ({ approvals: this.list().map(record) }),
    };
  }
}
