// Runs checks one after another against one gateway, reporting each as it finishes.
import type { Check, CheckContext, CheckResult } from "./check.js";
import { openSocket } from "./session.js";

export interface RunHooks {
  /** Called as each check finishes, in order. */
  readonly onResult?: (result: CheckResult, index: number, total: number) => void;
}

/** Throws GatewayUnreachableError when no WebSocket can be opened to the gateway at all. */
export async function probeGateway(context: CheckContext): Promise<void> {
  const connection = await openSocket(context);
  await connection.end();
}

/** Run `checks` in order. A check that throws fails with the error's message; nothing is retried. */
export async function runChecks(checks: readonly Check[], context: CheckContext, hooks: RunHooks = {}): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [index, check] of checks.entries()) {
    const started = performance.now();
    let outcome;
    try {
      outcome = await check.run(context);
    } catch (error) {
      outcome = { status: "fail" as const, detail: `error: ${error instanceof Error ? error.message : String(error)}` };
    }
    const result: CheckResult = {
      id: check.id,
      section: check.section,
      level: check.level,
      title: check.title,
      ...outcome,
      durationMs: Math.round(performance.now() - started),
    };
    results.push(result);
    hooks.onResult?.(result, index, checks.length);
  }
  return results;
}
