// What the pairing and node checks share: a throwaway device that connects with a signed proof
// (as a browser page, a CLI or a node), an admin connection, and removing whatever the check
// paired, also when it failed.
import type { NodeDeviceIdentity } from "@openclaw/client/node";
import { fail, skip, withNotes, type CheckContext, type CheckOutcome } from "../check.js";
import { call, connectFrame, connectOperator, connectParams, newIdentity, noAnswer, show, signDevice } from "../session.js";
import { WireConnection, type WireFrame } from "../wire.js";

/** A step of a check went wrong; the check fails with this message as its detail. */
export class StepFailed extends Error {}

export interface Needs {
  readonly adminToken?: boolean;
  readonly mutations?: boolean;
}

/** A skip naming every missing flag and why the check needs it, or undefined when nothing is missing. */
export function missingFlags(context: CheckContext, needs: Needs, why: string): CheckOutcome | undefined {
  const missing = [
    ...(needs.adminToken && !context.adminToken ? ["--admin-token"] : []),
    ...(needs.mutations && !context.allowMutations ? ["--allow-mutations"] : []),
  ];
  return missing.length === 0 ? undefined : skip(`needs ${missing.join(" and ")}: ${why}`);
}

export interface DeviceConnectOptions {
  /** @default "operator" */
  readonly role?: "operator" | "node";
  /** @default ["operator.read"] */
  readonly scopes?: readonly string[];
  readonly client?: Record<string, unknown>;
  /** The `auth` block. @default the context's shared credential */
  readonly auth?: Record<string, string>;
  /** Send this `Origin` header, as a browser page does. @default none */
  readonly origin?: string;
  readonly extra?: Record<string, unknown>;
}

/** A connect with a device proof: the socket (open on success, closing on refusal) and the answer. */
export interface DeviceAttempt {
  readonly connection: WireConnection;
  readonly res: WireFrame | undefined;
}

/** The answer of an attempt for a detail: the error, or why none came. */
export const answerText = (attempt: DeviceAttempt, context: CheckContext): string =>
  attempt.res ? show(attempt.res.ok === true ? "hello-ok" : attempt.res.error) : noAnswer(attempt.connection, context.answerTimeoutMs);

/** The origin of the page a browser would load from the gateway's own address. */
export function pageOrigin(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol === "wss:" ? "https:" : "http:"}//${parsed.host}`;
}

/** Connect `identity` with a signed v3 proof over the challenge's nonce. */
export async function connectDevice(context: CheckContext, identity: NodeDeviceIdentity, options: DeviceConnectOptions = {}): Promise<DeviceAttempt> {
  const connection = await WireConnection.open(context.url, context.answerTimeoutMs, { tlsFingerprint: context.tlsFingerprint, origin: options.origin });
  const challenge = await connection.next((frame) => frame.type === "event" && frame.event === "connect.challenge", context.answerTimeoutMs);
  const nonce: unknown = challenge?.payload?.nonce;
  if (typeof nonce !== "string" || nonce === "") {
    await connection.end();
    throw new StepFailed(`no connect.challenge with a nonce (${challenge ? `got ${show(challenge)}` : noAnswer(connection, context.answerTimeoutMs)})`);
  }
  const params = connectParams(context, {
    scopes: options.scopes ?? ["operator.read"],
    client: options.client,
    noAuth: true,
    extra: { auth: options.auth ?? { ...context.credential }, role: options.role ?? "operator", ...options.extra },
  });
  params.device = await signDevice(identity, params, { nonce });
  const frame = connectFrame(params);
  connection.send(frame);
  return { connection, res: await connection.response(frame.id, context.answerTimeoutMs) };
}

/** Call `method` and return its payload; any other answer fails the step, naming what came. */
export async function expectOk(connection: WireConnection, context: CheckContext, method: string, params: unknown): Promise<any> {
  const res = await call(connection, context, method, params);
  if (!res) throw new StepFailed(`${method}: ${noAnswer(connection, context.answerTimeoutMs)}`);
  if (res.ok !== true) throw new StepFailed(`${method} ${show(params)}: expected ok, got ${show(res.error ?? res)}`);
  return res.payload;
}

/** What a check body works with: a fresh device identity, its sockets and an admin connection. */
export interface Scene {
  readonly identity: NodeDeviceIdentity;
  /** Remember a device socket, so it is closed when the check ends. */
  keep(attempt: DeviceAttempt): DeviceAttempt;
  /** One admin connection (`--admin-token`, else the shared credential), opened on first use. */
  admin(): Promise<WireConnection>;
  /**
   * The build id a page served by this gateway carries (`server.buildId` of the admin's hello-ok), or
   * undefined when the gateway names none. Gateways that serve their own Control UI may refuse a page
   * client from another build (`CONTROL_UI_BUILD_MISMATCH`), as a stale page after an update is.
   */
  pageBuildId(): Promise<string | undefined>;
}

export interface SceneOptions {
  /** The device is a node: remove its approved command surface too. @default false */
  readonly node?: boolean;
}

async function openAdmin(context: CheckContext): Promise<{ connection: WireConnection; hello: any }> {
  const credential = context.adminToken === undefined ? context.credential : { token: context.adminToken };
  try {
    return await connectOperator({ ...context, credential }, ["operator.admin"]);
  } catch (error) {
    throw new StepFailed(`admin connection (${context.adminToken === undefined ? "shared credential" : "--admin-token"}): ${(error as Error).message}`);
  }
}

/** Whether a `*.pair.list` payload still names `id` (as `key`) among its pending or paired entries. */
const listsId = (payload: any, key: "deviceId" | "nodeId", id: string): boolean =>
  [...(Array.isArray(payload?.pending) ? payload.pending : []), ...(Array.isArray(payload?.paired) ? payload.paired : [])].some(
    (entry: any) => entry?.[key] === id,
  );

/** Rejects the node's pending surface requests and removes its approved surface. */
async function removeNodeSurface(context: CheckContext, admin: WireConnection, nodeId: string): Promise<void> {
  const list = await call(admin, context, "node.pair.list", {});
  const pending: any[] = Array.isArray(list?.payload?.pending) ? list.payload.pending : [];
  for (const request of pending.filter((entry) => entry?.nodeId === nodeId)) await call(admin, context, "node.pair.reject", { requestId: request.requestId });
  await call(admin, context, "node.pair.remove", { nodeId });
}

/** Removes the device (and, for a node, its surface) and reads back that it is gone; notes say what is left. */
async function removeDevice(context: CheckContext, admin: WireConnection, deviceId: string, node: boolean): Promise<string[]> {
  // Something never recorded answers "unknown" here; whether anything is left is read back below.
  if (node) await removeNodeSurface(context, admin, deviceId);
  await call(admin, context, "device.pair.remove", { deviceId });
  const notes: string[] = [];
  const lists: [string, "deviceId" | "nodeId"][] = [["device.pair.list", "deviceId"], ...(node ? [["node.pair.list", "nodeId"] as [string, "nodeId"]] : [])];
  for (const [method, key] of lists) {
    const list = await call(admin, context, method, {});
    if (list?.ok !== true) notes.push(`cleanup: could not confirm ${deviceId} was removed: ${method} answered ${show(list?.error ?? "nothing")}`);
    else if (listsId(list.payload, key, deviceId)) notes.push(`cleanup: ${deviceId} is still listed by ${method} after removal`);
  }
  return notes;
}

/**
 * Runs `body` with a throwaway device, then closes its sockets and removes it from the gateway,
 * also when the body failed or threw. A {@link StepFailed} becomes a failed outcome.
 */
export async function withThrowawayDevice(context: CheckContext, options: SceneOptions, body: (scene: Scene) => Promise<CheckOutcome>): Promise<CheckOutcome> {
  const identity = newIdentity();
  const attempts: DeviceAttempt[] = [];
  let admin: Promise<{ connection: WireConnection; hello: any }> | undefined;
  const scene: Scene = {
    identity,
    keep: (attempt) => (attempts.push(attempt), attempt),
    admin: async () => (await (admin ??= openAdmin(context))).connection,
    pageBuildId: async () => {
      const buildId: unknown = (await (admin ??= openAdmin(context))).hello?.server?.buildId;
      return typeof buildId === "string" && buildId !== "" ? buildId : undefined;
    },
  };
  let outcome: CheckOutcome | undefined;
  let thrown: unknown;
  try {
    outcome = await body(scene);
  } catch (error) {
    if (error instanceof StepFailed) outcome = fail(error.message);
    else thrown = error;
  }
  const notes: string[] = [];
  for (const attempt of attempts) await attempt.connection.end();
  try {
    const connection = await scene.admin();
    notes.push(...(await removeDevice(context, connection, identity.id, options.node ?? false)));
    await connection.end();
  } catch (error) {
    notes.push(`cleanup: ${(error as Error).message}; device ${identity.id} may still be paired`);
  }
  if (outcome === undefined) throw thrown;
  return withNotes(outcome, [...(outcome.notes ?? []), ...notes]);
}
