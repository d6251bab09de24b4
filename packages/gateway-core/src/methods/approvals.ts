import type { ExecApprovals, ExecApprovalEntry } from "../approvals/exec-approvals.js";
import type { MethodHandler } from "./types.js";

type ApprovalMethod = "exec.approval.request" | "exec.approval.waitDecision" | "exec.approval.resolve" | "exec.approval.get" | "exec.approval.list";
export type ApprovalHandlers = { [M in ApprovalMethod]: MethodHandler<M> };

const record = (entry: ExecApprovalEntry) => ({
  id: entry.id,
  request: entry.request,
  createdAtMs: entry.createdAtMs,
  expiresAtMs: entry.expiresAtMs,
  ...(entry.decision !== undefined ? { decision: entry.decision } : {}),
});

/** Resolves with null when the caller goes away or cancels, so a waiting request ends with it. */
const aborted = (signal: AbortSignal) => new Promise<null>((resolve) => signal.addEventListener("abort", () => resolve(null), { once: true }));

/** `exec.approval.*`, backed by the approvals queue. */
export function createApprovalHandlers(approvals: ExecApprovals): ApprovalHandlers {
  return {
    "exec.approval.request": async (params, context) => {
      const entry = approvals.request(params);
      if (params.twoPhase) return { id: entry.id, status: "accepted" as const };
      const abort = aborted(context.signal);
      return { id: entry.id, decision: await Promise.race([entry.settled, abort]) };
    },
    "exec.approval.waitDecision": async (params, context) => {
      const entry = approvals.get(params.id);
      const abort = aborted(context.signal);
      return { id: entry.id, decision: await Promise.race([entry.settled, abort]) };
    },
    "exec.approval.resolve": (params, context) => {
      approvals.resolve(params.id, params.decision, context.deviceId ?? context.client.displayName ?? context.client.id);
      return { ok: true as const };
    },
    "exec.approval.get": (params) => record(approvals.get(params.id)),
    "exec.approval.list": () => ({ approvals: approvals.list().map(record) }),
  };
}
