import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { auditDmPolicy } from "@openclaw/channel-kit";
import {
  checkStore,
  formatConfigIssues,
  resolveGatewaySettings,
  type ConfigSnapshot,
  type GatewayConfig,
  type InstanceLockRecord,
} from "@openclaw/gateway-core";
import { withClient } from "../client-session.js";
import type { CommandIo } from "../io.js";
import { OPEN_FILES_ADVISED, OPEN_FILES_FIX, openFileLimit } from "../open-file-limit.js";
import { listModelsWithin, resolveModel } from "../model-providers.js";
import { renderSystemdUnit, serviceFilePath, type ServiceSpec } from "../service/unit-files.js";
import { checkConfiguredAccounts } from "./credential-check.js";
import { checkStartable } from "./gateway-checks.js";

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface Finding {
  readonly status: CheckStatus;
  readonly detail: string;
  /** What to do about a warning or failure, as a command or a key to set. */
  readonly fix?: string;
  /** A safe repair `--fix` applies (file modes, say); the check runs again after it. */
  readonly repair?: () => void;
}

/** What every check reads: the paths, the config as the file has it, and the running gateway if any. */
export interface DoctorContext {
  readonly io: CommandIo;
  readonly stateDir: string;
  readonly configPath: string;
  readonly storePath: string;
  readonly snapshot: ConfigSnapshot;
  readonly running: InstanceLockRecord | undefined;
  readonly platform: NodeJS.Platform;
  readonly nodeVersion: string;
  /** `/proc/self/limits` on Linux; absent elsewhere. */
  readonly limitsFile: string;
  readonly service: ServiceSpec;
}

/** With no gateway running, each account's provider is asked directly. */
async function askProviders(context: DoctorContext): Promise<Omit<Finding, "repair">> {
  const verdicts = await checkConfiguredAccounts(context.io, config(context).channels ?? {});
  const refused = verdicts.filter((verdict) => "problem" in verdict.outcome);
  const accepted = verdicts.filter((verdict) => "identity" in verdict.outcome);
  const skipped = verdicts.filter((verdict) => "skipped" in verdict.outcome).map((verdict) => verdict.name);
  const unchecked = skipped.length > 0 ? `; not checked: ${skipped.join(", ")}` : "";
  if (refused.length === 0)
    return { status: verdicts.length === skipped.length ? "skip" : "pass", detail: `${accepted.length} account(s) accepted by their providers${unchecked}` };
  return {
    status: "fail",
    detail: refused.map((verdict) => `${verdict.name}: ${(verdict.outcome as { problem: string }).problem}`).join("; ") + unchecked,
    fix: "fix the credential with openclaw channels add --channel <id> [--account <id>] --token …",
  };
}

export interface DoctorCheck {
  readonly id: string;
  readonly title: string;
  run(context: DoctorContext): Promise<Finding>;
}

const config = (context: DoctorContext): GatewayConfig => context.snapshot.config ?? {};

/** Private paths of the state dir: what they should be and whether they are wider. */
function modeFindings(context: DoctorContext): { path: string; want: number; mode: number }[] {
  const wanted: [string, number][] = [
    [context.stateDir, 0o700],
    [context.configPath, 0o600],
    [context.storePath, 0o600],
    [join(context.stateDir, "credentials"), 0o700],
    [join(context.stateDir, "identity"), 0o700],
  ];
  return wanted.flatMap(([path, want]) => {
    if (!existsSync(path)) return [];
    const mode = statSync(path).mode & 0o777;
    return (mode & ~want) !== 0 ? [{ path, want, mode }] : [];
  });
}

function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once("error", () => done(false));
    server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
  });
}

/** Every channel account's DM settings, the section's merged under the account's. */
function dmPolicies(gatewayConfig: GatewayConfig): { path: string; mode: unknown; allowFrom: unknown }[] {
  return Object.entries(gatewayConfig.channels ?? {}).flatMap(([channel, section]) => {
    const { accounts, ...base } = section as Record<string, unknown> & { accounts?: Record<string, Record<string, unknown>> };
    const entries = accounts
      ? Object.entries(accounts).map(([id, account]) => [`channels.${channel}.accounts.${id}`, { ...base, ...account }] as const)
      : [[`channels.${channel}`, base] as const];
    return entries.map(([path, settings]) => ({ path, mode: settings["dmPolicy"], allowFrom: settings["allowFrom"] }));
  });
}

export const DOCTOR_CHECKS: readonly DoctorCheck[] = [
  {
    id: "config",
    title: "config file",
    run: async ({ snapshot, configPath }) => {
      if (!snapshot.exists) return { status: "pass", detail: `no ${configPath} yet; the defaults apply` };
      if (snapshot.config) return { status: "pass", detail: `${configPath} is valid` };
      return { status: "fail", detail: formatConfigIssues(snapshot.issues), fix: `edit ${configPath}, or use openclaw config set|unset <key>` };
    },
  },
  {
    id: "state-files",
    title: "state dir and file modes",
    run: async (context) => {
      const wide = modeFindings(context);
      if (wide.length === 0) return { status: "pass", detail: `${context.stateDir} and its secrets are private` };
      return {
        status: "warn",
        detail: wide.map(({ path, mode, want }) => `${path} is ${mode.toString(8)}, should be ${want.toString(8)}`).join("; "),
        fix: "openclaw doctor --fix (chmod)",
        repair: () => {
          for (const { path, want } of wide) chmodSync(path, want);
        },
      };
    },
  },
  {
    id: "port",
    title: "gateway port",
    run: async (context) => {
      if (context.running) return { status: "pass", detail: `this gateway listens on ${context.running.port} (pid ${context.running.pid})` };
      const port = context.snapshot.config ? resolveGatewaySettings({ config: config(context), env: context.io.env, flags: {} }).port : 18789;
      if (await portFree(port)) return { status: "pass", detail: `port ${port} is free` };
      return { status: "fail", detail: `port ${port} is in use by another process`, fix: "stop that process, or openclaw config set gateway.port <port>" };
    },
  },
  {
    id: "store",
    title: "SQLite store",
    run: async ({ storePath }) => {
      if (!existsSync(storePath)) return { status: "pass", detail: "not created yet (the first start creates it)" };
      try {
        const store = checkStore(storePath);
        if (store.newerThanThisBuild)
          return { status: "fail", detail: `schema version ${store.schemaVersion} is from a newer gateway`, fix: "update @openclaw/gateway" };
        if (store.ok) return { status: "pass", detail: `integrity ok, schema version ${store.schemaVersion}` };
        return {
          status: "fail",
          detail: `integrity check: ${store.integrity.slice(0, 3).join("; ")}`,
          fix: "stop the gateway and restore a backup: openclaw backup restore <file> --force",
        };
      } catch (error) {
        return {
          status: "fail",
          detail: `${storePath} cannot be read as SQLite: ${(error as Error).message}`,
          fix: "restore a backup: openclaw backup restore <file> --force",
        };
      }
    },
  },
  {
    id: "dm-policy",
    title: "channel DM policies",
    run: async (context) => {
      const policies = dmPolicies(config(context));
      if (policies.length === 0) return { status: "skip", detail: "no channels configured" };
      const findings = policies.flatMap(({ path, mode, allowFrom }) => auditDmPolicy({ mode, allowFrom }).map((warning) => `${path}.${warning}`));
      if (findings.length === 0) return { status: "pass", detail: "every account's DM policy does what it says" };
      return { status: "warn", detail: findings.join("; "), fix: "openclaw channels add --channel <id> --dm-policy <policy> --allow-from <ids>" };
    },
  },
  {
    id: "channels",
    title: "channel credentials",
    run: async (context) => {
      if (Object.keys(config(context).channels ?? {}).length === 0) return { status: "skip", detail: "no channels configured" };
      if (!context.running) return askProviders(context);
      const status = await withClient(context.io, { url: `ws://127.0.0.1:${context.running.port}`, timeout: 10_000 }, ["operator.read"], (client) =>
        client.call("channels.status", {}),
      );
      const accounts = Object.entries(
        status.channels as Record<string, { accounts: { accountId: string; lastError?: string; health?: { problem?: string } }[] }>,
      ).flatMap(([channel, entry]) => entry.accounts.map((account) => ({ name: `${channel}/${account.accountId}`, ...account })));
      const broken = accounts.filter((account) => account.health?.problem !== undefined);
      if (broken.length === 0) return { status: "pass", detail: `${accounts.length} account(s) accepted by their providers` };
      return {
        status: "fail",
        detail: broken.map((account) => `${account.name}: ${account.health?.problem}${account.lastError ? ` (${account.lastError})` : ""}`).join("; "),
        fix: "openclaw channels status; fix the credential with openclaw channels add --channel <id> --token …",
      };
    },
  },
  {
    id: "model",
    title: "model provider",
    run: async (context) => {
      if (!context.snapshot.config) return { status: "skip", detail: "the config is invalid" };
      const settings = resolveGatewaySettings({ config: config(context), env: context.io.env, flags: {} });
      let model: ReturnType<typeof resolveModel>;
      try {
        checkStartable(settings, context.io.env);
        model = resolveModel(settings, context.io.env);
      } catch (error) {
        return { status: "fail", detail: (error as Error).message, fix: "openclaw models set <provider/model>, or set the provider's key" };
      }
      const provider = model.provider;
      if (model.ref.startsWith("offline/") || !provider.listModels) return { status: "pass", detail: `${model.ref} (${provider.label})` };
      try {
        await listModelsWithin(provider, 5000);
        return { status: "pass", detail: `${model.ref}: its provider answered` };
      } catch (error) {
        return {
          status: "warn",
          detail: `${model.ref}: its provider did not answer: ${(error as Error).message}`,
          fix: "check models.providers.<id>.baseUrl and apiKey",
        };
      }
    },
  },
  {
    id: "node",
    title: "Node.js version",
    // The packages' engines: ^20.19 || ^22.13 || >=24.
    run: async ({ nodeVersion }) => {
      const [major = 0, minor = 0] = nodeVersion.split(".").map(Number);
      if (major >= 24 || (major === 22 && minor >= 13)) return { status: "pass", detail: `Node ${nodeVersion}` };
      if (major === 20 && minor >= 19) return { status: "warn", detail: `Node ${nodeVersion} reached end of life in April 2026`, fix: "install Node 22 or 24" };
      return {
        status: "fail",
        detail: `Node ${nodeVersion} is not supported (this gateway runs on ^20.19, ^22.13 or 24 and later)`,
        fix: "install Node 22 or 24",
      };
    },
  },
  {
    id: "fd-limit",
    title: "open file limit",
    run: async ({ limitsFile }) => {
      if (!existsSync(limitsFile)) return { status: "skip", detail: "no /proc/self/limits on this system" };
      const soft = openFileLimit(limitsFile);
      if (soft === undefined) return { status: "skip", detail: "the limit could not be read" };
      if (soft >= OPEN_FILES_ADVISED) return { status: "pass", detail: `${soft} open files` };
      return { status: "warn", detail: `${soft} open files: each connection and channel takes one`, fix: OPEN_FILES_FIX };
    },
  },
  {
    id: "service",
    title: "service unit",
    run: async (context) => {
      if (context.platform !== "linux") return { status: "skip", detail: "checked on Linux (systemd) only" };
      const path = serviceFilePath("linux", context.io.homedir);
      if (!existsSync(path)) return { status: "skip", detail: "not installed (openclaw gateway install runs the gateway at boot)" };
      if (readFileSync(path, "utf8") === renderSystemdUnit(context.service)) return { status: "pass", detail: `${path} is current` };
      return { status: "warn", detail: `${path} differs from what this version installs (another node or CLI path?)`, fix: "openclaw gateway install" };
    },
  },
];
