import type { ChannelDefinition } from "@openclaw/channel-kit";
import { CHANNEL_POLICY_SETTINGS } from "../config/channel-sections.js";
import { ConfigError } from "../errors.js";
import { DEFAULT_MEDIA_MAX_MB, FALLBACK_MEDIA_MAX_MB } from "./inbound-media.js";

/** Settings the core reads from `channels.<id>` (and each account); the adapter reads its own keys. */
export const CORE_CHANNEL_KEYS = Object.keys(CHANNEL_POLICY_SETTINGS);
const SECTION_ONLY_KEYS = ["accounts", "defaultAccount"] as const;

export const DM_SCOPES = ["main", "per-peer", "per-channel-peer", "per-account-channel-peer"] as const;
export type DmScope = (typeof DM_SCOPES)[number];

/** One configured account of one channel, with the section's settings merged under its own. */
export interface ResolvedChannelAccount {
  readonly channel: string;
  readonly accountId: string;
  /** Where its settings live: `channels.telegram` or `channels.telegram.accounts.work`. */
  readonly configPath: string;
  readonly enabled: boolean;
  readonly config: Readonly<Record<string, unknown>>;
  readonly textChunkLimit: number;
  readonly chunkMode: "length" | "paragraph";
  readonly maxLinesPerMessage: number | undefined;
  /** The largest inbound file the gateway downloads (`mediaMaxMb`, or the channel's default). */
  readonly mediaMaxBytes: number;
  /** Whether a message that starts an agent run is marked read on the provider (`readReceipts`). */
  readonly readReceipts: boolean;
  /** Per-group settings (`groups.<chatId>` or `groups."*"`): `requireMention`. */
  readonly groups: Readonly<Record<string, { readonly requireMention?: boolean }>>;
}

const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function fail(path: string, message: string): never {
  throw new ConfigError(`${path}: ${message}`, [{ path, message }]);
}

function checkKeys(path: string, section: Record<string, unknown>, allowed: ReadonlySet<string>, definition: ChannelDefinition): void {
  for (const key of Object.keys(section)) {
    if (!allowed.has(key)) {
      fail(`${path}.${key}`, `unknown setting for ${definition.label}; known settings: ${[...allowed].sort().join(", ")}`);
    }
  }
}

function positiveInt(path: string, value: unknown, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
    fail(path, `expected an integer from 1 to ${max}, got ${JSON.stringify(value)}`);
  return value;
}

/**
 * Splits `channels.<id>` into accounts. Without `accounts` the section is the `default` account;
 * with it, each account inherits the section's settings and overrides them. Unknown keys, bad
 * account ids and out-of-range limits are refused with the key's full path.
 */
export function resolveChannelAccounts(channel: string, section: unknown, definition: ChannelDefinition): ResolvedChannelAccount[] {
  const path = `channels.${channel}`;
  if (!isRecord(section)) fail(path, "expected an object");
  const adapterKeys = definition.configKeys ?? [];
  const accountKeys = new Set<string>([...CORE_CHANNEL_KEYS, ...adapterKeys]);
  checkKeys(path, section, new Set([...accountKeys, ...SECTION_ONLY_KEYS]), definition);
  const { accounts, defaultAccount, ...base } = section;
  if (defaultAccount !== undefined && typeof defaultAccount !== "string") fail(`${path}.defaultAccount`, "expected an account id");
  let entries: [string, Record<string, unknown>][];
  if (accounts === undefined) {
    entries = [["default", base]];
  } else {
    if (!isRecord(accounts)) fail(`${path}.accounts`, "expected an object of accounts by id");
    entries = Object.entries(accounts).map(([accountId, value]) => {
      const accountPath = `${path}.accounts.${accountId}`;
      if (!ACCOUNT_ID.test(accountId)) fail(accountPath, "account ids are letters, digits, '-' and '_' (at most 64)");
      if (!isRecord(value)) fail(accountPath, "expected an object");
      checkKeys(accountPath, value, accountKeys, definition);
      return [accountId, { ...base, ...value }];
    });
    if (entries.length === 0) fail(`${path}.accounts`, "no accounts configured; remove the key or add one");
    if (defaultAccount !== undefined && !entries.some(([id]) => id === defaultAccount)) {
      fail(`${path}.defaultAccount`, `"${defaultAccount}" is not one of the accounts (${entries.map(([id]) => id).join(", ")})`);
    }
  }
  return entries.map(([accountId, config]) => {
    const accountPath = accounts === undefined ? path : `${path}.accounts.${accountId}`;
    const enabled = config.enabled ?? true;
    if (typeof enabled !== "boolean") fail(`${accountPath}.enabled`, "expected true or false");
    const chunkMode = config.chunkMode ?? "length";
    if (chunkMode !== "length" && chunkMode !== "paragraph")
      fail(`${accountPath}.chunkMode`, `expected "length" or "paragraph", got ${JSON.stringify(chunkMode)}`);
    const groups = config.groups ?? {};
    if (!isRecord(groups)) fail(`${accountPath}.groups`, "expected an object of group settings by chat id");
    for (const [groupId, group] of Object.entries(groups)) {
      if (!isRecord(group)) fail(`${accountPath}.groups.${groupId}`, "expected an object");
      for (const key of Object.keys(group))
        if (key !== "requireMention") fail(`${accountPath}.groups.${groupId}.${key}`, "unknown group setting; known: requireMention");
      if (group.requireMention !== undefined && typeof group.requireMention !== "boolean")
        fail(`${accountPath}.groups.${groupId}.requireMention`, "expected true or false");
    }
    const readReceipts = config.readReceipts ?? false;
    if (typeof readReceipts !== "boolean") fail(`${accountPath}.readReceipts`, `expected true or false, got ${JSON.stringify(readReceipts)}`);
    const mediaMaxMb = config.mediaMaxMb ?? DEFAULT_MEDIA_MAX_MB[channel] ?? FALLBACK_MEDIA_MAX_MB;
    if (typeof mediaMaxMb !== "number" || !Number.isFinite(mediaMaxMb) || mediaMaxMb <= 0 || mediaMaxMb > 2048)
      fail(`${accountPath}.mediaMaxMb`, `expected a number of megabytes above 0 and at most 2048, got ${JSON.stringify(mediaMaxMb)}`);
    return {
      channel,
      accountId,
      configPath: accountPath,
      mediaMaxBytes: Math.floor(mediaMaxMb * 1024 * 1024),
      enabled,
      readReceipts,
      config,
      textChunkLimit: positiveInt(`${accountPath}.textChunkLimit`, config.textChunkLimit, definition.maxTextLength) ?? definition.textChunkLimit,
      chunkMode,
      maxLinesPerMessage: positiveInt(`${accountPath}.maxLinesPerMessage`, config.maxLinesPerMessage, 10_000) ?? definition.maxLinesPerMessage,
      groups: groups as Record<string, { requireMention?: boolean }>,
    };
  });
}

/** The account `send` uses when the caller names none. */
export function defaultAccountId(section: unknown, accounts: readonly ResolvedChannelAccount[]): string | undefined {
  const configured = isRecord(section) && typeof section.defaultAccount === "string" ? section.defaultAccount : undefined;
  if (configured) return configured;
  if (accounts.some((account) => account.accountId === "default")) return "default";
  return accounts.length === 1 ? accounts[0]!.accountId : undefined;
}

/**
 * The session a conversation belongs to. Groups and channels get one session per chat; DMs share
 * the agent's main session unless `dmScope` splits them per sender, per channel and sender, or per
 * account, channel and sender. A thread is its own session under its chat's.
 */
export function channelSessionKey(input: {
  agentId: string;
  channel: string;
  accountId: string;
  chat: { kind: "dm" | "group" | "channel"; id: string };
  senderId: string;
  thread?: string | undefined;
  dmScope: DmScope;
}): string {
  const agent = `agent:${input.agentId}`;
  let key: string;
  if (input.chat.kind === "dm") {
    if (input.dmScope === "main") key = `${agent}:main`;
    else if (input.dmScope === "per-peer") key = `${agent}:dm:${input.senderId}`;
    else if (input.dmScope === "per-channel-peer") key = `${agent}:${input.channel}:dm:${input.senderId}`;
    else key = `${agent}:${input.channel}:${input.accountId}:dm:${input.senderId}`;
  } else {
    key = `${agent}:${input.channel}:${input.chat.kind}:${input.chat.id}`;
  }
  return input.thread ? `${key}:thread:${input.thread}` : key;
}
