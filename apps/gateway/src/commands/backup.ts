import { createHash } from "node:crypto";
import { chmodSync, cpSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import * as tar from "tar";
import {
  checkStore,
  formatConfigIssues,
  readConfigSnapshot,
  readInstanceLock,
  resolveConfigPath,
  resolveStateDir,
  resolveStorePath,
  snapshotStore,
  SCHEMA_VERSION,
} from "@openclaw/gateway-core";
import { loadChannelConfigSchemas } from "../channel-catalog.js";
import { CliError } from "../errors.js";
import type { CommandIo } from "../io.js";
import { printJson } from "../output.js";
import { GATEWAY_VERSION } from "../version.js";

const FORMAT = "openclaw-backup/1";
const STORE = "state/openclaw.sqlite";
const CONFIG = "openclaw.json";
/** Folders of the state dir a backup carries: channel credentials (WhatsApp's linked device) and the TLS key pair. */
const FOLDERS = ["credentials", "tls"] as const;

interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
}

interface Manifest {
  readonly format: typeof FORMAT;
  readonly createdAt: string;
  readonly gatewayVersion: string;
  readonly schemaVersion: number;
  readonly entries: readonly ManifestEntry[];
}

/** The only paths an archive may hold: anything else (an absolute path, `..`, an unknown file) is refused. */
function allowedPath(path: string): boolean {
  if (path.includes("\\") || path.split("/").some((part) => part === ".." || part === "." || part === "")) return false;
  return path === "manifest.json" || path === STORE || path === CONFIG || FOLDERS.some((folder) => path.startsWith(`${folder}/`));
}

function sha256(file: string): Promise<string> {
  return new Promise((done, fail) => {
    const hash = createHash("sha256");
    createReadStream(file)
      .on("data", (chunk) => hash.update(chunk))
      .on("end", () => done(hash.digest("hex")))
      .on("error", fail);
  });
}

function filesUnder(root: string, folder: string): string[] {
  const base = join(root, folder);
  if (!existsSync(base)) return [];
  return readdirSync(base, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join("/"));
}

function where(io: CommandIo) {
  const stateDir = resolveStateDir(io.env, io.homedir);
  return { stateDir, configPath: resolveConfigPath(io.env, io.homedir), storePath: resolveStorePath(stateDir) };
}

/**
 * `openclaw backup create [--out file]`: one `.tar.gz` with the store (a consistent SQLite snapshot,
 * safe while the gateway runs), the config, channel credentials and the TLS key pair, and a manifest
 * of their SHA-256 sums. The archive holds secrets, so it is written with mode 0600.
 */
export async function backupCreateCommand(io: CommandIo, options: { out?: string; json?: boolean }): Promise<void> {
  const { stateDir, configPath, storePath } = where(io);
  const out = resolve(io.cwd, options.out ?? `openclaw-backup-${new Date().toISOString().replace(/[:.]/g, "-")}.tar.gz`);
  if (existsSync(out)) throw new CliError(`${out} exists; choose another --out`);
  const staging = mkdtempSync(join(tmpdir(), "openclaw-backup-"));
  try {
    if (existsSync(storePath)) {
      mkdirSync(join(staging, "state"), { recursive: true });
      snapshotStore(storePath, join(staging, STORE));
    }
    if (existsSync(configPath)) cpSync(configPath, join(staging, CONFIG));
    for (const folder of FOLDERS) if (existsSync(join(stateDir, folder))) cpSync(join(stateDir, folder), join(staging, folder), { recursive: true });
    const paths = [
      ...(existsSync(join(staging, STORE)) ? [STORE] : []),
      ...(existsSync(join(staging, CONFIG)) ? [CONFIG] : []),
      ...FOLDERS.flatMap((f) => filesUnder(staging, f)),
    ];
    if (paths.length === 0) throw new CliError(`nothing to back up: ${stateDir} has no store, config or credentials`);
    const entries = await Promise.all(
      paths.map(async (path) => ({ path, sha256: await sha256(join(staging, path)), size: statSync(join(staging, path)).size })),
    );
    const manifest: Manifest = { format: FORMAT, createdAt: new Date().toISOString(), gatewayVersion: GATEWAY_VERSION, schemaVersion: SCHEMA_VERSION, entries };
    writeFileSync(join(staging, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    mkdirSync(dirname(out), { recursive: true });
    await tar.create({ gzip: true, file: out, cwd: staging, portable: true }, ["manifest.json", ...paths]);
    chmodSync(out, 0o600);
    if (options.json) return printJson(io, { ok: true, file: out, entries: entries.length, bytes: statSync(out).size });
    io.stdout.write(`Backed up ${entries.length} files of ${stateDir} to ${out} (${statSync(out).size} bytes, mode 0600; it holds secrets)\n`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

interface Verified {
  readonly dir: string;
  readonly manifest: Manifest;
  readonly findings: readonly { readonly check: string; readonly ok: boolean; readonly detail: string }[];
}

/** Unpacks an archive into a temp folder and checks it: every path allowed, every sum right, the store sound, the config valid. */
async function unpackAndCheck(io: CommandIo, file: string): Promise<Verified> {
  if (!existsSync(file)) throw new CliError(`no backup at ${file}`);
  const dir = mkdtempSync(join(tmpdir(), "openclaw-restore-"));
  const refused: string[] = [];
  try {
    await tar.extract({ file, cwd: dir, strict: true, filter: (path) => (allowedPath(path) ? true : (refused.push(path), false)) });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new CliError(`${file} is not a readable backup archive: ${(error as Error).message}`);
  }
  const findings: { check: string; ok: boolean; detail: string }[] = [];
  const fail = (check: string, detail: string) => findings.push({ check, ok: false, detail });
  if (refused.length > 0) fail("paths", `refused entries outside the backup layout: ${refused.join(", ")}`);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    if (manifest.format !== FORMAT) throw new Error(`format "${String(manifest.format)}", expected ${FORMAT}`);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw new CliError(`${file} has no valid manifest: ${(error as Error).message}`);
  }
  for (const entry of manifest.entries) {
    const path = join(dir, entry.path);
    if (!allowedPath(entry.path) || !existsSync(path)) fail(entry.path, "listed in the manifest but missing from the archive");
    else if ((await sha256(path)) !== entry.sha256 || statSync(path).size !== entry.size) fail(entry.path, "its SHA-256 sum does not match the manifest");
  }
  if (findings.length === 0) findings.push({ check: "files", ok: true, detail: `${manifest.entries.length} files match their SHA-256 sums` });
  if (existsSync(join(dir, STORE))) {
    const store = checkStore(join(dir, STORE));
    findings.push({
      check: "store",
      ok: store.ok,
      detail: store.newerThanThisBuild
        ? `schema version ${store.schemaVersion} is newer than this gateway's (${SCHEMA_VERSION}); update the gateway first`
        : store.ok
          ? `integrity ok, schema version ${store.schemaVersion}`
          : `integrity check: ${store.integrity.slice(0, 3).join("; ")}`,
    });
  }
  if (existsSync(join(dir, CONFIG))) {
    const config = await readConfigSnapshot(join(dir, CONFIG), io.env, { channels: await loadChannelConfigSchemas() });
    findings.push({ check: "config", ok: config.config !== undefined, detail: config.config !== undefined ? "valid" : formatConfigIssues(config.issues) });
  }
  return { dir, manifest, findings };
}

function report(io: CommandIo, file: string, verified: Verified, json: boolean | undefined): boolean {
  const ok = verified.findings.every((finding) => finding.ok);
  if (json) printJson(io, { ok, file, createdAt: verified.manifest.createdAt, gatewayVersion: verified.manifest.gatewayVersion, findings: verified.findings });
  else {
    io.stdout.write(`Backup ${file} (made ${verified.manifest.createdAt} by gateway ${verified.manifest.gatewayVersion})\n`);
    for (const finding of verified.findings) io.stdout.write(`  ${finding.ok ? "ok  " : "FAIL"} ${finding.check}: ${finding.detail}\n`);
  }
  return ok;
}

/** Credentials are private: folders 0700, files 0600, whatever the archive's modes were. */
function keepPrivate(root: string): void {
  chmodSync(root, 0o700);
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    const path = join(entry.parentPath, entry.name);
    chmodSync(path, entry.isDirectory() ? 0o700 : 0o600);
  }
}

/** `openclaw backup verify <file>`: exits non-zero when any check fails. */
export async function backupVerifyCommand(io: CommandIo, file: string, options: { json?: boolean }): Promise<void> {
  const verified = await unpackAndCheck(io, resolve(io.cwd, file));
  try {
    if (!report(io, resolve(io.cwd, file), verified, options.json)) throw new CliError("the backup failed verification", 1, { code: "BACKUP_INVALID" });
  } finally {
    rmSync(verified.dir, { recursive: true, force: true });
  }
}

/**
 * `openclaw backup restore <file> [--force]`: verifies the archive, then puts its files into the state
 * dir. Refused while a gateway runs there, and over an existing store or config without `--force`.
 */
export async function backupRestoreCommand(io: CommandIo, file: string, options: { force?: boolean; json?: boolean }): Promise<void> {
  const { stateDir, configPath, storePath } = where(io);
  const running = readInstanceLock(stateDir);
  if (running) throw new CliError(`a gateway is running on this state dir (pid ${running.pid}, port ${running.port}); stop it before restoring`);
  const existing = [storePath, configPath].filter((path) => existsSync(path));
  if (existing.length > 0 && !options.force) throw new CliError(`restoring would replace ${existing.join(" and ")}; pass --force to replace them`);
  const verified = await unpackAndCheck(io, resolve(io.cwd, file));
  try {
    if (!report(io, resolve(io.cwd, file), verified, options.json))
      throw new CliError("the backup failed verification; nothing was restored", 1, { code: "BACKUP_INVALID" });
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    if (existsSync(join(verified.dir, STORE))) {
      mkdirSync(dirname(storePath), { recursive: true, mode: 0o700 });
      // A stale WAL beside the restored file would be replayed into it.
      for (const suffix of ["-wal", "-shm"]) rmSync(`${storePath}${suffix}`, { force: true });
      cpSync(join(verified.dir, STORE), storePath);
      chmodSync(storePath, 0o600);
    }
    if (existsSync(join(verified.dir, CONFIG))) {
      mkdirSync(dirname(configPath), { recursive: true, mode: 0o700 });
      cpSync(join(verified.dir, CONFIG), configPath);
      chmodSync(configPath, 0o600);
    }
    for (const folder of FOLDERS) {
      if (!existsSync(join(verified.dir, folder))) continue;
      cpSync(join(verified.dir, folder), join(stateDir, folder), { recursive: true });
      keepPrivate(join(stateDir, folder));
    }
    if (!options.json) io.stdout.write(`Restored ${verified.manifest.entries.length} files into ${stateDir}\n`);
  } finally {
    rmSync(verified.dir, { recursive: true, force: true });
  }
}
