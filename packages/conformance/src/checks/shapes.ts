// Result shapes (§6.2, §6.4): every read-only method the gateway advertises and our registry knows
// answers a result that fits the registry's result schema. Methods are known only at run time, so
// this is one check whose detail names each method that failed and where.
import { acceptsServerValue, findMethod, serverValueProblems, type MethodDescriptor } from "@openclaw/protocol";
import { fail, outcomeOf, withNotes, type Check } from "../check.js";
import { call, connectOperator, noAnswer, show } from "../session.js";

/** Read-scoped methods that still change something (here: what the connection receives). */
const SIDE_EFFECTS: Readonly<Record<string, string>> = {
  "sessions.subscribe": "subscribes the connection to session events",
};

const readOnly = (descriptor: MethodDescriptor) => descriptor.access === "any" || descriptor.access === "operator.read";

/** The properties a params schema requires, for "not called" notes. */
const requiredOf = (descriptor: MethodDescriptor): string[] => ((descriptor.params as { required?: string[] }).required ?? []).map(String);

/** Why a method is not called with `{}`, or undefined when it can be. */
function reasonNotToCall(method: string, descriptor: MethodDescriptor): string | undefined {
  const effect = SIDE_EFFECTS[method];
  if (effect !== undefined) return effect;
  if (!acceptsServerValue(descriptor.params, {})) {
    const required = requiredOf(descriptor);
    return required.length > 0 ? `needs ${required.join(", ")}, which the kit cannot pick safely` : "its params schema refuses {}";
  }
  return undefined;
}

const shapesResults: Check = {
  id: "shapes.results",
  section: "6.2",
  level: "MUST",
  title: "every advertised read-only method with a known result schema answers {} with a result that fits the schema",
  async run(context) {
    const { connection, hello } = await connectOperator(context, ["operator.read"]);
    try {
      const advertised: unknown = hello?.features?.methods;
      if (!Array.isArray(advertised) || !advertised.every((name) => typeof name === "string"))
        return fail(`hello-ok features.methods is ${show(advertised)}; expected an array of method names`);
      const problems: string[] = [];
      const unknown: string[] = [];
      const notCalled: string[] = [];
      const errored: string[] = [];
      let checked = 0;
      for (const method of advertised as string[]) {
        const descriptor = findMethod(method);
        if (descriptor === undefined) {
          unknown.push(method);
          continue;
        }
        if (!readOnly(descriptor)) continue;
        const reason = reasonNotToCall(method, descriptor);
        if (reason !== undefined) {
          notCalled.push(`${method} (${reason})`);
          continue;
        }
        const res = await call(connection, context, method, {});
        if (!res) {
          problems.push(`${method}: ${noAnswer(connection, context.answerTimeoutMs)}`);
          if (connection.closed) break;
          continue;
        }
        // An error is not a result: it is noted, and other checks hold errors to their shape.
        if (res.ok !== true) {
          errored.push(`${method} (${show(res.error?.code)} ${show(res.error?.message)})`);
          continue;
        }
        checked++;
        const mismatches = serverValueProblems(descriptor.result, res.payload);
        if (mismatches.length > 0) problems.push(`${method}: ${mismatches.join(", ")}`);
      }
      const notes = [
        `${checked} result(s) checked against our schemas`,
        ...(unknown.length > 0 ? [`advertised but not in our registry (not checked): ${unknown.join(", ")}`] : []),
        ...(notCalled.length > 0 ? [`not called: ${notCalled.join("; ")}`] : []),
        ...(errored.length > 0 ? [`answered an error instead of a result (not checked): ${errored.join("; ")}`] : []),
      ];
      return withNotes(outcomeOf(problems), notes);
    } finally {
      await connection.end();
    }
  },
};

/** The result-shape check. It calls only read-only methods with `{}`; nothing changes on the gateway. */
export function shapeChecks(): Check[] {
  return [shapesResults];
}
