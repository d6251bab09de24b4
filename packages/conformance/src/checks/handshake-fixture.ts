// The 21 cases of the captured handshake-errors fixture as checks: how each case is provoked,
// and a comparison of the gateway's answer and close with what OpenClaw 2026.9.6 answered.
import { randomUUID } from "node:crypto";
import { fail, outcomeOf, skip, type Check, type CheckContext, type CheckLevel, type CheckOutcome } from "../check.js";
import { HANDSHAKE_ERRORS_FIXTURE } from "../handshake-fixture.js";
import {
  call,
  closedText,
  connectFrame,
  connectOperator,
  connectParams,
  newIdentity,
  noAnswer,
  openWithChallenge,
  show,
  signDevice,
  type DeviceProofOptions,
} from "../session.js";
import type { CloseInfo, WireConnection } from "../wire.js";

/** One fixture case: the answer to the first frame, the answer to the frame after the handshake, the close. */
export interface FixtureCase {
  readonly name: string;
  readonly answer?: any;
  readonly afterAnswer?: any;
  readonly close?: CloseInfo;
}

/** In the fixture, close 1005 means the gateway never closed; the capturing client did. */
const NOT_CLOSED = 1005;

/**
 * Parse the fixture's lines: `<case> => <json>`, `<case> after => <json>`, `<case> close <code> <reason>`.
 * A case with no `=>` line got no answer.
 */
export function parseHandshakeFixture(text: string): FixtureCase[] {
  const cases = new Map<string, { name: string; answer?: any; afterAnswer?: any; close?: CloseInfo }>();
  const entry = (name: string) => cases.get(name) ?? cases.set(name, { name }).get(name)!;
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let match: RegExpExecArray | null;
    if ((match = /^(\S+) after => (.*)$/.exec(line))) entry(match[1]!).afterAnswer = JSON.parse(match[2]!);
    else if ((match = /^(\S+) => (.*)$/.exec(line))) entry(match[1]!).answer = JSON.parse(match[2]!);
    else if ((match = /^(\S+) close (\d+) ?(.*)$/.exec(line))) entry(match[1]!).close = { code: Number(match[2]), reason: match[3]! };
    else throw new Error(`cannot parse handshake fixture line: ${line}`);
  }
  return [...cases.values()];
}

type Params = Record<string, any>;
type FirstFrame = (context: CheckContext, nonce: string) => Promise<object | string>;

interface HandshakeRecipe {
  readonly kind: "first";
  readonly section: string;
  readonly title: string;
  readonly level?: CheckLevel;
  readonly frame: FirstFrame;
  /** Why the check cannot run, given the context (e.g. it needs a token). */
  readonly unavailable?: (context: CheckContext) => string | undefined;
}

interface AfterRecipe {
  readonly kind: "after";
  readonly section: string;
  readonly title: string;
  readonly admin?: boolean;
  readonly frame: (context: CheckContext) => object | string;
}

const NOT_JSON = "this is not json {";

/** A device-signed TUI connect with the right credential, optionally broken by `proof`. */
async function deviceConnect(context: CheckContext, proof: DeviceProofOptions): Promise<object> {
  const params: Params = connectParams(context, { client: { id: "openclaw-tui", mode: "ui" }, scopes: ["operator.admin"] });
  params.device = await signDevice(newIdentity(), params, proof);
  return connectFrame(params);
}

const first = (section: string, title: string, frame: FirstFrame, extra: Partial<HandshakeRecipe> = {}): HandshakeRecipe => ({
  kind: "first",
  section,
  title,
  frame,
  ...extra,
});
const after = (section: string, title: string, frame: AfterRecipe["frame"], admin = false): AfterRecipe => ({ kind: "after", section, title, frame, admin });
const req = (method: string, params: unknown) => ({ type: "req", id: "after-1", method, params });

const RECIPES: Readonly<Record<string, HandshakeRecipe | AfterRecipe>> = {
  protocol5: first("2.5", "a connect for protocol 5 only is refused PROTOCOL_MISMATCH and closed 1002", async (c) =>
    connectFrame(connectParams(c, { extra: { minProtocol: 5, maxProtocol: 5 } })),
  ),
  "unknown-client-id": first("2.3.1", "an unknown client.id is refused as invalid connect params", async (c) =>
    connectFrame(connectParams(c, { client: { id: "no-such-client" } })),
  ),
  "extra-field": first("2.3", "connect params are closed: an extra field is refused", async (c) => connectFrame({ ...connectParams(c), foo: 1 })),
  "bad-signature": first("3.5", "a device signature with one byte flipped is refused", (c, nonce) => deviceConnect(c, { nonce, corrupt: true })),
  "wrong-nonce": first("3.5", "a proof over a nonce this socket was never given is refused", (c) => deviceConnect(c, { nonce: randomUUID() })),
  "v2-signature": first("3.3", "a valid v2 device signature is still accepted", (c, nonce) => deviceConnect(c, { nonce, version: "v2" }), {
    unavailable: () =>
      "a new device connecting from loopback is paired on the gateway; handshake.signature.v2 checks this under --allow-mutations and removes the device again",
  }),
  "non-connect-first": first("2.3", "connect params that are not an object are refused", async () => ({
    type: "req",
    id: `connect-${randomUUID()}`,
    method: "connect",
    params: "not-an-object",
  })),
  "wrong-token": first(
    "8.3",
    "a wrong token is refused AUTH_TOKEN_MISMATCH and closed 1008",
    async (c) => connectFrame({ ...connectParams(c), auth: { token: `${"token" in c.credential ? c.credential.token : ""}-wrong` } }),
    { unavailable: (c) => ("token" in c.credential ? undefined : "needs --token (the gateway is checked with a password)") },
  ),
  "no-auth-no-device": first("2.9", "no credential and no device is refused DEVICE_IDENTITY_REQUIRED", async (c) =>
    connectFrame(connectParams(c, { noAuth: true })),
  ),
  "non-json-first": first("1.5", "a non-JSON first frame gets no answer and a close 1000", async () => NOT_JSON, { level: "SHOULD" }),
  "method-not-connect-first": first("1.5", "a first request other than connect is refused and closed 1008", async () => ({
    type: "req",
    id: `health-${randomUUID()}`,
    method: "health",
    params: {},
  })),
  "device-id-mismatch": first("3.5", "a device id that is not the key's hash is refused", (c, nonce) =>
    deviceConnect(c, { nonce, deviceId: newIdentity().id }),
  ),
  "stale-signedAt": first("3.5", "a signedAt 10 minutes old is refused DEVICE_AUTH_SIGNATURE_EXPIRED", (c, nonce) =>
    deviceConnect(c, { nonce, signedAt: Date.now() - 10 * 60_000 }),
  ),
  "after:unknown-method": after("6.1", "an unknown method from operator.read is refused for scope first", () => req("no.such.method", {})),
  "after:invalid-params": after("6.1", "params failing the method's schema are refused INVALID_REQUEST", () => req("logs.tail", { limit: "x" })),
  "after:second-connect": after("6.1", "a second connect from operator.read is refused for scope", (c) => req("connect", connectParams(c))),
  "after:missing-scope": after("5.6", "an admin-only method from operator.read is refused MISSING_SCOPE", () => req("set-heartbeats", { enabled: false })),
  "after:unknown-method-admin": after("6.1", "an unknown method from an admin is refused as unknown", () => req("no.such.method", {}), true),
  "after:second-connect-admin": after(
    "2.1",
    "a second connect from an admin is refused",
    (c) => req("connect", connectParams(c, { scopes: ["operator.admin"] })),
    true,
  ),
  "after:bad-frame-type": after("1.5", "a frame with a wrong type after the handshake is refused, the socket stays open", () => ({
    type: "request",
    id: "after-1",
  })),
  "after:non-json": after("1.5", "a non-JSON frame after the handshake is ignored", () => NOT_JSON),
};

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  return keysA.length === keysB.length && keysA.every((key) => Object.hasOwn(b, key) && deepEqual((a as any)[key], (b as any)[key]));
}

/** code, details.code and message one by one; when those agree, any other difference as a whole. */
export function compareError(expected: any, error: any): string[] {
  if (typeof error !== "object" || error === null) return [`expected error ${show(expected)}, got ${show(error)}`];
  const problems: string[] = [];
  if (error.code !== expected.code) problems.push(`error.code: expected ${show(expected.code)}, got ${show(error.code)}`);
  if (error.details?.code !== expected.details?.code)
    problems.push(`error.details.code: expected ${show(expected.details?.code)}, got ${show(error.details?.code)}`);
  if (error.message !== expected.message) problems.push(`error.message: expected ${show(expected.message)}, got ${show(error.message)}`);
  if (problems.length === 0 && !deepEqual(expected, error)) problems.push(`error: expected ${show(expected)}, got ${show(error)}`);
  return problems;
}

function compareClose(expected: CloseInfo, close: CloseInfo | undefined, waitedMs: number): string[] {
  if (!close) return [`expected close ${expected.code} ${show(expected.reason)}, the socket was still open after ${waitedMs} ms`];
  const problems: string[] = [];
  if (close.code !== expected.code) problems.push(`close code: expected ${expected.code}, got ${close.code}`);
  if (close.reason !== expected.reason) problems.push(`close reason: expected ${show(expected.reason)}, got ${show(close.reason)}`);
  return problems;
}

/** The socket is open and still answers: a `health` request gets ok. */
async function stillServes(connection: WireConnection, context: CheckContext): Promise<string[]> {
  const health = await call(connection, context, "health", {});
  if (health?.ok === true) return [];
  if (connection.closed) return [`${closedText(connection.closed)}; expected the socket to stay open`];
  return [`a follow-up health request did not answer ok: ${health ? show(health.error) : noAnswer(connection, context.answerTimeoutMs)}`];
}

async function runFirstFrameCase(testCase: FixtureCase, recipe: HandshakeRecipe, context: CheckContext): Promise<CheckOutcome> {
  const { connection, nonce } = await openWithChallenge(context);
  const timeout = context.answerTimeoutMs;
  try {
    const frame = await recipe.frame(context, nonce);
    connection.send(frame);
    const expected = testCase.answer;
    const close = testCase.close!;
    if (expected === undefined) {
      const problems = compareClose(close, await connection.waitClose(timeout), timeout);
      for (const res of connection.untakenResponses()) problems.push(`expected no answer, got ${show(res)}`);
      return outcomeOf(problems);
    }
    const id = typeof frame === "object" && "id" in frame ? String(frame.id) : "";
    const res = await connection.response(id, timeout);
    if (!res) return fail(noAnswer(connection, timeout));
    const problems: string[] = [];
    if (expected.ok === true) {
      if (res.ok !== true) problems.push(`expected ok:true (hello-ok), got error ${show(res.error)}`);
      else if (res.payload?.type !== "hello-ok") problems.push(`expected a hello-ok payload, got type ${show(res.payload?.type)}`);
    } else {
      if (res.ok !== false) problems.push(`expected ok:false, got ok:${show(res.ok)}`);
      problems.push(...compareError(expected, res.error));
    }
    if (close.code === NOT_CLOSED) problems.push(...(await stillServes(connection, context)));
    else problems.push(...compareClose(close, await connection.waitClose(timeout), timeout));
    return outcomeOf(problems);
  } finally {
    await connection.end();
  }
}

async function runAfterCase(testCase: FixtureCase, recipe: AfterRecipe, context: CheckContext): Promise<CheckOutcome> {
  const { connection } = await connectOperator(context, [recipe.admin ? "operator.admin" : "operator.read"]);
  const timeout = context.answerTimeoutMs;
  try {
    connection.send(recipe.frame(context));
    const problems: string[] = [];
    const expected = testCase.afterAnswer;
    if (expected !== undefined) {
      // A frame without a usable id is answered with some other id ("invalid"), so take any answer.
      const res = await connection.next((frame) => frame.type === "res", timeout);
      if (!res) return fail(noAnswer(connection, timeout));
      if (res.ok !== false) problems.push(`expected ok:false, got ok:${show(res.ok)}`);
      problems.push(...compareError(expected, res.error));
    }
    // Frames are answered in order, so an answer to an ignored frame would arrive before this one.
    problems.push(...(await stillServes(connection, context)));
    for (const res of connection.untakenResponses()) problems.push(`unexpected answer ${show(res)}`);
    return outcomeOf(problems);
  } finally {
    await connection.end();
  }
}

/** `after:unknown-method` becomes `handshake.error.after.unknown-method`. */
export const fixtureCheckId = (name: string): string => `handshake.error.${name.replace(":", ".")}`;

/** One check per fixture case; throws when the fixture and the recipes disagree (a bug in the kit). */
export function handshakeFixtureChecks(text: string = HANDSHAKE_ERRORS_FIXTURE): Check[] {
  const cases = parseHandshakeFixture(text);
  const unknown = Object.keys(RECIPES).filter((name) => !cases.some((testCase) => testCase.name === name));
  if (unknown.length > 0) throw new Error(`handshake recipes without a fixture case: ${unknown.join(", ")}`);
  return cases.map((testCase): Check => {
    const recipe = RECIPES[testCase.name];
    if (!recipe) throw new Error(`handshake fixture case ${testCase.name} has no recipe`);
    if (!testCase.close) throw new Error(`handshake fixture case ${testCase.name} has no close line`);
    return {
      id: fixtureCheckId(testCase.name),
      section: recipe.section,
      level: recipe.kind === "first" ? (recipe.level ?? "MUST") : "MUST",
      title: recipe.title,
      run: (context) => {
        if (recipe.kind === "after") return runAfterCase(testCase, recipe, context);
        const why = recipe.unavailable?.(context);
        return why ? Promise.resolve(skip(why)) : runFirstFrameCase(testCase, recipe, context);
      },
    };
  });
}
