/** How one channel spells sender ids, so allowlist entries and senders compare equal. */
export interface SenderIdRules {
  /** Compare ignoring case. @default true */
  readonly caseInsensitive: boolean;
  /** Drop a leading `@` (usernames). @default true */
  readonly stripAt: boolean;
  /** Drop a leading `+` (E.164 numbers). @default true */
  readonly stripPlus: boolean;
  /** A channel's own spelling of the same id, reduced to one form (applied after the rules above). */
  readonly canonical?: (id: string) => string;
}

const DEFAULT_RULES: SenderIdRules = { caseInsensitive: true, stripAt: true, stripPlus: true };

/**
 * Channels that differ from the default. Signal ids keep their `uuid:` prefix, lowercased.
 * WhatsApp senders arrive as JIDs (`15551234567@s.whatsapp.net`, with a `:device` part from linked
 * devices); operators write phone numbers, so a phone-number JID compares as its bare number.
 */
const CHANNEL_RULES: Readonly<Record<string, Partial<SenderIdRules>>> = {
  whatsapp: { canonical: (id) => id.replace(/^(\d+)(?::\d+)?@(?:s\.whatsapp\.net|c\.us)$/, "$1") },
};

export function senderIdRules(channel: string): SenderIdRules {
  return { ...DEFAULT_RULES, ...CHANNEL_RULES[channel] };
}

/**
 * Normalize a sender id or allowlist entry for `channel`: trims, drops a leading `@` or `+`,
 * lowercases. Returns `""` for input that is not a usable id; callers treat that as no match.
 */
export function normalizeSenderId(channel: string, raw: string, rules: SenderIdRules = senderIdRules(channel)): string {
  let id = raw.trim();
  if (rules.stripAt && id.startsWith("@")) id = id.slice(1);
  if (rules.stripPlus && id.startsWith("+")) id = id.slice(1);
  if (rules.caseInsensitive) id = id.toLowerCase();
  id = id.trim();
  return rules.canonical ? rules.canonical(id) : id;
}
