// Dispatch checks on what a request looks like (§6.1, §8.5, §1.2): the exact schema error texts,
// and a cancel frame that must not cost the connection.
import { randomUUID } from "node:crypto";
import { fail, outcomeOf, pass, skip, type Check, type CheckContext, type CheckOutcome } from "../check.js";
import { call, closedText, connectOperator, noAnswer, show } from "../session.js";
import type { WireConnection } from "../wire.js";

/** A connection with these scopes and the methods its hello-ok advertises; ended after `body`. */
export async function withAdvertised(
  context: CheckContext,
  scopes: readonly string[],
  body: (connection: WireConnection, methods: ReadonlySet<string>) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const { connection, hello } = await connectOperator(context, scopes);
  try {
    const methods: unknown = hello?.features?.methods;
    return await body(connection, new Set(Array.isArray(methods) ? methods.filter((m): m is string => typeof m === "string") : []));
  } finally {
    await connection.end();
  }
}

interface SchemaCase {
  readonly what: string;
  readonly method: string;
  readonly params: Record<string, unknown>;
  /** The text after `invalid <method> params: `, as Ajv words it (and the 2026.9.6 captures show). */
  readonly errors: string;
}

/** Read-only methods with closed params that every gateway of the spec has (§6.2). */
export const SCHEMA_CASES: readonly SchemaCase[] = [
  { what: "a missing required property", method: "node.describe", params: {}, errors: "must have required property 'nodeId'" },
  { what: "a property a closed params object does not have", method: "logs.tail", params: { foo: 1 }, errors: "at root: unexpected property 'foo'" },
  { what: "a string where an integer belongs", method: "logs.tail", params: { maxBytes: "x" }, errors: "at /maxBytes: must be integer" },
  { what: "a number where a string belongs", method: "node.describe", params: { nodeId: 7 }, errors: "at /nodeId: must be string" },
];

const schemaErrors: Check = {
  id: "dispatch.schema-errors",
  section: "8.5",
  level: "MUST",
  title: 'a missing, an extra and a wrongly typed param are each refused INVALID_REQUEST "invalid <method> params: <Ajv text>"',
  run: (context) =>
    withAdvertised(context, ["operator.read"], async (connection, methods) => {
      const runnable = SCHEMA_CASES.filter((testCase) => methods.has(testCase.method));
      if (runnable.length === 0) return skip(`hello-ok features.methods advertises none of ${[...new Set(SCHEMA_CASES.map((c) => c.method))].join(", ")}`);
      const problems: string[] = [];
      for (const testCase of runnable) {
        const res = await call(connection, context, testCase.method, testCase.params);
        const label = `${testCase.method} ${show(testCase.params)} (${testCase.what})`;
        if (!res) return fail(`${label}: ${noAnswer(connection, context.answerTimeoutMs)}`);
        const expected = `invalid ${testCase.method} params: ${testCase.errors}`;
        if (res.ok !== false) problems.push(`${label}: expected ok:false, got ${show(res)}`);
        else {
          if (res.error?.code !== "INVALID_REQUEST") problems.push(`${label}: error.code: expected "INVALID_REQUEST", got ${show(res.error?.code)}`);
          if (res.error?.message !== expected) problems.push(`${label}: error.message: expected ${show(expected)}, got ${show(res.error?.message)}`);
        }
      }
      return outcomeOf(problems);
    }),
};

const cancelFrame: Check = {
  id: "dispatch.cancel-frame",
  section: "1.2",
  level: "SHOULD",
  title: 'a {type:"cancel"} frame (for an unknown and for a finished request) leaves the connection open and answering',
  run: (context) =>
    withAdvertised(context, ["operator.read"], async (connection) => {
      const finished = `req-${randomUUID()}`;
      connection.send({ type: "req", id: finished, method: "health", params: {} });
      if (!(await connection.response(finished, context.answerTimeoutMs)))
        return fail(`health before the cancel: ${noAnswer(connection, context.answerTimeoutMs)}`);
      // Whether the gateway answers a cancel frame is not settled (§1.2, Appendix A #3); only its effect on the connection is.
      connection.send({ type: "cancel", id: `unknown-${randomUUID()}` });
      connection.send({ type: "cancel", id: finished });
      const health = await call(connection, context, "health", {});
      if (connection.closed) return fail(`the connection closed after the cancel frames (${closedText(connection.closed)}); expected them ignored`);
      if (health?.ok !== true)
        return fail(
          `health after the cancel frames: ${health ? `expected ok:true, got ${show(health.error)}` : noAnswer(connection, context.answerTimeoutMs)}`,
        );
      return pass();
    }),
};

/** Schema-text and cancel-frame checks, in run order. Neither changes anything on the gateway. */
export function requestShapeChecks(): Check[] {
  return [schemaErrors, cancelFrame];
}
