import JSON5 from "json5";
import {
  applyMergePatch,
  formatConfigIssues,
  readConfigSnapshot,
  readInstanceLock,
  redactConfig,
  resolveConfigPath,
  resolveGatewaySettings,
  resolveStateDir,
  validateConfig,
  writeFileAtomic,
  type ConfigSnapshot,
} from "@openclaw/gateway-core";
import { loadChannelConfigSchemas } from "../channel-catalog.js";
import { withClient, type ClientFlags } from "../client-session.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { DEFAULT_MODEL_REF } from "../model-providers.js";
import { printJson } from "../output.js";
import { printTable } from "../terminal.js";
import { checkStartable } from "./gateway-checks.js";

/** A dotted config path: keys of letters, digits, `_`, `-` and `$`, as the schema names them. */
const PATH = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/;

function parsePath(path: string): string[] {
  if (!PATH.test(path)) throw new CliError(`"${path}" is not a config path; use dotted keys like gateway.port or channels.telegram.botToken`);
  return path.split(".");
}

/** A value on the command line: JSON5 (`19101`, `true`, `["a"]`, `{ a: 1 }`, `"quoted"`), otherwise the text as a string. */
export function parseValue(text: string): unknown {
  try {
    return JSON5.parse(text);
  } catch {
    return text;
  }
}

function valueAt(root: unknown, keys: readonly string[]): unknown {
  let value = root;
  for (const key of keys) {
    if (typeof value !== "object" || value === null || Array.isArray(value) || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** `{ a: { b: value } }` for `a.b`. */
function patchFor(keys: readonly string[], value: unknown): Record<string, unknown> {
  return keys.reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

async function snapshot(io: CommandIo): Promise<{ snapshot: ConfigSnapshot; channels: Awaited<ReturnType<typeof loadChannelConfigSchemas>> }> {
  const channels = await loadChannelConfigSchemas();
  return { snapshot: await readConfigSnapshot(resolveConfigPath(io.env, io.homedir), io.env, { channels }), channels };
}

/** `openclaw config get [path]`: the value in the config file, secrets shown as the redaction sentinel. */
export async function configGetCommand(io: CommandIo, path: string | undefined, options: { json?: boolean }): Promise<void> {
  const keys = path === undefined ? [] : parsePath(path);
  const { snapshot: file } = await snapshot(io);
  if (file.parsed === undefined) throw new CliError(`the config file ${file.path} cannot be read: ${formatConfigIssues(file.issues)}`);
  const value = valueAt(redactConfig(file.parsed), keys);
  if (value === undefined) throw new CliError(`${path} is not set in ${file.path}`, 1, { code: "NOT_SET" });
  if (options.json || typeof value === "object") printJson(io, value);
  else io.stdout.write(`${String(value)}\n`);
}

interface ChangeOptions {
  readonly json?: boolean;
}

/** `openclaw config set <path> <value>`. */
export function configSetCommand(io: CommandIo, path: string, text: string, options: ChangeOptions): Promise<void> {
  const keys = parsePath(path);
  const value = parseValue(text);
  return change(io, options, { path, patch: patchFor(keys, value), replace: Array.isArray(value) ? [path] : [], done: `set ${path}` });
}

/** `openclaw config unset <path>`. */
export async function configUnsetCommand(io: CommandIo, path: string, options: ChangeOptions): Promise<void> {
  const keys = parsePath(path);
  const { snapshot: file } = await snapshot(io);
  if (valueAt(file.parsed, keys) === undefined) {
    if (options.json) printJson(io, { ok: true, path, changed: false });
    else io.stdout.write(`${path} is not set; nothing to change\n`);
    return;
  }
  await change(io, options, { path, patch: patchFor(keys, null), replace: [], done: `unset ${path}` });
}

interface Change {
  readonly path: string;
  /** A JSON merge patch of the file (`null` removes a key). */
  readonly patch: Record<string, unknown>;
  /** Array paths the patch replaces whole. */
  readonly replace: readonly string[];
  readonly done: string;
  /** More facts for `--json` (what a credential check said). */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * Writes a change to the config file. With this machine's gateway running it goes through that
 * gateway's `config.patch`, so the change is applied live and the answer says how; otherwise the file
 * is checked as a start would check it and written atomically.
 */
export async function change(io: CommandIo, options: ChangeOptions, edit: Change): Promise<void> {
  const running = readInstanceLock(resolveStateDir(io.env, io.homedir));
  const outcome = running ? await changeThroughGateway(io, options, edit, running.port) : await changeFile(io, edit);
  if (options.json) return printJson(io, { ok: true, path: edit.path, changed: true, ...edit.extra, ...outcome });
  io.stdout.write(`${edit.done}: ${describeOutcome(outcome)}\n`);
}

interface Outcome {
  readonly applied: "live" | "restart" | "waiting" | "next-start";
  readonly restartRequired: boolean;
  readonly restartDelayMs?: number;
}

function describeOutcome(outcome: Outcome): string {
  switch (outcome.applied) {
    case "live":
      return "the running gateway applied it";
    case "restart":
      return `the running gateway restarts in ${outcome.restartDelayMs} ms to apply it`;
    case "waiting":
      return "written; the running gateway applies it at its next start (gateway.reload.mode)";
    default:
      return "written; no gateway is running, it applies at the next start";
  }
}

async function changeThroughGateway(io: CommandIo, options: ChangeOptions, edit: Change, port: number): Promise<Outcome> {
  const { snapshot: file } = await snapshot(io);
  const scheme = file.config?.gateway?.tls?.enabled ? "wss" : "ws";
  // This machine's gateway, whatever gateway.mode says: the file being edited is its file.
  const flags: ClientFlags = { url: `${scheme}://127.0.0.1:${port}` };
  return withClient(io, flags, ["operator.admin"], async (client) => {
    const { hash } = await client.call("config.get", {});
    const answer = await client.call("config.patch", {
      raw: JSON.stringify(edit.patch),
      baseHash: hash,
      ...(edit.replace.length > 0 ? { replacePaths: [...edit.replace] } : {}),
    });
    const restart = (answer as { restart?: { delayMs: number } }).restart;
    if (restart) return { applied: "restart", restartRequired: true, restartDelayMs: restart.delayMs };
    return { applied: answer.restartRequired ? "waiting" : "live", restartRequired: answer.restartRequired === true };
  });
}

async function changeFile(io: CommandIo, edit: Change): Promise<Outcome> {
  const { snapshot: file, channels } = await snapshot(io);
  if (file.parsed === undefined) throw new CliError(`the config file ${file.path} cannot be changed until it parses: ${formatConfigIssues(file.issues)}`);
  const parsed = applyMergePatch(file.parsed, edit.patch, { replacePaths: [...edit.replace] });
  const checked = validateConfig(parsed, io.env, { channels });
  if (!checked.ok) throw new CliError(formatConfigIssues(checked.issues), 1, { code: "INVALID_CONFIG", details: { issues: checked.issues } });
  checkStartable(resolveGatewaySettings({ config: checked.config, env: io.env, flags: {} }), io.env);
  await writeFileAtomic(file.path, `${JSON.stringify(parsed, null, 2)}\n`);
  return { applied: "next-start", restartRequired: false };
}

/** `openclaw models list`: what the gateway can run, from its providers and config. */
export async function modelsListCommand(io: CommandIo, options: ClientFlags): Promise<void> {
  const { models } = await withClient(io, options, ["operator.read"], (client) => client.call("models.list", {}));
  const { snapshot: file } = await snapshot(io);
  const current = file.config?.agents?.defaults?.model ?? DEFAULT_MODEL_REF;
  if (options.json) return printJson(io, { default: current, models });
  printTable(
    io,
    ["Model", "Name", "Context", "Thinking", "Default"],
    models.map((model) => {
      const ref = `${model.provider}/${model.id}`;
      return [ref, model.name, model.contextWindow, model.reasoning === true ? "levels" : "", ref === current ? "*" : ""];
    }),
  );
}

/** `openclaw models set <provider/model>`: the default model, checked and applied like `config set agents.defaults.model`. */
export function modelsSetCommand(io: CommandIo, ref: string, options: ChangeOptions): Promise<void> {
  if (!/^[^/\s]+\/\S+$/.test(ref)) throw new CliError(`"${ref}" is not a model reference; use provider/model, e.g. openai/gpt-5 (see openclaw models list)`);
  return change(io, options, {
    path: "agents.defaults.model",
    patch: patchFor(["agents", "defaults", "model"], ref),
    replace: [],
    done: `default model ${ref}`,
  });
}
