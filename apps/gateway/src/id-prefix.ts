import type { GatewayClient } from "@openclaw/client";
import { AmbiguousIdError, CliError, UnknownIdError } from "./errors.js";

/** Tables show ids cut to this many characters; any unique prefix that long or longer is accepted. */
export const SHORT_ID_LENGTH = 12;
/** Shorter prefixes are refused unless they are a whole id: one or two characters select too easily (as in git). */
export const MIN_PREFIX_LENGTH = 4;

/** An id the gateway knows, and other ids that also select it (a pending request's device id). */
export interface IdCandidate {
  readonly id: string;
  readonly aliases?: readonly string[];
}

/** What is being looked up, for messages: `kind` in the singular, and where to list them. */
export interface IdKind {
  readonly kind: string;
  readonly listWith: string;
}

/**
 * The one id `input` names, as git resolves a short hash: a whole id (or alias) wins; otherwise
 * a prefix of at least {@link MIN_PREFIX_LENGTH} characters must match exactly one id.
 * @throws UnknownIdError when nothing matches, AmbiguousIdError when several do.
 */
export function matchIdPrefix(input: string, candidates: readonly IdCandidate[], what: IdKind): string {
  const names = (candidate: IdCandidate) => [candidate.id, ...(candidate.aliases ?? [])];
  const exact = distinct(candidates.filter((candidate) => names(candidate).includes(input)));
  const matches = exact.length > 0 ? exact : distinct(candidates.filter((candidate) => names(candidate).some((name) => name.startsWith(input))));
  if (matches.length === 1 && (exact.length === 1 || input.length >= MIN_PREFIX_LENGTH)) return matches[0]!;
  if (matches.length === 0) throw new UnknownIdError(`no ${what.kind} matches "${input}"; see ${what.listWith}`, { kind: what.kind, input });
  if (matches.length === 1)
    throw new CliError(`"${input}" is too short for a ${what.kind} id; give at least ${MIN_PREFIX_LENGTH} characters (or the whole id)`, 1, {
      code: "ID_TOO_SHORT",
      details: { kind: what.kind, input },
    });
  throw new AmbiguousIdError(`"${input}" matches ${matches.length} ${what.kind}s (${matches.join(", ")}); give more characters`, {
    kind: what.kind,
    input,
    matches,
  });
}

function distinct(candidates: readonly IdCandidate[]): string[] {
  return [...new Set(candidates.map((candidate) => candidate.id))];
}

/** A pending device pairing request, by its request id or its device id (both shown by `devices list`). */
export async function resolveDeviceRequestId(client: GatewayClient, input: string): Promise<string> {
  const { pending } = await client.call("device.pair.list", {});
  const candidates = pending.map((request) => ({ id: request.requestId, aliases: [request.deviceId] }));
  return matchIdPrefix(input, candidates, { kind: "pending device pairing request", listWith: "openclaw devices list" });
}

/** A paired device, by its device id. */
export async function resolvePairedDeviceId(client: GatewayClient, input: string): Promise<string> {
  const { paired } = await client.call("device.pair.list", {});
  return matchIdPrefix(
    input,
    paired.map((device) => ({ id: device.deviceId })),
    { kind: "paired device", listWith: "openclaw devices list" },
  );
}

/** A pending node pairing request, by its request id or its node id (both shown by `nodes pending`). */
export async function resolveNodeRequestId(client: GatewayClient, input: string): Promise<string> {
  const { pending } = await client.call("node.pair.list", {});
  const candidates = pending.map((request) => ({ id: request.requestId, aliases: [request.nodeId] }));
  return matchIdPrefix(input, candidates, { kind: "pending node pairing request", listWith: "openclaw nodes pending" });
}

/** A connected or approved node, by its node id. */
export async function resolveNodeId(client: GatewayClient, input: string): Promise<string> {
  const { nodes } = await client.call("node.list", {});
  return matchIdPrefix(
    input,
    nodes.map((node) => ({ id: node.nodeId })),
    { kind: "node", listWith: "openclaw nodes list" },
  );
}
