// Pairing checks (§4, §5.4, §1.6): a device the gateway must not approve silently waits in the
// pending list, an approval issues a device token that admits it alone, and revoking that token
// closes the device's connection with 4001.
//
// The kit runs on loopback, where a gateway pairs new devices silently (§4.4). What it must not
// approve silently from there is a browser page's platform change: a `metadata-upgrade` is silent
// only for trusted non-browser local reconnects. So the throwaway device connects as a Control UI
// page (with the `Origin` header a page sends), gets paired, and reconnects with another platform.
// A gateway that keeps even the first browser connect waiting is fine too: that request is used.
import { fail, outcomeOf, pass, skip, withNotes, type Check, type CheckContext, type CheckOutcome } from "../check.js";
import { call, closedText, show } from "../session.js";
import type { WireConnection } from "../wire.js";
import {
  answerText,
  connectDevice,
  expectOk,
  missingFlags,
  pageOrigin,
  StepFailed,
  withThrowawayDevice,
  type DeviceAttempt,
  type Scene,
} from "./pairing-scene.js";

const FIRST_PLATFORM = "MacIntel";
const CHANGED_PLATFORM = "Linux x86_64";
const REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
const WHY = "it pairs a throwaway device, approves and revokes it with the admin credential, then removes it";

/** A Control UI page served by the gateway under test: with its build id when the gateway names one. */
const pageClient = (platform: string, buildId: string | undefined) => ({
  id: "openclaw-control-ui",
  mode: "webchat",
  platform,
  deviceFamily: undefined,
  ...(buildId === undefined ? {} : { buildId }),
});

/** The device's refused connect, what made it need approval, and the platform it connected with. */
interface Waiting {
  readonly attempt: DeviceAttempt;
  readonly how: string;
  readonly platform: string;
}

async function makeDeviceWait(context: CheckContext, scene: Scene): Promise<Waiting> {
  const origin = pageOrigin(context.url);
  const buildId = await scene.pageBuildId();
  const first = scene.keep(await connectDevice(context, scene.identity, { origin, client: pageClient(FIRST_PLATFORM, buildId) }));
  if (first.res?.ok !== true) return { attempt: first, how: "a new device connecting from a browser page", platform: FIRST_PLATFORM };
  await first.connection.end();
  const changed = scene.keep(await connectDevice(context, scene.identity, { origin, client: pageClient(CHANGED_PLATFORM, buildId) }));
  return { attempt: changed, how: "a paired browser-page device reconnecting with another platform (metadata-upgrade, §4.4)", platform: CHANGED_PLATFORM };
}

/** What is wrong with the pairing-required refusal (§4.2), and the request id it named. */
async function refusalProblems(context: CheckContext, scene: Scene, waiting: Waiting): Promise<{ problems: string[]; requestId: string | undefined }> {
  const { res, connection } = waiting.attempt;
  if (res?.ok === true)
    return { problems: [`${waiting.how} got hello-ok; expected NOT_PAIRED "pairing required: …" (it was approved silently)`], requestId: undefined };
  if (!res) return { problems: [`${waiting.how}: ${answerText(waiting.attempt, context)}; expected NOT_PAIRED "pairing required: …"`], requestId: undefined };
  const problems: string[] = [];
  const error = res.error;
  if (error?.code !== "NOT_PAIRED") problems.push(`error.code: expected "NOT_PAIRED", got ${show(error?.code)}`);
  if (typeof error?.message !== "string" || !error.message.startsWith("pairing required: "))
    problems.push(`error.message: expected "pairing required: <requirement>", got ${show(error?.message)}`);
  if (error?.details?.code !== "PAIRING_REQUIRED") problems.push(`error.details.code: expected "PAIRING_REQUIRED", got ${show(error?.details?.code)}`);
  if (error?.details?.deviceId !== scene.identity.id)
    problems.push(`error.details.deviceId: expected ${show(scene.identity.id)}, got ${show(error?.details?.deviceId)}`);
  const requestId: unknown = error?.details?.requestId;
  if (typeof requestId !== "string" || !REQUEST_ID.test(requestId)) problems.push(`error.details.requestId: expected a request id, got ${show(requestId)}`);
  const close = await connection.waitClose(context.answerTimeoutMs);
  if (!close) problems.push(`the socket stayed open after the refusal; expected close 1008 "pairing required: … (requestId: …)"`);
  else if (
    close.code !== 1008 ||
    !close.reason.startsWith("pairing required: ") ||
    (typeof requestId === "string" && !close.reason.includes(`requestId: ${requestId}`))
  )
    problems.push(`${closedText(close)}; expected close 1008 "pairing required: … (requestId: ${typeof requestId === "string" ? requestId : "…"})"`);
  return { problems, requestId: typeof requestId === "string" ? requestId : undefined };
}

/** The device waiting, its refusal checked: the request id, or the step fails. */
async function waitingRequest(context: CheckContext, scene: Scene): Promise<Waiting & { requestId: string }> {
  const waiting = await makeDeviceWait(context, scene);
  const { problems, requestId } = await refusalProblems(context, scene, waiting);
  if (problems.length > 0 || requestId === undefined) throw new StepFailed(`the device did not wait for approval as §4.2 says: ${problems.join("; ")}`);
  return { ...waiting, requestId };
}

/** Approve the request, reconnect with the shared credential for the device token, then connect on that token alone. */
async function approvedDeviceConnection(context: CheckContext, scene: Scene): Promise<WireConnection> {
  const waiting = await waitingRequest(context, scene);
  const approved = await expectOk(await scene.admin(), context, "device.pair.approve", { requestId: waiting.requestId });
  if (approved?.requestId !== waiting.requestId || approved?.device?.deviceId !== scene.identity.id)
    throw new StepFailed(
      `device.pair.approve answered ${show(approved)}; expected { requestId: ${show(waiting.requestId)}, device: { deviceId: ${show(scene.identity.id)}, … } }`,
    );
  const client = pageClient(waiting.platform, await scene.pageBuildId());
  const origin = pageOrigin(context.url);
  const paired = scene.keep(await connectDevice(context, scene.identity, { origin, client }));
  if (paired.res?.ok !== true)
    throw new StepFailed(`after approval, the device's connect with the shared credential got ${answerText(paired, context)}; expected hello-ok`);
  const deviceToken: unknown = paired.res.payload?.auth?.deviceToken;
  if (typeof deviceToken !== "string" || deviceToken === "")
    throw new StepFailed(`after approval, hello-ok auth.deviceToken is ${show(deviceToken)}; expected the issued device token (§4.7)`);
  await paired.connection.end();
  const own = scene.keep(await connectDevice(context, scene.identity, { origin, client, auth: { deviceToken } }));
  if (own.res?.ok !== true) throw new StepFailed(`a connect with only the issued device token got ${answerText(own, context)}; expected hello-ok`);
  return own.connection;
}

function pairingCheck(id: string, section: string, title: string, body: (context: CheckContext, scene: Scene) => Promise<CheckOutcome>): Check {
  return {
    id,
    section,
    level: "MUST",
    title,
    run: (context) => {
      const missing = missingFlags(context, { adminToken: true, mutations: true }, WHY);
      if (missing) return Promise.resolve(missing);
      if (context.tlsFingerprint !== undefined)
        return Promise.resolve(skip("a browser page's Origin header cannot be sent over a pinned (--tls-fingerprint) connection"));
      return withThrowawayDevice(context, {}, (scene) => body(context, scene));
    },
  };
}

const newDeviceWaits = pairingCheck(
  "pairing.new-device-waits",
  "4.2",
  "a device change the gateway must not approve silently is refused NOT_PAIRED PAIRING_REQUIRED, closed 1008, and listed as pending",
  async (context, scene) => {
    const waiting = await makeDeviceWait(context, scene);
    const { problems, requestId } = await refusalProblems(context, scene, waiting);
    if (requestId !== undefined) {
      const list = await expectOk(await scene.admin(), context, "device.pair.list", {});
      const pending: unknown[] = Array.isArray(list?.pending) ? list.pending : [];
      const entry = pending.find((item: any) => item?.requestId === requestId) as any;
      if (!entry) problems.push(`device.pair.list pending has no request ${show(requestId)} (got ${show(list?.pending)})`);
      else if (entry.deviceId !== scene.identity.id)
        problems.push(`pending request ${show(requestId)} has deviceId ${show(entry.deviceId)}; expected ${show(scene.identity.id)}`);
    }
    return outcomeOf(problems);
  },
);

const approvalIssuesToken = pairingCheck(
  "pairing.approval-issues-token",
  "4.7",
  "after device.pair.approve the device gets a device token in hello-ok, and a connect with only that token (and its proof) succeeds",
  async (context, scene) => {
    const connection = await approvedDeviceConnection(context, scene);
    const health = await call(connection, context, "health", {});
    return health?.ok === true ? pass() : fail(`health on the device-token connection answered ${show(health?.error ?? "nothing")}; expected ok`);
  },
);

const revocationCloses = pairingCheck(
  "pairing.revocation-closes-4001",
  "1.6",
  'device.token.revoke closes the device\'s open device-token connection with 4001 "client invalidated: …"',
  async (context, scene) => {
    const connection = await approvedDeviceConnection(context, scene);
    await expectOk(await scene.admin(), context, "device.token.revoke", { deviceId: scene.identity.id, role: "operator" });
    const close = await connection.waitClose(context.answerTimeoutMs);
    if (!close) return fail(`the device's connection stayed open ${context.answerTimeoutMs} ms after device.token.revoke; expected close 4001`);
    if (close.code !== 4001) return fail(`the device's connection ${closedText(close)}; expected 4001 "client invalidated: <reason>"`);
    // §1.6 words the reason "client invalidated: <reason>"; OpenClaw 2026.9.6 says "device removed". The code is what clients act on.
    if (!close.reason.startsWith("client invalidated: "))
      return withNotes(pass(), [`close reason ${show(close.reason)}; §1.6 words it "client invalidated: <reason>" (the code 4001 is right)`]);
    return pass();
  },
);

/** Every pairing check, in run order. Each needs --admin-token and --allow-mutations, and removes its device. */
export function pairingChecks(): Check[] {
  return [newDeviceWaits, approvalIssuesToken, revocationCloses];
}
