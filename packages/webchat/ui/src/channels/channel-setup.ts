/**
 * The Channels tab's add and remove forms as data: which settings a channel's form asks for (read
 * from `config.schema`), how a draft is checked before anything is sent, and the `config.patch`
 * merge patches that add or remove an account. Mirrors `openclaw channels add|remove`: the same
 * keys, account ids and section layout. Pure, so it is tested without a browser.
 */

/** Account ids the gateway accepts (`channels.<id>.accounts.<accountId>`). */
export const ACCOUNT_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** The account a section without `accounts` is. */
export const DEFAULT_ACCOUNT = "default";

/** The DM policies, in the order the form offers them, when the schema does not list them. */
const DM_POLICIES = ["pairing", "allowlist", "open", "disabled"] as const;

/**
 * The settings the form asks for, per channel: the ones a first start needs, and a few optional
 * ones worth having at hand. Their type, format and secrecy come from the schema; a key the
 * schema does not have is left out. The CLI's `--token` fills the same keys.
 */
const SETUP_KEYS: Readonly<Record<string, { readonly required: readonly string[]; readonly optional: readonly string[] }>> = {
  telegram: { required: ["botToken"], optional: ["apiRoot"] },
  slack: { required: ["botToken", "appToken"], optional: [] },
  discord: { required: ["token"], optional: ["apiRoot"] },
  whatsapp: { required: [], optional: [] },
  signal: { required: ["account"], optional: [] },
  imessage: { required: [], optional: ["cliPath"] },
};

const LABELS: Readonly<Record<string, string>> = {
  botToken: "Bot token",
  appToken: "App-level token",
  token: "Bot token",
  apiRoot: "API root",
  account: "Phone number",
  cliPath: "imsg executable",
};

/** One input of the add form. */
export interface SetupField {
  readonly key: string;
  readonly label: string;
  /** `writeOnly` in the schema: typed into a password input, never shown again. */
  readonly secret: boolean;
  readonly required: boolean;
  /** The schema's `pattern`, checked before submitting (secrets and required fields only). */
  readonly pattern?: string;
  /** The schema's `description`: the format in words. */
  readonly description?: string;
}

/** What the add form offers for one channel. */
export interface ChannelSetupSpec {
  readonly channel: string;
  readonly fields: readonly SetupField[];
  readonly dmPolicies: readonly string[];
}

/** What the user typed into the add form. */
export interface AccountDraft {
  readonly channel: string;
  /** Empty for the channel's default account. */
  readonly accountId: string;
  /** By setting key; empty strings are left out of the patch. */
  readonly values: Readonly<Record<string, string>>;
  readonly dmPolicy: string;
  /** Comma-separated sender ids (allowlist and pairing). */
  readonly allowFrom: string;
}

/** A problem with a draft, by the form field it belongs to (`accountId`, `allowFrom`, or a setting key). */
export interface DraftProblem {
  readonly field: string;
  readonly message: string;
}

/** A `config.patch` to send: the merge patch, the arrays it replaces whole, and the path it changes. */
export interface ConfigEdit {
  readonly path: string;
  readonly patch: Record<string, unknown>;
  readonly replacePaths: readonly string[];
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function child(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) && Object.hasOwn(current, key) ? current[key] : undefined;
  return current;
}

/** The channels a gateway can run, with their form fields, from the `config.schema` answer's `schema`. */
export function channelSetupSpecs(schema: unknown): ChannelSetupSpec[] {
  const sections = child(schema, "properties", "channels", "properties");
  if (!isObject(sections)) return [];
  return Object.entries(sections).flatMap(([channel, section]) => {
    const properties = child(section, "properties");
    if (!isObject(properties)) return [];
    const keys = SETUP_KEYS[channel] ?? { required: [], optional: secretKeys(properties) };
    const fields = [...keys.required.map((key) => [key, true] as const), ...keys.optional.map((key) => [key, false] as const)].flatMap(([key, required]) => {
      const field = fieldFrom(key, properties[key], required);
      return field ? [field] : [];
    });
    const policies = child(properties, "dmPolicy", "enum");
    const dmPolicies = Array.isArray(policies) && policies.every((entry) => typeof entry === "string") ? (policies as string[]) : [...DM_POLICIES];
    return [{ channel, fields, dmPolicies }];
  });
}

/** A channel outside {@link SETUP_KEYS}: its secret strings, none of them required. */
function secretKeys(properties: JsonObject): string[] {
  return Object.entries(properties).flatMap(([key, property]) => (child(property, "writeOnly") === true ? [key] : []));
}

function fieldFrom(key: string, property: unknown, required: boolean): SetupField | undefined {
  // The form has text inputs only; numbers, flags and objects stay with the CLI and the config file.
  if (!isObject(property) || property["type"] !== "string") return undefined;
  const pattern = typeof property["pattern"] === "string" ? property["pattern"] : undefined;
  const description = typeof property["description"] === "string" ? property["description"] : undefined;
  return {
    key,
    label: LABELS[key] ?? key,
    secret: property["writeOnly"] === true,
    required,
    ...(pattern !== undefined ? { pattern } : {}),
    ...(description !== undefined ? { description } : {}),
  };
}

function senders(text: string): string[] {
  return text
    .split(",")
    .map((sender) => sender.trim())
    .filter(Boolean);
}

function channelSection(config: unknown, channel: string): JsonObject | undefined {
  const section = child(config, "channels", channel);
  return isObject(section) ? section : undefined;
}

/** The ids of a configured channel's accounts (`default` for a section without `accounts`). */
export function configuredAccounts(config: unknown, channel: string): string[] {
  const section = channelSection(config, channel);
  if (section === undefined) return [];
  const accounts = section["accounts"];
  return isObject(accounts) ? Object.keys(accounts) : [DEFAULT_ACCOUNT];
}

/**
 * What stops a draft from being sent, checked against the form's spec and the config as
 * `config.get` returned it. Secret and required settings are checked here (required, and the
 * schema's pattern); optional plain settings are left to the gateway, which names the key.
 */
export function checkDraft(spec: ChannelSetupSpec, draft: AccountDraft, config: unknown): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const accountId = draft.accountId.trim();
  if (accountId !== "" && !ACCOUNT_ID.test(accountId)) {
    problems.push({
      field: "accountId",
      message: `"${accountId}" is not an account id: letters, digits, "-" and "_" (at most 64), starting with a letter or digit`,
    });
  } else {
    const placement = placeAccount(config, spec.channel, accountId);
    if ("problem" in placement) problems.push({ field: "accountId", message: placement.problem });
  }
  for (const field of spec.fields) {
    const value = (draft.values[field.key] ?? "").trim();
    if (value === "") {
      if (field.required) problems.push({ field: field.key, message: `${field.label} is required` });
      continue;
    }
    if ((field.secret || field.required) && field.pattern !== undefined && !matches(field.pattern, value)) {
      problems.push({ field: field.key, message: `${field.label} does not look right: expected ${field.description ?? `a value matching ${field.pattern}`}` });
    }
  }
  if (!spec.dmPolicies.includes(draft.dmPolicy)) problems.push({ field: "dmPolicy", message: `pick a DM policy: ${spec.dmPolicies.join(", ")}` });
  if (draft.dmPolicy === "allowlist" && senders(draft.allowFrom).length === 0) {
    problems.push({ field: "allowFrom", message: "an allowlist needs at least one sender id" });
  }
  return problems;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    // A pattern this browser cannot compile is the gateway's to check.
    return true;
  }
}

type Placement = { readonly path: string[] } | { readonly problem: string };

/** Where a new account goes in `channels.<channel>`, or why it cannot go there. */
function placeAccount(config: unknown, channel: string, accountId: string): Placement {
  const section = channelSection(config, channel);
  const where = `channels.${channel}`;
  if (section === undefined) return accountId === "" ? { path: [] } : { path: ["accounts", accountId] };
  const accounts = section["accounts"];
  if (!isObject(accounts)) {
    // The section is the default account; named accounts would inherit its settings and replace it.
    return {
      problem:
        accountId === "" || accountId === DEFAULT_ACCOUNT
          ? `${channel} already has its default account; remove it first, or give the new account an id`
          : `${where} is set up as one account (default); a named account would take it over. Remove the default account first, or set it up with: openclaw channels add --channel ${channel} --account ${accountId}`,
    };
  }
  const id = accountId === "" ? DEFAULT_ACCOUNT : accountId;
  if (Object.hasOwn(accounts, id)) return { problem: `${where}.accounts.${id} already exists; remove it first to set it up again` };
  return { path: ["accounts", id] };
}

/** `{ a: { b: value } }` for `["a", "b"]`. */
function nest(keys: readonly string[], value: unknown): JsonObject {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as JsonObject;
}

/** The `config.patch` that adds a checked draft (call {@link checkDraft} first; this throws on what it finds). */
export function addAccountEdit(spec: ChannelSetupSpec, draft: AccountDraft, config: unknown): ConfigEdit {
  const problems = checkDraft(spec, draft, config);
  if (problems.length > 0) throw new Error(problems.map((problem) => problem.message).join("; "));
  const placement = placeAccount(config, spec.channel, draft.accountId.trim()) as { path: string[] };
  const settings: JsonObject = {};
  for (const field of spec.fields) {
    const value = (draft.values[field.key] ?? "").trim();
    if (value !== "") settings[field.key] = value;
  }
  settings["dmPolicy"] = draft.dmPolicy;
  // "open" admits everyone only with the wildcard; the form says so instead of asking for it.
  const allowFrom = draft.dmPolicy === "open" ? ["*"] : draft.dmPolicy === "disabled" ? [] : senders(draft.allowFrom);
  if (allowFrom.length > 0) settings["allowFrom"] = allowFrom;
  const keys = ["channels", spec.channel, ...placement.path];
  const path = keys.join(".");
  return { path, patch: nest(keys, settings), replacePaths: allowFrom.length > 0 ? [`${path}.allowFrom`] : [] };
}

/**
 * The `config.patch` that removes an account. The last account takes its channel section with it
 * (a section with no accounts is not valid), as `openclaw channels remove` does.
 */
export function removeAccountEdit(config: unknown, channel: string, accountId: string): ConfigEdit {
  const accounts = configuredAccounts(config, channel);
  if (accounts.length === 0) throw new Error(`channels.${channel} is not in the config file; it may come from the environment`);
  if (!accounts.includes(accountId)) throw new Error(`channels.${channel} has no account "${accountId}" in the config file (it has: ${accounts.join(", ")})`);
  const whole = accounts.length === 1;
  const keys = whole ? ["channels", channel] : ["channels", channel, "accounts", accountId];
  return { path: keys.join("."), patch: nest(keys, null), replacePaths: [] };
}
