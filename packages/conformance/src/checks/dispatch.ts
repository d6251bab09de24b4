// Dispatch checks (§6.1, §5.6, §8.4–8.5): how a gateway refuses requests it cannot serve.
import { randomUUID } from "node:crypto";
import { fail, outcomeOf, type Check, type CheckContext, type CheckOutcome } from "../check.js";
import { call, connectOperator, noAnswer, show } from "../session.js";
import type { WireConnection } from "../wire.js";
import { idempotencyChecks } from "./dispatch-idempotency.js";
import { requestShapeChecks } from "./dispatch-schema.js";

/** A method name no gateway has. */
const unknownMethod = () => `conformance.no-such-method-${randomUUID().slice(0, 8)}`;

async function withOperator(
  context: CheckContext,
  scopes: readonly string[],
  body: (connection: WireConnection) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
  const { connection } = await connectOperator(context, scopes);
  try {
    return await body(connection);
  } finally {
    await connection.end();
  }
}

const unknownMethodCheck: Check = {
  id: "dispatch.unknown-method",
  section: "6.1",
  level: "MUST",
  title: 'an unknown method from an admin is refused INVALID_REQUEST "unknown method: <name>"',
  run: (context) =>
    withOperator(context, ["operator.admin"], async (connection) => {
      const method = unknownMethod();
      const res = await call(connection, context, method, {});
      if (!res) return fail(noAnswer(connection, context.answerTimeoutMs));
      const problems: string[] = [];
      if (res.ok !== false) problems.push(`expected ok:false, got ${show(res)}`);
      if (res.error?.code !== "INVALID_REQUEST") problems.push(`error.code: expected "INVALID_REQUEST", got ${show(res.error?.code)}`);
      if (res.error?.message !== `unknown method: ${method}`)
        problems.push(`error.message: expected ${show(`unknown method: ${method}`)}, got ${show(res.error?.message)}`);
      return outcomeOf(problems);
    }),
};

const scopeBeforeLookup: Check = {
  id: "dispatch.scope-before-lookup",
  section: "1.5",
  level: "MUST",
  title: "an operator.read connection calling a method that does not exist is refused for scope (FORBIDDEN MISSING_SCOPE), not as unknown",
  run: (context) =>
    withOperator(context, ["operator.read"], async (connection) => {
      const res = await call(connection, context, unknownMethod(), {});
      if (!res) return fail(noAnswer(connection, context.answerTimeoutMs));
      const problems: string[] = [];
      if (res.ok !== false) problems.push(`expected ok:false, got ${show(res)}`);
      if (res.error?.code !== "FORBIDDEN") {
        const lookedUpFirst = typeof res.error?.message === "string" && res.error.message.startsWith("unknown method:");
        problems.push(
          `error.code: expected "FORBIDDEN", got ${show(res.error?.code)}${lookedUpFirst ? " (the method was looked up before the scope was checked)" : ""}`,
        );
      }
      if (res.error?.details?.code !== "MISSING_SCOPE") problems.push(`error.details.code: expected "MISSING_SCOPE", got ${show(res.error?.details?.code)}`);
      if (res.error?.message !== "missing scope: operator.admin")
        problems.push(`error.message: expected "missing scope: operator.admin", got ${show(res.error?.message)}`);
      return outcomeOf(problems);
    }),
};

const invalidParams: Check = {
  id: "dispatch.invalid-params",
  section: "8.5",
  level: "MUST",
  title: 'params failing the method\'s schema are refused INVALID_REQUEST "invalid <method> params: <errors>"',
  run: (context) =>
    withOperator(context, ["operator.read"], async (connection) => {
      const res = await call(connection, context, "logs.tail", { limit: "x" });
      if (!res) return fail(noAnswer(connection, context.answerTimeoutMs));
      const problems: string[] = [];
      if (res.ok !== false) problems.push(`expected ok:false, got ${show(res)}`);
      if (res.error?.code !== "INVALID_REQUEST") problems.push(`error.code: expected "INVALID_REQUEST", got ${show(res.error?.code)}`);
      const expected = "invalid logs.tail params: at /limit: must be integer";
      if (res.error?.message !== expected) problems.push(`error.message: expected ${show(expected)}, got ${show(res.error?.message)}`);
      return outcomeOf(problems);
    }),
};

/** Every dispatch check, in run order. Only dispatch.idempotent-replay changes anything, and only with --allow-mutations. */
export function dispatchChecks(): Check[] {
  return [unknownMethodCheck, scopeBeforeLookup, invalidParams, ...requestShapeChecks(), ...idempotencyChecks()];
}
