// Device-proof checks (§3.3–3.5): which signed proofs a gateway takes and which it refuses, beyond
// the captured fixture cases: v3 and v2 payloads, a nonce from another connection's challenge, and
// the signedAt skew window from both sides.
import { fail, outcomeOf, pass, skip, type Check, type CheckContext, type CheckOutcome } from "../check.js";
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
import type { WireFrame } from "../wire.js";
import { compareError, parseHandshakeFixture } from "./handshake-fixture.js";

/** The allowed clock difference between `signedAt` and the gateway (§3.5 step 2, Appendix A #9). */
export const SIGNATURE_SKEW_MS = 120_000;
/** Outside the current 2-minute window, inside the 10-minute one of early-2026 builds. */
const OUTSIDE_SKEW_MS = 3 * 60_000;
const INSIDE_SKEW_MS = 30_000;

const MUTATIONS_NEEDED = "needs --allow-mutations: a device whose proof is accepted is paired on the gateway (the check removes it again)";

/** The captured answer and close of a fixture case, e.g. `wrong-nonce`. */
function fixtureCase(name: string) {
  const found = parseHandshakeFixture(HANDSHAKE_ERRORS_FIXTURE).find((testCase) => testCase.name === name);
  if (!found?.answer || !found.close) throw new Error(`handshake fixture has no answer and close for ${name}`);
  return { answer: found.answer, close: found.close };
}

/** The context the kit cleans up with: the admin token when one was given, else the shared credential. */
const adminContext = (context: CheckContext): CheckContext => (context.adminToken ? { ...context, credential: { token: context.adminToken } } : context);

/** Undo what an accepted proof did: remove the paired device, or reject its pending request. */
async function forgetDevice(context: CheckContext, deviceId: string, pendingRequestId: string | undefined): Promise<string[]> {
  let admin;
  try {
    admin = await connectOperator(adminContext(context), ["operator.admin", "operator.pairing"]);
  } catch (error) {
    return [`cleanup: could not connect to remove device ${deviceId}: ${(error as Error).message}`];
  }
  try {
    const res = pendingRequestId
      ? await call(admin.connection, context, "device.pair.reject", { requestId: pendingRequestId })
      : await call(admin.connection, context, "device.pair.remove", { deviceId });
    if (res?.ok === true) return [];
    const what = pendingRequestId ? `device.pair.reject ${pendingRequestId}` : `device.pair.remove ${deviceId}`;
    return [`cleanup: ${what} failed: ${res ? show(res.error) : noAnswer(admin.connection, context.answerTimeoutMs)}`];
  } finally {
    await admin.connection.end();
  }
}

/** What a signed connect's answer says about the proof: accepted (hello-ok or a later pairing step), or refused. */
type ProofVerdict = { readonly accepted: true; readonly pendingRequestId?: string; readonly hello?: any } | { readonly accepted: false; readonly why: string };

function proofVerdict(res: WireFrame): ProofVerdict {
  if (res.ok === true) return { accepted: true, hello: res.payload };
  // Pairing is decided after the proof (§2.6 steps 8 and 10): a pairing request means the proof passed.
  if (res.error?.details?.code === "PAIRING_REQUIRED") return { accepted: true, pendingRequestId: res.error.details.requestId };
  return { accepted: false, why: `refused: ${show(res.error)}` };
}

function helloProblems(hello: any): string[] {
  const problems: string[] = [];
  if (hello?.type !== "hello-ok") problems.push(`expected a hello-ok payload, got type ${show(hello?.type)}`);
  if (hello?.auth?.role !== "operator") problems.push(`hello-ok auth.role: expected "operator", got ${show(hello?.auth?.role)}`);
  if (!Array.isArray(hello?.auth?.scopes)) problems.push(`hello-ok auth.scopes: expected an array, got ${show(hello?.auth?.scopes)}`);
  const token: unknown = hello?.auth?.deviceToken;
  if (token !== undefined && (typeof token !== "string" || token === ""))
    problems.push(`hello-ok auth.deviceToken: expected a non-empty string, got ${show(token)}`);
  return problems;
}

/** Connect with a fresh device signing `version`; expect the proof accepted, then remove the device. */
async function acceptedSignature(context: CheckContext, version: "v3" | "v2"): Promise<CheckOutcome> {
  if (!context.allowMutations) return skip(MUTATIONS_NEEDED);
  const identity = newIdentity();
  const { connection, nonce } = await openWithChallenge(context);
  let verdict: ProofVerdict | undefined;
  const problems: string[] = [];
  try {
    const params = connectParams(context, { scopes: ["operator.read"] });
    params.device = await signDevice(identity, params, { nonce, version });
    const frame = connectFrame(params);
    connection.send(frame);
    const res = await connection.response(frame.id, context.answerTimeoutMs);
    if (!res) return fail(noAnswer(connection, context.answerTimeoutMs));
    verdict = proofVerdict(res);
    if (!verdict.accepted) problems.push(`a valid ${version} proof was ${verdict.why}`);
    else if (verdict.hello !== undefined) problems.push(...helloProblems(verdict.hello));
  } finally {
    await connection.end();
    if (verdict?.accepted) problems.push(...(await forgetDevice(context, identity.id, verdict.pendingRequestId)));
  }
  return outcomeOf(problems);
}

const signatureV3: Check = {
  id: "handshake.signature.v3",
  section: "3.3",
  level: "MUST",
  title: "a new device's proof signed over the v3 payload (with platform and deviceFamily) is accepted (needs --allow-mutations)",
  run: (context) => acceptedSignature(context, "v3"),
};

const signatureV2: Check = {
  id: "handshake.signature.v2",
  section: "3.3",
  level: "MUST",
  title: "a new device's proof signed over the v2 payload (no platform, no deviceFamily) is still accepted (needs --allow-mutations)",
  run: (context) => acceptedSignature(context, "v2"),
};

/** Send a device connect signed with `proof` (the nonce may be another socket's); return the answer and close. */
async function refusedConnect(
  context: CheckContext,
  proof: (nonce: string) => Omit<DeviceProofOptions, "nonce"> & { nonce?: string },
  credential = context.credential,
) {
  const { connection, nonce } = await openWithChallenge(context);
  try {
    const params = connectParams({ ...context, credential }, { scopes: ["operator.read"] });
    params.device = await signDevice(newIdentity(), params, { nonce, ...proof(nonce) });
    const frame = connectFrame(params);
    connection.send(frame);
    const res = await connection.response(frame.id, context.answerTimeoutMs);
    const close = res ? await connection.waitClose(context.answerTimeoutMs) : connection.closed;
    return { res, close, connection };
  } finally {
    await connection.end();
  }
}

/** Answer and close compared with a captured refusal; `label` says which attempt it was. */
function compareRefusal(
  label: string,
  expected: { answer: any; close: { code: number; reason: string } },
  outcome: Awaited<ReturnType<typeof refusedConnect>>,
  timeoutMs: number,
): string[] {
  const { res, close, connection } = outcome;
  if (!res) return [`${label}: ${noAnswer(connection, timeoutMs)}`];
  const problems: string[] = [];
  if (res.ok !== false) problems.push(`expected ok:false, got ok:${show(res.ok)}`);
  else problems.push(...compareError(expected.answer, res.error));
  if (!close) problems.push(`expected close ${expected.close.code} ${show(expected.close.reason)}, the socket stayed open`);
  else if (close.code !== expected.close.code || close.reason !== expected.close.reason)
    problems.push(`expected close ${expected.close.code} ${show(expected.close.reason)}, got ${closedText(close)}`);
  return problems.map((problem) => `${label}: ${problem}`);
}

const nonceReplay: Check = {
  id: "handshake.nonce-replay",
  section: "3.5",
  level: "MUST",
  title: "a proof over the nonce of an earlier connection's challenge is refused DEVICE_AUTH_NONCE_MISMATCH and closed 1008",
  async run(context) {
    // A nonce the gateway really issued, to another socket that is gone by now.
    const earlier = await openWithChallenge(context);
    await earlier.connection.end();
    const outcome = await refusedConnect(context, () => ({ nonce: earlier.nonce }));
    return outcomeOf(compareRefusal("proof over an earlier connection's nonce", fixtureCase("wrong-nonce"), outcome, context.answerTimeoutMs));
  },
};

/** A credential the gateway refuses, so a proof that passes ends at the auth decision and pairs nothing. */
function wrongCredential(context: CheckContext) {
  return "token" in context.credential ? { token: `${context.credential.token}-wrong` } : { password: `${context.credential.password}-wrong` };
}

const signedAtSkew: Check = {
  id: "handshake.signed-at-skew",
  section: "3.5",
  level: "MUST",
  title: `a signedAt ${OUTSIDE_SKEW_MS / 60_000} min in the past or future is refused DEVICE_AUTH_SIGNATURE_EXPIRED; one ${INSIDE_SKEW_MS / 1000} s old passes the proof`,
  async run(context) {
    const expired = fixtureCase("stale-signedAt");
    const problems: string[] = [];
    for (const [label, offset] of [
      [`signedAt ${OUTSIDE_SKEW_MS / 1000} s old`, -OUTSIDE_SKEW_MS],
      [`signedAt ${OUTSIDE_SKEW_MS / 1000} s ahead`, OUTSIDE_SKEW_MS],
    ] as const) {
      const outcome = await refusedConnect(context, () => ({ signedAt: Date.now() + offset }));
      problems.push(...compareRefusal(label, expired, outcome, context.answerTimeoutMs));
    }
    // The proof is checked before the credential (§2.6 steps 8 and 9): with a wrong credential, a proof
    // that passes is refused for the credential, not as expired, and no device gets paired.
    const inside = await refusedConnect(context, () => ({ signedAt: Date.now() - INSIDE_SKEW_MS }), wrongCredential(context));
    const label = `signedAt ${INSIDE_SKEW_MS / 1000} s old (sent with a wrong credential, so the answer names the first failed step)`;
    if (!inside.res) problems.push(`${label}: ${noAnswer(inside.connection, context.answerTimeoutMs)}`);
    else {
      const code: unknown = inside.res.error?.details?.code;
      if (inside.res.ok !== false) problems.push(`${label}: expected a refusal for the wrong credential, got ok:${show(inside.res.ok)}`);
      else if (typeof code !== "string" || !code.startsWith("AUTH_"))
        problems.push(`${label}: expected the proof to pass and the credential to be refused (details.code AUTH_…), got ${show(inside.res.error)}`);
    }
    return problems.length === 0 ? pass() : fail(problems.join("; "));
  },
};

/** Device-proof checks, in run order. Only the two signature checks change anything, and only with --allow-mutations. */
export function deviceProofChecks(): Check[] {
  return [signatureV3, signatureV2, nonceReplay, signedAtSkew];
}
