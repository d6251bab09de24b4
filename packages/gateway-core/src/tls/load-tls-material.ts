import { X509Certificate, createPrivateKey, type KeyObject } from "node:crypto";
import { chmod, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { formatConfigIssue } from "../config/issues.js";
import { writeFileAtomic } from "../config/write.js";
import { ConfigError } from "../errors.js";
import { generateSelfSignedCertificate } from "./self-signed.js";

/** The `gateway.tls` config section. */
export interface TlsOptions {
  /** Serve `https://` and `wss://` instead of plain HTTP. @default false */
  readonly enabled: boolean;
  /** Without `certPath`/`keyPath`, generate a self-signed certificate into the state dir. @default false */
  readonly autoGenerate: boolean;
  /** PEM certificate, leaf first, optionally followed by its chain. */
  readonly certPath?: string | undefined;
  /** PEM private key for `certPath`, unencrypted. */
  readonly keyPath?: string | undefined;
  /** PEM CA bundle, passed on to the TLS server as is. */
  readonly caPath?: string | undefined;
}

export interface LoadTlsMaterialOptions {
  /** Generated certificates live in `<stateDir>/tls/`. */
  readonly stateDir: string;
  readonly tls: TlsOptions;
  /** Extra DNS names or IP literals a generated certificate covers, beside loopback. @default [] */
  readonly hostnames?: readonly string[];
  /** The clock used to decide whether a generated certificate is due for renewal. @default new Date() */
  readonly now?: Date;
}

/** What the listener needs to serve TLS, plus what start-up output and `status` show. */
export interface TlsMaterial {
  /** PEM certificate (chain), ready for `https.createServer`. */
  readonly cert: string;
  /** PEM private key. */
  readonly key: string;
  /** PEM CA bundle from `gateway.tls.caPath`. */
  readonly ca?: string;
  /** SHA-256 of the leaf certificate as `AB:CD:…`: what clients pin. */
  readonly fingerprint256: string;
  readonly certPath: string;
  readonly keyPath: string;
  /** True only when this call created a new certificate (first start or renewal). */
  readonly generated: boolean;
  /** End of the leaf certificate's validity, ISO 8601. */
  readonly notAfter: string;
}

/** A generated certificate this close to expiry is replaced at start-up. */
export const RENEW_BEFORE_DAYS = 30;
export const GENERATED_CERT_FILE = "gateway-cert.pem";
export const GENERATED_KEY_FILE = "gateway-key.pem";

const DAY_MS = 24 * 60 * 60 * 1000;

type TlsKey = "certPath" | "keyPath" | "caPath" | "autoGenerate" | "enabled";

function tlsConfigError(key: TlsKey, message: string, cause?: unknown): ConfigError {
  const issue = { path: `gateway.tls.${key}`, message };
  return new ConfigError(formatConfigIssue(issue), [issue], cause === undefined ? undefined : { cause });
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function readConfigured(key: TlsKey, path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    throw tlsConfigError(key, `cannot read ${what} ${path} (${errorText(error)}); point it at a readable PEM file`, error);
  }
}

function parseCertificate(key: TlsKey, path: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch (error) {
    throw tlsConfigError(key, `${path} is not a PEM certificate (${errorText(error)})`, error);
  }
}

function parsePrivateKey(path: string, pem: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch (error) {
    throw tlsConfigError("keyPath", `${path} is not an unencrypted PEM private key (${errorText(error)})`, error);
  }
}

function describe(
  cert: string,
  key: string,
  x509: X509Certificate,
  paths: { certPath: string; keyPath: string },
  generated: boolean,
  ca?: string,
): TlsMaterial {
  return {
    cert,
    key,
    ...(ca === undefined ? {} : { ca }),
    fingerprint256: x509.fingerprint256,
    certPath: paths.certPath,
    keyPath: paths.keyPath,
    generated,
    notAfter: new Date(x509.validTo).toISOString(),
  };
}

async function loadConfigured(tls: TlsOptions & { certPath: string; keyPath: string }): Promise<TlsMaterial> {
  const cert = await readConfigured("certPath", tls.certPath, "certificate");
  const key = await readConfigured("keyPath", tls.keyPath, "private key");
  const ca = tls.caPath === undefined ? undefined : await readConfigured("caPath", tls.caPath, "CA bundle");
  const x509 = parseCertificate("certPath", tls.certPath, cert);
  const privateKey = parsePrivateKey(tls.keyPath, key);
  if (!x509.checkPrivateKey(privateKey)) {
    throw tlsConfigError(
      "keyPath",
      `the private key in ${tls.keyPath} does not match the certificate in gateway.tls.certPath (${tls.certPath}); use the key the certificate was issued for`,
    );
  }
  if (ca !== undefined && tls.caPath !== undefined) parseCertificate("caPath", tls.caPath, ca);
  return describe(cert, key, x509, tls, false, ca);
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === "ENOENT";
}

/**
 * The previously generated pair, or undefined when it is absent, damaged, mismatched
 * (a crash between the two writes) or due for renewal. Unreadable files are not
 * silently replaced: that is a permissions problem the user should see.
 */
async function reusableGenerated(
  paths: { certPath: string; keyPath: string },
  now: Date,
): Promise<{ cert: string; key: string; x509: X509Certificate } | undefined> {
  let cert: string;
  let key: string;
  try {
    cert = await readFile(paths.certPath, "utf8");
    key = await readFile(paths.keyPath, "utf8");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw tlsConfigError(
      "autoGenerate",
      `cannot read the generated certificate in ${paths.certPath} / ${paths.keyPath} (${errorText(error)}); fix their permissions or delete them to generate a new one`,
      error,
    );
  }
  try {
    const x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return undefined;
    if (Date.parse(x509.validTo) - now.getTime() < RENEW_BEFORE_DAYS * DAY_MS) return undefined;
    return { cert, key, x509 };
  } catch {
    return undefined;
  }
}

async function loadGenerated(stateDir: string, hostnames: readonly string[], now: Date): Promise<TlsMaterial> {
  const dir = join(stateDir, "tls");
  const paths = { certPath: join(dir, GENERATED_CERT_FILE), keyPath: join(dir, GENERATED_KEY_FILE) };
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // mkdir leaves an existing directory's mode alone, and the umask narrows a new one.
  await chmod(dir, 0o700);
  const existing = await reusableGenerated(paths, now);
  if (existing !== undefined) return describe(existing.cert, existing.key, existing.x509, paths, false);

  const fresh = await generateSelfSignedCertificate({ hostnames, now });
  // Key first: if we crash before the certificate lands, the pair no longer matches
  // and the next start regenerates instead of serving a stale certificate.
  await writeFileAtomic(paths.keyPath, fresh.key, { mode: 0o600, dirMode: 0o700 });
  await writeFileAtomic(paths.certPath, fresh.cert, { mode: 0o644, dirMode: 0o700 });
  return describe(fresh.cert, fresh.key, new X509Certificate(fresh.cert), paths, true);
}

/**
 * Resolve `gateway.tls` to the certificate and key to serve, or undefined when TLS is off.
 *
 * Configured `certPath` + `keyPath` win and must match each other. Otherwise, with
 * `autoGenerate`, a self-signed certificate is kept in `<stateDir>/tls/` and reused on
 * every start, so pinned fingerprints stay valid; it is replaced only when missing,
 * damaged, or within {@link RENEW_BEFORE_DAYS} days of expiry.
 *
 * @throws ConfigError naming the `gateway.tls.*` key when the section cannot be served.
 */
export async function loadTlsMaterial(options: LoadTlsMaterialOptions): Promise<TlsMaterial | undefined> {
  const { tls } = options;
  if (!tls.enabled) return undefined;
  const { certPath, keyPath } = tls;
  if (certPath !== undefined && keyPath === undefined) {
    throw tlsConfigError("keyPath", "required when gateway.tls.certPath is set; set it to the certificate's PEM private key");
  }
  if (keyPath !== undefined && certPath === undefined) {
    throw tlsConfigError("certPath", "required when gateway.tls.keyPath is set; set it to the PEM certificate for that key");
  }
  if (certPath !== undefined && keyPath !== undefined) return loadConfigured({ ...tls, certPath, keyPath });
  if (!tls.autoGenerate) {
    throw tlsConfigError(
      "enabled",
      "TLS is enabled but there is no certificate; set gateway.tls.certPath and gateway.tls.keyPath to PEM files, or set gateway.tls.autoGenerate to true to generate a self-signed certificate in the state dir",
    );
  }
  return loadGenerated(options.stateDir, options.hostnames ?? [], options.now ?? new Date());
}
