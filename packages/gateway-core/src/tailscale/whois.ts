import { TailscaleError } from "../errors.js";
import type { TailscaleIdentity, TailscaleWhois } from "../auth/tailscale.js";
import { runTailscale } from "./cli.js";

export interface TailscaleWhoisOptions {
  /** The CLI's path, from `findTailscaleBinary`. */
  readonly binary: string;
  /** One lookup's limit. @default 5000 */
  readonly timeoutMs?: number;
  /** How long an answer is reused: a connect burst from one device costs one process. @default 60000 */
  readonly cacheTtlMs?: number;
  /** Answers kept at most; the oldest go first. @default 1024 */
  readonly maxEntries?: number;
  /** Lookups running at once; one more fails at once rather than queueing processes. @default 8 */
  readonly maxConcurrent?: number;
  /** The CLI's environment. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  readonly now?: () => number;
}

/** A whois lookup backed by the `tailscale` CLI, with its cache and its running processes. */
export interface TailscaleWhoisResolver {
  readonly whois: TailscaleWhois;
  /** Kill running lookups and refuse new ones; resolves once their processes have exited. Call at shutdown. */
  close(): Promise<void>;
}

interface WhoisJson {
  readonly Node?: { readonly Tags?: readonly string[] | null } | null;
  readonly UserProfile?: { readonly LoginName?: string; readonly DisplayName?: string } | null;
}

/**
 * The user in `tailscale whois --json` output. A tagged node has no user (its profile is the
 * placeholder "tagged-devices"), so it resolves to undefined.
 * @throws TailscaleError when the output is not whois JSON.
 */
export function parseWhoisOutput(stdout: string): TailscaleIdentity | undefined {
  let parsed: WhoisJson;
  try {
    parsed = JSON.parse(stdout) as WhoisJson;
  } catch (error) {
    throw new TailscaleError("tailscale whois --json printed something that is not JSON", { cause: error });
  }
  if (parsed === null || typeof parsed !== "object") throw new TailscaleError("tailscale whois --json printed no object");
  if ((parsed.Node?.Tags?.length ?? 0) > 0) return undefined;
  const login = parsed.UserProfile?.LoginName;
  if (typeof login !== "string" || login.length === 0) return undefined;
  const displayName = parsed.UserProfile?.DisplayName;
  return { login, ...(typeof displayName === "string" && displayName.length > 0 ? { displayName } : {}) };
}

/**
 * `tailscale whois --json <address>` behind a short cache. Concurrent lookups of one address
 * share one process; failed lookups are not cached, so a restarted tailscaled is seen at once.
 */
export function createTailscaleWhois(options: TailscaleWhoisOptions): TailscaleWhoisResolver {
  const now = options.now ?? Date.now;
  const ttl = options.cacheTtlMs ?? 60_000;
  const maxEntries = options.maxEntries ?? 1024;
  const maxConcurrent = options.maxConcurrent ?? 8;
  const cache = new Map<string, { readonly identity: TailscaleIdentity | undefined; readonly expiresAt: number }>();
  const running = new Map<string, Promise<TailscaleIdentity | undefined>>();
  const stop = new AbortController();

  const remember = (address: string, identity: TailscaleIdentity | undefined) => {
    cache.delete(address);
    cache.set(address, { identity, expiresAt: now() + ttl });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  };

  const lookup = async (address: string): Promise<TailscaleIdentity | undefined> => {
    const { stdout } = await runTailscale(["whois", "--json", address], {
      binary: options.binary,
      timeoutMs: options.timeoutMs ?? 5_000,
      signal: stop.signal,
      ...(options.env ? { env: options.env } : {}),
    });
    const identity = parseWhoisOutput(stdout);
    if (!stop.signal.aborted) remember(address, identity);
    return identity;
  };

  const whois: TailscaleWhois = (address) => {
    if (stop.signal.aborted) return Promise.reject(new TailscaleError("tailscale whois is closed: the gateway is stopping"));
    const cached = cache.get(address);
    if (cached !== undefined && cached.expiresAt > now()) return Promise.resolve(cached.identity);
    if (cached !== undefined) cache.delete(address);
    const inFlight = running.get(address);
    if (inFlight !== undefined) return inFlight;
    if (running.size >= maxConcurrent) return Promise.reject(new TailscaleError(`tailscale whois: ${maxConcurrent} lookups already running`));
    const pending = lookup(address).finally(() => running.delete(address));
    running.set(address, pending);
    return pending;
  };

  return {
    whois,
    async close() {
      stop.abort();
      cache.clear();
      await Promise.allSettled([...running.values()]);
    },
  };
}
