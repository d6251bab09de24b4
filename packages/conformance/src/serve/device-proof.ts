// Verifying a client's signed device proof (§3) as a gateway does, and, when it does not verify,
// finding out what the client signed instead, so the failure names the field it got wrong.
import { createPublicKey, verify, type KeyObject } from "node:crypto";
import {
  DEVICE_SIGNATURE_SKEW_MS,
  buildDeviceAuthPayload,
  decodeDevicePublicKey,
  deriveDeviceId,
  ed25519SpkiFromRaw,
  normalizeDeviceMetadata,
  signedCredential,
  type DeviceAuthPayloadInput,
} from "@openclaw/protocol";

/** What a proof came to: absent, verified over v3 or v2, or not verified; `problems` name everything wrong. */
export interface ProofVerdict {
  readonly present: boolean;
  readonly version: "v3" | "v2" | undefined;
  readonly problems: readonly string[];
}

export interface ProofContext {
  /** The nonce of the challenge sent on this connection. */
  readonly nonce: string;
  /** Nonces of this client's earlier connections, to recognise a reused one. */
  readonly earlierNonces: readonly string[];
  /** The gateway's wall clock when the connect arrived. */
  readonly nowMs: number;
  /** @default DEVICE_SIGNATURE_SKEW_MS (120000) */
  readonly skewMs?: number;
}

const text = (value: unknown): string => (typeof value === "string" ? value : "");
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

function verifies(key: KeyObject, payload: string, signature: Buffer): boolean {
  try {
    return verify(null, Buffer.from(payload, "utf8"), key, signature);
  } catch {
    return false;
  }
}

/** One wrong guess at what a client signed, and what to tell its author when it is the one that verifies. */
interface Mistake {
  readonly payloads: readonly string[];
  readonly explain: string;
}

function mistakesFor(input: DeviceAuthPayloadInput, params: any, context: ProofContext): Mistake[] {
  const both = (change: Partial<DeviceAuthPayloadInput>) => [
    buildDeviceAuthPayload({ ...input, ...change, version: "v3" }),
    buildDeviceAuthPayload({ ...input, ...change, version: "v2" }),
  ];
  const v3 = (change: Partial<DeviceAuthPayloadInput>) => [buildDeviceAuthPayload({ ...input, ...change, version: "v3" })];
  const platform = text(params?.client?.platform);
  const family = text(params?.client?.deviceFamily);
  const auth = params?.auth ?? {};
  return [
    {
      payloads: v3({ platform: "" }),
      explain: `signed v3 with platform "" instead of client.platform normalized (${show(normalizeDeviceMetadata(platform))})`,
    },
    {
      payloads: v3({ deviceFamily: "" }),
      explain: `signed v3 with deviceFamily "" instead of client.deviceFamily normalized (${show(normalizeDeviceMetadata(family))})`,
    },
    {
      payloads: v3({ platform: "", deviceFamily: "" }),
      explain: `signed v3 with platform and deviceFamily "" instead of client.platform (${show(normalizeDeviceMetadata(platform))}) and client.deviceFamily (${show(normalizeDeviceMetadata(family))}), normalized`,
    },
    {
      payloads: [buildDeviceAuthPayload({ ...input, version: "v2" }).replace(/^v2/, "v3") + `|${platform}|${family}`],
      explain: `signed platform and deviceFamily as sent (${show(platform)}, ${show(family)}), not normalized (trimmed, A-Z lowercased: ${show(normalizeDeviceMetadata(platform))}, ${show(normalizeDeviceMetadata(family))})`,
    },
    {
      payloads: both({ token: "" }),
      explain: "signed an empty token field instead of the credential sent first of auth.token, auth.deviceToken, auth.bootstrapToken",
    },
    ...(["token", "deviceToken", "bootstrapToken", "password"] as const)
      .filter((slot) => typeof auth[slot] === "string" && auth[slot] !== input.token)
      .map((slot) => ({
        payloads: both({ token: auth[slot] }),
        explain:
          slot === "password"
            ? "signed auth.password in the token field; the password is never signed"
            : `signed auth.${slot} in the token field instead of the credential sent first of auth.token, auth.deviceToken, auth.bootstrapToken`,
      })),
    { payloads: both({ scopes: [...input.scopes].sort() }), explain: "signed the scopes sorted instead of in the order sent" },
    { payloads: both({ role: "" }), explain: `signed an empty role field instead of the resolved role (${show(input.role)})` },
    ...context.earlierNonces.map((nonce) => ({ payloads: both({ nonce }), explain: "signed the nonce of an earlier connection instead of this connection's" })),
    {
      payloads: [
        buildDeviceAuthPayload({ ...input, version: "v2" })
          .replace(/^v2/, "v1")
          .replace(/\|[^|]*$/, ""),
      ],
      explain: "signed the legacy v1 payload (no nonce), which current gateways reject",
    },
  ];
}

/** The v3 payload of these params, with the credential replaced by its name so a detail never shows it. */
function redactedV3(input: DeviceAuthPayloadInput): string {
  return buildDeviceAuthPayload({ ...input, version: "v3", token: input.token ? "<credential>" : "" });
}

/** Check the `device` block of `params` the way §3.5 orders it, and say what is wrong. */
export function verifyDeviceProof(params: any, context: ProofContext): ProofVerdict {
  const device = params?.device;
  if (device === null || typeof device !== "object") return { present: false, version: undefined, problems: [] };
  const problems: string[] = [];
  const raw = typeof device.publicKey === "string" ? decodeDevicePublicKey(device.publicKey) : undefined;
  if (!raw) {
    problems.push("device.publicKey is neither base64url of a raw 32-byte Ed25519 key nor a PEM SPKI block (§3.1)");
    return { present: true, version: undefined, problems };
  }
  const expectedId = deriveDeviceId(raw);
  if (device.id !== expectedId) problems.push(`device.id is ${show(device.id)}; expected the SHA-256 hex of the public key, ${expectedId}`);
  const skewMs = context.skewMs ?? DEVICE_SIGNATURE_SKEW_MS;
  if (typeof device.signedAt !== "number" || !Number.isInteger(device.signedAt)) {
    problems.push(`device.signedAt is ${show(device.signedAt)}; expected integer epoch milliseconds`);
  } else if (Math.abs(context.nowMs - device.signedAt) > skewMs) {
    problems.push(`device.signedAt is ${context.nowMs - device.signedAt} ms behind the gateway clock; allowed ±${skewMs} ms (sign at the challenge's ts)`);
  }
  if (device.nonce !== context.nonce) {
    problems.push(
      context.earlierNonces.includes(device.nonce)
        ? "device.nonce is the nonce of an earlier connection; each connection must sign its own challenge's nonce"
        : `device.nonce is ${show(device.nonce)}; expected this connection's challenge nonce ${show(context.nonce)}`,
    );
  }
  const signature = typeof device.signature === "string" ? Buffer.from(device.signature, "base64") : Buffer.alloc(0);
  if (signature.length !== 64) {
    problems.push(`device.signature decodes to ${signature.length} bytes; expected a 64-byte Ed25519 signature in base64url`);
    return { present: true, version: undefined, problems };
  }
  const key = createPublicKey({ key: Buffer.from(ed25519SpkiFromRaw(raw)), format: "der", type: "spki" });
  const input: DeviceAuthPayloadInput = {
    version: "v3",
    deviceId: text(device.id),
    clientId: text(params?.client?.id),
    clientMode: text(params?.client?.mode),
    role: typeof params?.role === "string" ? params.role : "operator",
    scopes: Array.isArray(params?.scopes) ? params.scopes.map(String) : [],
    signedAtMs: typeof device.signedAt === "number" ? device.signedAt : 0,
    token: signedCredential(params?.auth),
    nonce: text(device.nonce),
    platform: text(params?.client?.platform),
    deviceFamily: text(params?.client?.deviceFamily),
  };
  if (verifies(key, buildDeviceAuthPayload(input), signature)) return { present: true, version: "v3", problems };
  if (verifies(key, buildDeviceAuthPayload({ ...input, version: "v2" }), signature)) return { present: true, version: "v2", problems };
  const mistake = mistakesFor(input, params, context).find((candidate) => candidate.payloads.some((payload) => verifies(key, payload, signature)));
  problems.push(
    mistake
      ? `device signature invalid: ${mistake.explain} (§3.3)`
      : `device signature invalid over both v3 and v2; v3 signs every one of these fields: ${redactedV3(input)} (§3.3)`,
  );
  return { present: true, version: undefined, problems };
}
